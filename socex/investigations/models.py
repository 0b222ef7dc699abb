"""Operations, investigations, their people and outcomes, the disruption log and hub staffing.

Investigations are police-only. A partner sees, on a case shared with them, only that an
investigation exists and its status (``socex.investigations.dashboard.case_investigations_panel``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from socex.investigations.access import (
    DisruptionQuerySet,
    InvestigationQuerySet,
    OperationQuerySet,
    StaffMemberQuerySet,
)


class OperationScope(models.TextChoices):
    FORCE_WIDE = "force_wide", "Force-wide"
    LOCAL = "local", "Local (named LPAs)"


class Operation(models.Model):
    """A named operation, e.g. Operation Skyclash (county lines), Liberate, Guardian (youth violence)."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=100, unique=True)
    scope = models.CharField(max_length=16, choices=OperationScope.choices)
    lpas = models.ManyToManyField("areas.LPA", blank=True, related_name="operations")
    aims = models.TextField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_operations")
    hubs = models.ManyToManyField("areas.Hub", blank=True, related_name="operations")
    teams = models.ManyToManyField("accounts.Team", blank=True, related_name="operations")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OperationQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="operation_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_running(self, on: object = None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)  # type: ignore[operator]


class InvestigationStatus(models.TextChoices):
    OPEN = "open", "Open"
    SUSPECT_IDENTIFIED = "suspect_identified", "Suspect identified"
    WITH_CPS = "with_cps", "With the CPS"
    AWAITING_COURT = "awaiting_court", "Awaiting court"
    CLOSED = "closed", "Closed"


class Investigation(models.Model):
    id = models.BigAutoField(primary_key=True)
    reference = models.CharField(max_length=20, unique=True, help_text="INV-YYYY-NNNNNN")
    title = models.CharField(max_length=200)
    crime_references = models.JSONField(default=list, help_text="Crime reference numbers.")
    offences = models.JSONField(default=list, help_text="Offence codes from the offences list.")
    offences_version = models.CharField(max_length=32)
    officer_in_case = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="investigations_as_oic"
    )
    lpa = models.ForeignKey("areas.LPA", on_delete=models.PROTECT, related_name="investigations")
    hub = models.ForeignKey("areas.Hub", null=True, blank=True, on_delete=models.PROTECT, related_name="investigations")
    operation = models.ForeignKey(
        Operation, null=True, blank=True, on_delete=models.PROTECT, related_name="investigations"
    )
    status = models.CharField(max_length=24, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    intelligence_reports = models.ManyToManyField("intelligence.Report", blank=True, related_name="investigations")
    targets = models.ManyToManyField(
        "intelligence.Group", blank=True, related_name="investigations", help_text="Organised crime groups or lines."
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = InvestigationQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["status", "opened_on"], name="investigation_status_opened")]

    def __str__(self) -> str:
        return self.reference


class StatusChange(models.Model):
    """The investigation's status history: every change, when and by whom."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=24, choices=InvestigationStatus.choices)
    changed_on = models.DateField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.investigation}: {self.get_status_display()}"


class PersonRole(models.TextChoices):
    SUSPECT = "suspect", "Suspect"
    VICTIM = "victim", "Victim"


class InvestigationPerson(models.Model):
    """A suspect or victim. A victim links to their exploitation case where one exists."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="investigation_roles")
    role = models.CharField(max_length=8, choices=PersonRole.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="investigation_victims"
    )
    both_roles_reason = models.TextField(
        blank=True, help_text="Why this person is both a victim and a suspect (e.g. a child exploited into dealing)."
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["investigation", "person", "role"], name="investigation_person_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.investigation.reference}: {self.investigation.title}"


class OutcomeKind(models.TextChoices):
    CHARGE = "charge", "Charged"
    CAUTION = "caution", "Cautioned"
    NFA = "nfa", "No further action"
    STPO = "stpo", "Slavery and Trafficking Prevention Order"
    STRO = "stro", "Slavery and Trafficking Risk Order"
    CLOSURE_ORDER = "closure_order", "Closure order"
    COURT_RESULT = "court_result", "Court result"


class Outcome(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=16, choices=OutcomeKind.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="investigation_outcomes"
    )
    outcome_on = models.DateField()
    detail = models.TextField(blank=True, help_text="The reason (needed for no further action) or the court's result.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-outcome_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.investigation})"


class DisruptionKind(models.TextChoices):
    ARREST = "arrest", "Arrests"
    WARRANT = "warrant", "Warrants executed"
    DRUGS = "drugs", "Drugs seized"
    CASH = "cash", "Cash seized"
    WEAPONS = "weapons", "Weapons seized"
    DEAL_LINE = "deal_line", "Deal lines closed"
    CUCKOOED_ADDRESS = "cuckooed_address", "Cuckooed addresses closed"
    VICTIM_SAFEGUARDED = "victim_safeguarded", "Victims safeguarded"


class Disruption(models.Model):
    """One entry in the disruption log. Together they give county-lines disruption by month and LPA."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=20, choices=DisruptionKind.choices)
    occurred_on = models.DateField()
    lpa = models.ForeignKey("areas.LPA", on_delete=models.PROTECT, related_name="disruptions")
    operation = models.ForeignKey(
        Operation, null=True, blank=True, on_delete=models.PROTECT, related_name="disruptions"
    )
    investigation = models.ForeignKey(
        Investigation, null=True, blank=True, on_delete=models.PROTECT, related_name="disruptions"
    )
    county_line = models.ForeignKey(
        "intelligence.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="disruptions"
    )
    quantity = models.PositiveIntegerField(default=1, help_text="How many (arrests, weapons, lines...).")
    cash_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    drugs_description = models.CharField(max_length=200, blank=True, help_text="E.g. 42 wraps of crack cocaine.")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = DisruptionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["occurred_on", "lpa"], name="disruption_month_lpa")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="disruption_quantity_positive"),
            models.CheckConstraint(
                condition=Q(cash_amount__isnull=True) | Q(cash_amount__gt=Decimal("0")), name="disruption_cash_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d/%m/%Y}"


class StaffKind(models.TextChoices):
    DETECTIVE = "detective", "Detective"
    NON_DETECTIVE = "non_detective", "Non-detective"


class StaffMember(models.Model):
    """A member of a hub's staff: detective or not, and how much work they can carry."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_post")
    hub = models.ForeignKey("areas.Hub", on_delete=models.PROTECT, related_name="staff")
    kind = models.CharField(max_length=16, choices=StaffKind.choices)
    capacity = models.PositiveSmallIntegerField(
        default=20, help_text="How many open items (cases, investigations, NRM referrals, actions) they can carry."
    )
    fte = models.DecimalField("full-time equivalent", max_digits=3, decimal_places=2, default=Decimal("1.00"))

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        ordering = ["hub__name", "user__full_name"]
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0, fte__lte=1), name="staff_fte_0_to_1"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()}, {self.hub})"
