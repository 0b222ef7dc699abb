"""VRP funding: budgets, allocations to projects, bids, response awards, spend claims and monitoring.

Money is ``Decimal`` in pounds and pence everywhere (``DecimalField(max_digits=12, decimal_places=2)``);
database constraints refuse negative amounts. A financial year is stored as the calendar year it
starts in (2024 means 1 April 2024 to 31 March 2025, shown as "2024/25").

Records copied from public VRP reports carry ``is_synthetic=False``; figures we had to make up
for the demo are marked ``is_synthetic=True`` and labelled so on every page and export.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from socex.funding.access import (
    AllocationQuerySet,
    BidQuerySet,
    BudgetQuerySet,
    MonitoringReturnQuerySet,
    ResponseAwardQuerySet,
    SpendClaimQuerySet,
)


def money_field(verbose_name: str | None = None, **options: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """Pounds and pence up to £9,999,999,999.99."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **options)


ZERO = Decimal("0.00")


def financial_year_of(day: dt.date) -> int:
    """The financial year (its starting calendar year) that ``day`` falls in: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def financial_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of quarter 1 (April to June) ... 4 (January to March) of a financial year."""
    start_month = 4 + 3 * (quarter - 1)
    start = dt.date(year + (start_month - 1) // 12, (start_month - 1) % 12 + 1, 1)
    end_month = start_month + 3
    after = dt.date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return start, after - dt.timedelta(days=1)


def _non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=name)


class Programme(models.TextChoices):
    LOCAL_DELIVERY = "local_delivery", "Local delivery"
    RESPONSE = "response", "Response fund"
    OTHER = "other", "Other grants"


class Budget(models.Model):
    """Money the VRP has to spend in one programme, year and (usually) one LPA."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=200)
    programme = models.CharField(max_length=20, choices=Programme.choices)
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts: 2024 means 2024/25.")
    lpa = models.ForeignKey(
        "areas.LPA",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vrp_budgets",
        help_text="Empty for a force-wide budget.",
    )
    amount = money_field()
    source = models.CharField(max_length=200, help_text="Where the money comes from, e.g. Home Office VRU grant.")
    from_bid = models.OneToOneField(
        "Bid", null=True, blank=True, on_delete=models.PROTECT, related_name="resulting_budget"
    )
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year", "lpa__name", "programme", "name"]
        constraints = [_non_negative("amount", "budget_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.name} ({financial_year_label(self.financial_year)})"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Statuses whose money counts against the budget.
COMMITTED_STATUSES = (
    AllocationStatus.PROPOSED,
    AllocationStatus.APPROVED,
    AllocationStatus.ACTIVE,
    AllocationStatus.COMPLETED,
)


class Allocation(models.Model):
    """Money from a budget to a project or intervention, led by one organisation."""

    id = models.BigAutoField(primary_key=True)
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="allocations")
    project = models.CharField("project or intervention", max_length=200)
    lead = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="vrp_allocations")
    amount = money_field()
    detail = models.TextField(blank=True)
    target_areas = models.CharField(max_length=300, blank=True, help_text="E.g. North and South Walsall.")
    target_cohort = models.CharField(max_length=300, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=AllocationStatus.choices, default=AllocationStatus.PROPOSED)
    takes_case_referrals = models.BooleanField(
        default=False, help_text="An intervention that hub cases are referred to (counted, as totals only)."
    )
    over_budget_reason = models.TextField(blank=True)
    over_budget_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["budget", "project"]
        constraints = [
            _non_negative("amount", "allocation_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="allocation_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.project


class BidStatus(models.TextChoices):
    DRAFT = "draft", "Being written"
    SUBMITTED = "submitted", "Submitted, decision pending"
    SUCCESSFUL = "successful", "Successful"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Bid(models.Model):
    """A bid to a funder, often with partners. A successful bid becomes a budget."""

    id = models.BigAutoField(primary_key=True)
    title = models.CharField(max_length=200)
    funder = models.CharField(max_length=200)
    amount_sought = money_field()
    amount_awarded = money_field(null=True, blank=True)
    lead = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="vrp_bids_led")
    partners = models.ManyToManyField("accounts.Organisation", blank=True, related_name="vrp_bids_joined")
    programme = models.CharField(max_length=20, choices=Programme.choices, default=Programme.OTHER)
    lpa = models.ForeignKey("areas.LPA", null=True, blank=True, on_delete=models.PROTECT, related_name="vrp_bids")
    submitted_on = models.DateField(null=True, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=BidStatus.choices, default=BidStatus.DRAFT)
    outcome = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = BidQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "title"]
        constraints = [
            _non_negative("amount_sought", "bid_amount_not_negative"),
            _non_negative("amount_awarded", "bid_award_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class ResponseAward(models.Model):
    """A payment from a response budget after an incident, e.g. to schools affected by violence."""

    id = models.BigAutoField(primary_key=True)
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="response_awards")
    incident_date = models.DateField()
    lpa = models.ForeignKey("areas.LPA", on_delete=models.PROTECT, related_name="vrp_response_awards")
    incident = models.TextField("what happened")
    recipients = models.ManyToManyField("accounts.Organisation", related_name="vrp_response_awards")
    amount = money_field()
    purpose = models.TextField()
    awarded_on = models.DateField()
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ResponseAwardQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_on", "-id"]
        constraints = [_non_negative("amount", "award_amount_not_negative")]

    def __str__(self) -> str:
        return f"Response award of {self.awarded_on:%d/%m/%Y}"


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class SpendClaim(models.Model):
    """Money the lead organisation says it has spent on an allocation, for the VRP to approve."""

    id = models.BigAutoField(primary_key=True)
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="spend_claims")
    amount = money_field()
    description = models.CharField(max_length=300)
    spent_on = models.DateField()
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    objects = SpendClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [_non_negative("amount", "claim_amount_not_negative")]

    def __str__(self) -> str:
        return f"Claim for {self.allocation}"


class MonitoringReturn(models.Model):
    """A lead organisation's quarterly report on an allocation: outputs and outcomes."""

    id = models.BigAutoField(primary_key=True)
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="monitoring_returns")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(help_text="1 = April to June ... 4 = January to March.")
    young_people_reached = models.PositiveIntegerField()
    sessions_delivered = models.PositiveIntegerField()
    outcomes = models.TextField(help_text="What changed for the young people, in plain words.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = MonitoringReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "financial_year", "quarter"], name="one_return_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="return_quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.allocation}: Q{self.quarter} {financial_year_label(self.financial_year)}"

    @property
    def period_label(self) -> str:
        return f"Quarter {self.quarter} of {financial_year_label(self.financial_year)}"


class InterventionReferral(models.Model):
    """A hub case referred to a funded intervention. Only ever reported as totals."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="case_referrals")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="intervention_referrals")
    referred_on = models.DateField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["allocation", "case"], name="case_referred_once")]

    def __str__(self) -> str:
        return f"{self.case} referred to {self.allocation}"
