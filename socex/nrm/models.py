"""NRM referrals, Duty to Notify reports, decisions and the clocks' raw material.

An :class:`NrmReferral` is about one potential victim (a person from the index), made by a first
responder organisation. A :class:`DutyToNotify` report is what an adult's referral becomes when
they do not consent: it is a separate model with **no** person, case, name, date of birth or
identifier field at all, so the anonymity of an MS1 report is a property of the schema, not of
what a page chooses to show.

Decisions (reasonable grounds, conclusive grounds) are rows of :class:`Decision`; a decision
overturned on reconsideration is followed by a new decision made "on reconsideration", so the
history is kept and the current decision of a stage is the latest one. The referral's ``status``
is kept in step by the services for quick lists; it is always derivable from the decisions.

Exploitation types are codes of the versioned label set (``reference/exploitation_types.json``)
and decision makers codes of the rules file, checked by the services rather than by database
choices, so a new version of the data needs no migration.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from socex.nrm.access import DutyToNotifyQuerySet, FirstResponderQuerySet, NrmReferralQuerySet


class AgeGroup(models.TextChoices):
    """The age groups of the Home Office statistics (their exact labels)."""

    ADULT = "adult", "Adult (18 or over)"
    CHILD = "child", "Child (17 or under)"
    UNKNOWN = "unknown", "Age not specified or unknown"


class Under18(models.TextChoices):
    """The form's "Is the potential victim under 18?"."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not-sure", "Not sure"


class Consent(models.TextChoices):
    GIVEN = "given", "Given"
    NOT_NEEDED = "not_needed", "Not needed: a child, or may be a child"


class Gender(models.TextChoices):
    """The gender categories of the Home Office statistics."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not specified or unknown"


class Location(models.TextChoices):
    """Where the exploitation happened (the statistics' 'location of exploitation')."""

    UK = "uk", "UK"
    OVERSEAS = "overseas", "Overseas"
    BOTH = "uk-and-overseas", "UK and Overseas"
    UNKNOWN = "unknown", "Not specified or unknown"


class NrmStatus(models.TextChoices):
    DRAFT = "draft", "Not yet submitted"
    AWAITING_RG = "awaiting_rg", "Awaiting reasonable grounds decision"
    NEGATIVE_RG = "negative_rg", "Negative reasonable grounds"
    AWAITING_CG = "awaiting_cg", "Awaiting conclusive grounds decision"
    POSITIVE_CG = "positive_cg", "Positive conclusive grounds"
    NEGATIVE_CG = "negative_cg", "Negative conclusive grounds"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (NrmStatus.DRAFT, NrmStatus.AWAITING_RG, NrmStatus.AWAITING_CG)


class FirstResponder(models.Model):
    """An organisation on the first responder list: only these may make NRM referrals or DtN reports.

    Seeded from the versioned list (``reference/first_responders.json``) by ``manage.py
    nrm_first_responders`` and kept by hand on the first responder list page.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="first_responder"
    )
    fro_type = models.CharField("first responder type", max_length=32)
    listed_as = models.CharField(
        max_length=200, blank=True, help_text="The entry of the national list this organisation is, if named there."
    )
    list_version = models.CharField(max_length=32, blank=True, help_text="The version of the list it came from.")
    is_active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = FirstResponderQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation.name} (first responder)"


class ExploitationDetails(models.Model):
    """The anonymous MS1 facts an NRM referral and a Duty to Notify report share."""

    lpa = models.ForeignKey("areas.LPA", on_delete=models.PROTECT, related_name="+", verbose_name="local policing area")
    first_responder = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    first_responder_type = models.CharField(max_length=32, help_text="As on the first responder list when made.")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    officer_role = models.CharField(max_length=200, blank=True)
    officer_phone = models.CharField(max_length=32, blank=True)
    age_group = models.CharField(max_length=8, choices=AgeGroup.choices)
    gender = models.CharField(max_length=8, choices=Gender.choices, default=Gender.UNKNOWN)
    nationality = models.CharField(max_length=100, blank=True)
    exploitation_types = models.JSONField(default=list, help_text="Codes of the exploitation label set.")
    exploitation_types_version = models.CharField(max_length=32)
    other_exploitation = models.TextField(blank=True)
    county_lines = models.BooleanField(default=False)
    location = models.CharField(max_length=16, choices=Location.choices, default=Location.UNKNOWN)
    uk_locations = models.JSONField(default=list, blank=True, help_text="Cities or towns in the UK.")
    countries = models.JSONField(default=list, blank=True, help_text="Countries overseas.")
    narrative = models.TextField(blank=True)
    submitted_on = models.DateField(null=True, blank=True, help_text="Sent to the Home Office on.")
    ho_reference = models.CharField("Home Office reference", max_length=64, blank=True)
    guidance_version = models.CharField(max_length=64, blank=True, help_text="Statutory guidance in force.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class NrmReferral(ExploitationDetails):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True, help_text="NRM-YYYY-NNNNNN")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="nrm_referrals")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="nrm_referrals"
    )
    lpa = models.ForeignKey(
        "areas.LPA", on_delete=models.PROTECT, related_name="nrm_referrals", verbose_name="local policing area"
    )
    first_responder = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="nrm_referrals_made"
    )
    referred_on = models.DateField(default=timezone.localdate, help_text="The date the referral was started.")
    under_18 = models.CharField("under 18", max_length=8, choices=Under18.choices)
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)
    age_assessed_on = models.DateField(null=True, blank=True)
    consent = models.CharField(max_length=12, choices=Consent.choices)
    consent_on = models.DateField(null=True, blank=True)
    indicators = models.TextField(blank=True, help_text="The modern slavery indicators identified.")
    status = models.CharField(max_length=16, choices=NrmStatus.choices, default=NrmStatus.DRAFT)
    pack_answers = models.JSONField(
        default=dict, blank=True, help_text="The officer's answers to the form's questions."
    )
    pack_chronology = models.JSONField(default=list, blank=True, help_text="Chronology entries picked for the pack.")

    objects = NrmReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-created_at"]
        verbose_name = "NRM referral"
        constraints = [
            models.CheckConstraint(
                condition=~Q(age_group=AgeGroup.ADULT) | Q(consent=Consent.GIVEN),
                name="nrm_adult_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(consent=Consent.GIVEN) | Q(consent_on__isnull=False),
                name="nrm_consent_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status=NrmStatus.DRAFT, submitted_on__isnull=True)
                | (~Q(status=NrmStatus.DRAFT) & Q(submitted_on__isnull=False)),
                name="nrm_status_matches_submission",
            ),
            models.CheckConstraint(condition=Q(location__in=Location.values), name="nrm_location_valid"),
        ]
        indexes = [
            models.Index(fields=["lpa", "submitted_on"], name="nrm_lpa_submitted"),
            models.Index(fields=["status", "submitted_on"], name="nrm_status_submitted"),
            models.Index(fields=["first_responder", "status"], name="nrm_fro_status"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def treated_as_child(self) -> bool:
        """A child, or someone who may be under 18 and has not had their age assessed."""
        return self.age_group != AgeGroup.ADULT

    @property
    def is_submitted(self) -> bool:
        return self.submitted_on is not None


class DutyToNotify(ExploitationDetails):
    """An anonymous MS1 report about an adult who did not consent to an NRM referral.

    There is deliberately no person, case, name, date of birth, address or identifier here.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True, help_text="DTN-YYYY-NNNNNN")
    reported_on = models.DateField(default=timezone.localdate, help_text="The date the adult declined.")
    refusal_reason = models.TextField(blank=True, help_text="Why they did not want to be referred (no names).")

    objects = DutyToNotifyQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-created_at"]
        verbose_name = "Duty to Notify report"
        constraints = [
            models.CheckConstraint(condition=Q(age_group=AgeGroup.ADULT), name="dtn_adults_only"),
            models.CheckConstraint(condition=Q(location__in=Location.values), name="dtn_location_valid"),
        ]
        indexes = [models.Index(fields=["lpa", "submitted_on"], name="dtn_lpa_submitted")]

    def __str__(self) -> str:
        return self.reference


class Stage(models.TextChoices):
    RG = "rg", "Reasonable grounds"
    CG = "cg", "Conclusive grounds"


class Outcome(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Decision(models.Model):
    referral = models.ForeignKey(NrmReferral, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(max_length=2, choices=Stage.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    decided_on = models.DateField()
    decision_maker = models.CharField(max_length=32, help_text="A code of the rules file's decision makers.")
    guidance_version = models.CharField(max_length=64, blank=True)
    rules_version = models.CharField(max_length=32, blank=True)
    notes = models.TextField(blank=True)
    on_reconsideration = models.OneToOneField(
        "Reconsideration", null=True, blank=True, on_delete=models.PROTECT, related_name="new_decision"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "stage"],
                condition=Q(on_reconsideration__isnull=True),
                name="nrm_one_first_decision_per_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.get_stage_display().lower()} ({self.referral.reference})"

    @property
    def maker_label(self) -> str:
        from socex.nrm.rules import decision_maker_label

        return decision_maker_label(self.decision_maker)


class ReconsiderationOutcome(models.TextChoices):
    PENDING = "pending", "Awaiting outcome"
    UPHELD = "upheld", "Original decision upheld"
    OVERTURNED = "overturned", "Decision overturned"


class Reconsideration(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reconsiderations")
    requested_on = models.DateField()
    requested_by = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(blank=True)
    outcome = models.CharField(
        max_length=12, choices=ReconsiderationOutcome.choices, default=ReconsiderationOutcome.PENDING
    )
    outcome_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["requested_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ReconsiderationOutcome.PENDING, outcome_on__isnull=True)
                | (~Q(outcome=ReconsiderationOutcome.PENDING) & Q(outcome_on__isnull=False)),
                name="nrm_reconsideration_outcome_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Reconsideration of {self.decision}"


class SupportStatus(models.TextChoices):
    REQUESTED = "requested", "Requested, awaiting a response"
    ACCEPTED = "accepted", "Accepted, in support"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Support ended"


class SupportReferral(models.Model):
    referral = models.ForeignKey(NrmReferral, on_delete=models.CASCADE, related_name="support_referrals")
    provider = models.CharField(max_length=32, help_text="A code of reference/support_providers.json.")
    provider_detail = models.CharField(max_length=200, blank=True, help_text="The service or team, if known.")
    referred_on = models.DateField()
    status = models.CharField(max_length=12, choices=SupportStatus.choices, default=SupportStatus.REQUESTED)
    status_on = models.DateField()
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["referred_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status_on__gte=models.F("referred_on")), name="nrm_support_status_after")
        ]

    def __str__(self) -> str:
        from socex.nrm.rules import support_provider_label

        return f"{support_provider_label(self.provider)} ({self.referral.reference})"

    @property
    def provider_label(self) -> str:
        from socex.nrm.rules import support_provider_label

        return support_provider_label(self.provider)


class ReminderKind(models.TextChoices):
    RG_OVERDUE = "rg_overdue", "Reasonable grounds decision overdue"
    RECOVERY_ENDED = "recovery_ended", "Minimum recovery period ended, no conclusive decision"
    SUPPORT_WAITING = "support_waiting", "Support referral awaiting a response"
    NOT_SUBMITTED = "not_submitted", "Referral not yet submitted"


class Reminder(models.Model):
    """A reminder sent to the officer about one referral, so the same one is not sent every day."""

    referral = models.ForeignKey(NrmReferral, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_on = models.DateField()
    recipient = models.EmailField()
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["referral", "kind", "sent_on"], name="nrm_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.referral.reference} ({self.sent_on})"


class Dimension(models.TextChoices):
    """The dimensions a published figure may be broken down by."""

    TOTAL = "total", "All referrals"
    AGE_GROUP = "age_group", "Age at exploitation"
    GENDER = "gender", "Gender"
    NATIONALITY = "nationality", "Nationality"
    EXPLOITATION_TYPE = "exploitation_type", "Exploitation type"
    FIRST_RESPONDER_TYPE = "first_responder_type", "First responder type"
    RG_OUTCOME = "rg_outcome", "Reasonable grounds decisions"
    CG_OUTCOME = "cg_outcome", "Conclusive grounds decisions"
    DTN = "dtn", "Duty to Notify reports"


class PublishedImport(models.Model):
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    edition = models.CharField(max_length=200, help_text="The publication the figures come from.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows} figures)"


class PublishedFigure(models.Model):
    """One published count: a quarter, an area (police force or local authority), a dimension and category."""

    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=200, help_text="The police force or local authority, as published.")
    lpa = models.ForeignKey(
        "areas.LPA",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The LPA the area is, when it is a local authority of this force.",
    )
    dimension = models.CharField(max_length=24, choices=Dimension.choices)
    category = models.CharField(max_length=200)
    value = models.PositiveIntegerField()
    edition = models.CharField(max_length=200, help_text="The publication (bulletin and edition) it comes from.")
    source = models.URLField(max_length=500, blank=True)
    import_batch = models.ForeignKey(
        PublishedImport, null=True, blank=True, on_delete=models.CASCADE, related_name="figures"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-quarter", "area", "dimension", "category"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="nrm_published_quarter_1_to_4"),
            models.UniqueConstraint(
                fields=["year", "quarter", "area", "dimension", "category", "edition"], name="nrm_published_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter} {self.area}: {self.get_dimension_display()} {self.category} = {self.value}"

    @property
    def period(self) -> str:
        return f"{self.year} Q{self.quarter}"
