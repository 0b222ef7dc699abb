"""Intelligence reports, graded 3x5x2, the entities they mention and the typed links between them.

Intelligence is police-only (``intel.view``). A partner only ever sees a report's sanitised text,
and only once it has been disseminated to their agency through the sharing ledger.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from socex.intelligence.access import EntityQuerySet, GroupQuerySet, LinkQuerySet, ReportQuerySet


class SourceType(models.TextChoices):
    OFFICER = "officer", "Police officer or staff"
    PARTNER = "partner", "Partner agency"
    PUBLIC = "public", "Member of the public"
    OTHER = "other", "Other"


class GradingScheme(models.TextChoices):
    THREE_FIVE_TWO = "3x5x2", "3x5x2 (current)"
    FIVE_FIVE_FIVE = "5x5x5", "5x5x5 (legacy, kept verbatim)"


class SourceEvaluation(models.TextChoices):
    """3x5x2: how reliable the source is (DOMAIN.md §6, [S])."""

    RELIABLE = "1", "1: Reliable"
    UNTESTED = "2", "2: Untested"
    NOT_RELIABLE = "3", "3: Not reliable"


class IntelligenceAssessment(models.TextChoices):
    """3x5x2: how the source knows what they report (DOMAIN.md §6, [S])."""

    DIRECT = "A", "A: Known directly to the source"
    CORROBORATED = "B", "B: Known indirectly to the source but corroborated"
    INDIRECT = "C", "C: Known indirectly to the source"
    NOT_KNOWN = "D", "D: Not known"
    SUSPECTED_FALSE = "E", "E: Suspected to be false"


class HandlingCode(models.TextChoices):
    """3x5x2: whether the intelligence may be shared (DOMAIN.md §6, [S])."""

    PERMITTED = "P", "P: Lawful sharing permitted"
    CONDITIONS = "C", "C: Lawful sharing permitted with conditions"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    EVALUATED = "evaluated", "Evaluated"
    SANITISED = "sanitised", "Sanitised"
    PUBLISHED = "published", "Published"


class Report(models.Model):
    id = models.BigAutoField(primary_key=True)
    reference = models.CharField(max_length=20, unique=True, help_text="INT-YYYY-NNNNNNN")
    source_type = models.CharField(max_length=16, choices=SourceType.choices)
    obtained_on = models.DateField("date obtained")
    lpa = models.ForeignKey("areas.LPA", on_delete=models.PROTECT, related_name="intel_reports")
    text = models.TextField(help_text="The original text. Never leaves police hands.")
    sanitised_text = models.TextField(blank=True, help_text="The only text that may be disseminated.")
    grading_scheme = models.CharField(max_length=8, choices=GradingScheme.choices, default=GradingScheme.THREE_FIVE_TWO)
    source_evaluation = models.CharField(
        max_length=2, blank=True, choices=SourceEvaluation.choices, help_text="3x5x2: 1, 2 or 3."
    )
    intelligence_assessment = models.CharField(
        max_length=2, blank=True, choices=IntelligenceAssessment.choices, help_text="3x5x2: A to E."
    )
    handling_code = models.CharField(max_length=2, blank=True, choices=HandlingCode.choices, help_text="3x5x2: P or C.")
    handling_conditions = models.TextField(blank=True)
    legacy_grading = models.CharField(max_length=32, blank=True, help_text="A 5x5x5 grade exactly as recorded.")
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intel_reports")
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="intel_reports")
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)
    sanitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sanitised_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    retention_group = models.CharField(max_length=32, blank=True)
    review_date = models.DateField(null=True, blank=True)
    restricted_team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restricted_intel",
        help_text="If set, only this team's members see the report.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-obtained_on", "-id"]
        indexes = [
            models.Index(fields=["lpa", "obtained_on"], name="intel_lpa_date"),
            models.Index(fields=["status"], name="intel_status"),
            models.Index(fields=["obtained_on", "id"], name="intel_date_id"),
        ]
        # The rules the database can hold. The services check the same rules first and say which
        # one was broken; these stop any other path (admin, shell, a bug) from breaking them.
        constraints = [
            models.CheckConstraint(
                condition=Q(source_evaluation__in=["", *SourceEvaluation.values]), name="intel_source_in_scheme"
            ),
            models.CheckConstraint(
                condition=Q(intelligence_assessment__in=["", *IntelligenceAssessment.values]),
                name="intel_assessment_in_scheme",
            ),
            models.CheckConstraint(
                condition=Q(handling_code__in=["", *HandlingCode.values]), name="intel_handling_in_scheme"
            ),
            models.CheckConstraint(
                condition=~Q(handling_code=HandlingCode.CONDITIONS) | ~Q(handling_conditions=""),
                name="intel_handling_c_has_conditions",
            ),
            # A legacy grade is kept verbatim and never read as (or mixed with) a 3x5x2 grade.
            models.CheckConstraint(
                condition=Q(grading_scheme=GradingScheme.THREE_FIVE_TWO, legacy_grading="")
                | Q(
                    grading_scheme=GradingScheme.FIVE_FIVE_FIVE,
                    source_evaluation="",
                    intelligence_assessment="",
                    handling_code="",
                ),
                name="intel_one_grading_scheme",
            ),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="intel_status_known"),
            # Evaluated (and later) reports carry their evaluator and a complete grade.
            models.CheckConstraint(
                condition=Q(status=ReportStatus.SUBMITTED)
                | (
                    Q(evaluated_by__isnull=False, evaluated_at__isnull=False)
                    & (
                        (~Q(source_evaluation="") & ~Q(intelligence_assessment="") & ~Q(handling_code=""))
                        | ~Q(legacy_grading="")
                    )
                ),
                name="intel_evaluated_is_graded",
            ),
            models.CheckConstraint(condition=~Q(evaluated_by=models.F("author")), name="intel_evaluator_not_author"),
            # Sanitised text is the only text that may leave police hands: no publishing without it.
            models.CheckConstraint(
                condition=Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.EVALUATED]) | ~Q(sanitised_text=""),
                name="intel_sanitised_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("intelligence:report", args=[self.reference])

    @property
    def is_legacy_graded(self) -> bool:
        return self.grading_scheme == GradingScheme.FIVE_FIVE_FIVE

    @property
    def grade_text(self) -> str:
        """The grade as people write it: ``2B P``, or a legacy grade verbatim marked "(5x5x5)"."""
        from socex.intelligence.rules import grade_label

        return grade_label(
            scheme=self.grading_scheme,
            source=self.source_evaluation,
            assessment=self.intelligence_assessment,
            handling=self.handling_code,
            legacy=self.legacy_grading,
        )

    @property
    def grading(self) -> str:
        """E.g. "2/B/P", or the legacy grade verbatim."""
        if self.grading_scheme == GradingScheme.FIVE_FIVE_FIVE:
            return self.legacy_grading
        parts = [self.source_evaluation, self.intelligence_assessment, self.handling_code]
        return "/".join(parts) if all(parts) else ""


class GroupKind(models.TextChoices):
    COUNTY_LINE = "county_line", "County line"
    OCG = "ocg", "Organised crime group"


class Group(models.Model):
    """An organised crime group or a county line (line name, deal-line phone, areas supplied)."""

    kind = models.CharField(max_length=16, choices=GroupKind.choices)
    name = models.CharField(max_length=100)
    deal_line = models.CharField(max_length=20, blank=True, help_text="Deal-line phone number, E.164.")
    areas_supplied = models.ManyToManyField("areas.LPA", blank=True, related_name="supplied_by_groups")
    area_notes = models.CharField(max_length=200, blank=True, help_text="Where it supplies, beyond the LPAs.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="intel_group_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("intelligence:group", args=[self.pk])


class EntityKind(models.TextChoices):
    PERSON = "person", "Person"
    PHONE = "phone", "Phone"
    VEHICLE = "vehicle", "Vehicle"
    LOCATION = "location", "Location"
    EMAIL = "email", "Email"
    HANDLE = "handle", "Social-media handle"
    GROUP = "group", "Line or group"


class Entity(models.Model):
    """A node of the network: a person from the index, a phone, a vehicle, a place, a line..."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=16, choices=EntityKind.choices)
    key = models.CharField(
        max_length=200, help_text="Normalised value: E.164 phone, VRM without spaces, postcode, person id, group id."
    )
    label = models.CharField(max_length=200)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="intel_entities"
    )
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="entities")
    created_at = models.DateTimeField(default=timezone.now)

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entities"
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="intel_entity_unique")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("intelligence:entity", args=[self.pk])


class Mention(models.Model):
    """An entity a report mentions, confirmed by an officer (suggestions are not kept until then)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="mentions")
    text = models.CharField(max_length=200, blank=True, help_text="As written in the report.")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "entity"], name="intel_mention_once")]

    def __str__(self) -> str:
        return f"{self.report.reference} mentions {self.entity.label}"


class LinkType(models.TextChoices):
    ASSOCIATE = "associate", "Associate of"
    FAMILY = "family", "Family of"
    USES_PHONE = "uses_phone", "Uses phone"
    DRIVES = "drives", "Drives"
    LIVES_AT = "lives_at", "Lives at"
    FREQUENTS = "frequents", "Frequents"
    RUNS_LINE = "runs_line", "Runs line"
    RECRUITED_BY = "recruited_by", "Recruited by"
    USES_ACCOUNT = "uses_account", "Uses account (email or social media)"


class Link(models.Model):
    """A typed, dated link between two entities, with the report it came from."""

    id = models.BigAutoField(primary_key=True)
    source = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links_in")
    link_type = models.CharField(max_length=16, choices=LinkType.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = LinkQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["source", "target"], name="intel_link_source"),
            models.Index(fields=["target", "source"], name="intel_link_target"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="intel_link_not_self"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="intel_link_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_link_type_display()} {self.target}"


class Dissemination(models.Model):
    """A published report's sanitised text sent to a partner agency: the share in the ledger,
    with the handling code it went under and, for code C, the sharer's confirmation that the
    handling conditions allow it."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="disseminations")
    share = models.OneToOneField("sharing.Share", on_delete=models.PROTECT, related_name="+")
    handling_code = models.CharField(max_length=2, choices=HandlingCode.choices)
    handling_conditions = models.TextField(blank=True, help_text="The conditions as they stood when shared.")
    conditions_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(handling_code=HandlingCode.PERMITTED)
                | Q(handling_code=HandlingCode.CONDITIONS, conditions_confirmed=True),
                name="intel_dissemination_handling",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report.reference} disseminated ({self.share.reference})"
