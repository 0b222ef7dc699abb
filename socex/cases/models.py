"""Exploitation cases: the record agencies work together on, and its chronology.

A case belongs to its lead agency and to an LPA. Partners take part through the sharing ledger:
an active share of the case with their organisation makes it visible to them
(see ``socex.cases.access``). Every other app that touches a case (referrals, safeguarding,
NRM, investigations) writes what happened into the case's chronology through
``socex.cases.services.chronology_add``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from socex.cases.access import CaseQuerySet, ChronologyQuerySet
from socex.cases.vocab import RiskLevel


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSURE_REQUESTED = "closure_requested", "Closure awaiting approval"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    id = models.BigAutoField(primary_key=True)
    reference = models.CharField(max_length=20, unique=True, help_text="CASE-YYYY-NNNNNN")
    subjects = models.ManyToManyField("people.Person", through="CaseSubject", related_name="cases")
    lead_agency = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="led_cases", verbose_name="lead agency"
    )
    keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="keyworker_cases"
    )
    lpa = models.ForeignKey(
        "areas.LPA", on_delete=models.PROTECT, related_name="cases", verbose_name="local policing area"
    )
    status = models.CharField(max_length=24, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    risk_level = models.CharField(max_length=16, choices=RiskLevel.choices, default=RiskLevel.AT_RISK)
    exploitation_types = models.JSONField(default=list, help_text="ExploitationType codes.")
    flags = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["lpa", "status"], name="case_lpa_status"),
            models.Index(fields=["lead_agency", "status"], name="case_lead_status"),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseSubject(models.Model):
    """A child or adult the case is about (a person from the index)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_subjects")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_subjects")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="case_subject_once")]

    def __str__(self) -> str:
        return f"{self.case.reference}: person {self.person_id}"


class ChronologyKind(models.TextChoices):
    SYSTEM = "system", "System event"
    PRACTITIONER = "practitioner", "Practitioner entry"


class ChronologyEntry(models.Model):
    """One dated event in a case's life. System events name the record they came from."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="chronology")
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=ChronologyKind.choices, default=ChronologyKind.SYSTEM)
    category = models.CharField(
        max_length=32, help_text="What sort of event: referral, triage, risk_review, note, action, mace, nrm, ..."
    )
    agency = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    source_type = models.CharField(max_length=64, blank=True, help_text="app_label.model of the record it came from")
    source_id = models.CharField(max_length=64, blank=True)

    objects = ChronologyQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["case", "-occurred_at"], name="chronology_case_time")]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.summary}"
