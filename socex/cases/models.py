"""Exploitation cases: the record agencies work together on, and its chronology.

A case belongs to its lead agency and to an LPA. Partners take part through the sharing ledger:
an active share of the case with their organisation makes it visible to them
(see ``socex.cases.access``). Every other app that touches a case (referrals, safeguarding,
NRM, investigations) writes what happened into the case's chronology through
``socex.cases.services.chronology_add``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from socex.cases.access import CaseDocumentQuerySet, CaseQuerySet, ChronologyQuerySet, RiskReviewQuerySet
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
    review_due = models.DateField(
        null=True, blank=True, help_text="When the next risk review is due (set by opening and by each review)."
    )
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
            models.Index(fields=["-opened_at"], name="case_opened_desc"),
            models.Index(fields=["status", "review_due"], name="case_status_review_due"),
            models.Index(fields=["keyworker", "status"], name="case_keyworker_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_at__isnull=False) | ~models.Q(status="closed"),
                name="case_closed_has_date",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="case_version_positive"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def review_overdue(self) -> bool:
        return self.is_open and self.review_due is not None and self.review_due < timezone.localdate()


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


class RiskReview(models.Model):
    """A dated judgement of the risk to the case's subjects, with the reasoning behind it.

    Reviews are never changed or deleted: together they are the case's risk history. The latest
    review sets the case's current ``risk_level`` and when the next review falls due.
    """

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_reviews")
    level = models.CharField(max_length=16, choices=RiskLevel.choices)
    previous_level = models.CharField(max_length=16, choices=RiskLevel.choices, blank=True)
    reviewed_on = models.DateField()
    reason = models.TextField(help_text="The analysis behind the level: what changed, what the evidence says.")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer_agency = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    next_review_due = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = RiskReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["case", "-reviewed_on"], name="risk_review_case_date")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="risk_review_reason_required"),
            models.CheckConstraint(condition=models.Q(level__in=RiskLevel.values), name="risk_review_level_known"),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_level_display()} on {self.reviewed_on:%d/%m/%Y}"


class ClosureDecision(models.TextChoices):
    PENDING = "pending", "Awaiting a supervisor"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class ClosureRequest(models.Model):
    """A request to close a case, and a supervisor's decision on it (four eyes: not the requester)."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_requests")
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=16, choices=ClosureDecision.choices, default=ClosureDecision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(decision="pending"),
                name="closure_one_pending_per_case",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="closure_reason_required"),
            models.CheckConstraint(
                condition=models.Q(decision="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~models.Q(decision="pending") & models.Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="closure_decision_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")), name="closure_not_self_approved"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: closure {self.get_decision_display().lower()}"


class CaseDocument(models.Model):
    """A file uploaded to a case, kept outside anything the web server publishes.

    ``stored_name`` is where the file lies in the private document store
    (``socex.cases.documents``); the name the uploader gave is kept only to offer it back on
    download. A document can be read only through the case's download view.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=255, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_by_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = CaseDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["case", "-uploaded_at"], name="case_document_case_time")]
        constraints = [models.CheckConstraint(condition=models.Q(size__gt=0), name="case_document_not_empty")]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.title}"
