"""Referrals: the hub's front door (issue 4, DESIGN.md "The flow a case takes", steps 1 and 2).

A partner or officer fills in a :class:`Referral` as a draft, one question page at a time, then
submits it; submitting gives it a reference (``REF-2026-000123``). The hub triages each submitted
referral once: into a new case, into an existing case, signposted elsewhere, or no further
action, always with a reason the referrer sees.

The people a referral is about are :class:`ReferralSubject` rows: a person from the index, or the
details the referrer typed when no one matched (the person is added to the index when the
referral is submitted).

Bulk creation (benchmarks, generators): a submitted referral needs ``referrer``,
``referrer_agency``, ``status``, ``reference``, ``lpa``, ``submitted_at`` and
``confirmed_level``; ``risk_rank`` is computed by the database from ``confirmed_level``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from socex.cases.vocab import RISK_ORDER, RiskLevel
from socex.referrals.access import ReferralQuerySet


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Awaiting triage"
    TRIAGED = "triaged", "Triaged"


class TriageOutcome(models.TextChoices):
    NEW_CASE = "new_case", "Accepted into a new case"
    EXISTING_CASE = "existing_case", "Added to an existing case"
    SIGNPOSTED = "signposted", "Signposted to another service"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Awareness(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "I do not know"


def _risk_rank() -> Case:
    return Case(
        *(When(confirmed_level=level, then=Value(rank)) for level, rank in RISK_ORDER.items()),
        default=Value(-1),
        output_field=models.SmallIntegerField(),
    )


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(
        max_length=20, unique=True, null=True, blank=True, help_text="REF-YYYY-NNNNNN, given when submitted."
    )
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made")
    referrer_agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name="referring agency",
    )
    lpa = models.ForeignKey(
        "areas.LPA",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name="local policing area",
    )
    exploitation_types = models.JSONField(default=list, blank=True, help_text="ExploitationType codes.")
    concern_summary = models.TextField("what you are worried about", blank=True)
    # The screening tool (socex.referrals.screening): the version used, the answers, its suggestion.
    tool_version = models.CharField(max_length=16, blank=True)
    screening_answers = models.JSONField(default=dict, blank=True, help_text="Indicator code -> timing code.")
    suggested_level = models.CharField(max_length=16, choices=RiskLevel.choices, blank=True)
    confirmed_level = models.CharField(max_length=16, choices=RiskLevel.choices, blank=True)
    override_reason = models.TextField(blank=True, help_text="Why the confirmed level differs from the suggestion.")
    risk_rank = models.GeneratedField(
        expression=_risk_rank(),
        output_field=models.SmallIntegerField(),
        db_persist=True,
        help_text="2 significant, 1 at risk, 0 no current risk, -1 not yet confirmed: the queue's order.",
    )
    child_aware = models.CharField(
        "the child knows about the referral", max_length=12, choices=Awareness.choices, blank=True
    )
    family_aware = models.CharField(
        "their family knows about the referral", max_length=12, choices=Awareness.choices, blank=True
    )
    awareness_detail = models.TextField(blank=True)
    immediate_risks = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    triage_outcome = models.CharField(max_length=20, choices=TriageOutcome.choices, blank=True)
    triage_reason = models.TextField(blank=True)
    signposted_to = models.CharField(max_length=200, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_triaged"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits.")

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The triage queue: submitted referrals, most urgent first, then longest waiting.
            # (The id settles ties, so pages never overlap.)
            models.Index(fields=["status", "-risk_rank", "submitted_at", "id"], name="referral_queue"),
            # An organisation's referrals, newest first (My referrals, the API list).
            models.Index(fields=["referrer_agency", "-created_at"], name="referral_agency"),
            models.Index(fields=["submitted_at"], name="referral_submitted"),
            models.Index(fields=["triaged_at"], name="referral_triaged"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.DRAFT)
                | (Q(reference__isnull=False, submitted_at__isnull=False, lpa__isnull=False) & ~Q(confirmed_level="")),
                name="referral_submitted_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.TRIAGED)
                | (Q(triaged_at__isnull=False) & ~Q(triage_outcome="") & ~Q(triage_reason="")),
                name="referral_triaged_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(triage_outcome__in=[TriageOutcome.NEW_CASE, TriageOutcome.EXISTING_CASE])
                | Q(case__isnull=False),
                name="referral_accepted_has_case",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft referral started {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == ReferralStatus.DRAFT

    @property
    def level_overridden(self) -> bool:
        return bool(self.confirmed_level and self.suggested_level and self.confirmed_level != self.suggested_level)


class ReferralSubject(models.Model):
    """A child or adult the referral is about: a person from the index, or details to add to it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="referral_subjects"
    )
    # As typed, when the referrer found no one in the index (kept after the person is added).
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    dob_precision = models.CharField(max_length=8, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(given_name="") | ~Q(family_name=""),
                name="referral_subject_named",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral}: {self.name}"

    @property
    def name(self) -> str:
        if self.person is not None:
            return str(self.person.display_name)
        return f"{self.given_name} {self.family_name}".strip()
