"""The funding reports: the allocation table, budget against allocated against spent, funding per
head by LPA, and children reached from hub cases. Every figure is summed in ``Decimal`` so
totals add up to the penny; every query starts from ``visible_to(user)``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum

from socex.areas.models import LPA
from socex.core.exports import suppress_small
from socex.funding import conf
from socex.funding.models import (
    COMMITTED_STATUSES,
    ZERO,
    Allocation,
    Budget,
    ClaimStatus,
    InterventionReferral,
    ResponseAward,
    financial_year_label,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User

ALLOCATION_TABLE_HEADERS = ["Project/Intervention", "Lead", "Allocation", "Detail"]
SYNTHETIC_NOTE = "Figures marked * are synthetic (made up for the demonstration), not published figures."


@dataclass
class AllocationRow:
    project: str
    lead: str
    amount: Decimal
    detail: str
    is_synthetic: bool
    pk: int


@dataclass
class AllocationTable:
    lpa: LPA | None
    year: int | None
    rows: list[AllocationRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), ZERO)

    @property
    def title(self) -> str:
        area = self.lpa.name if self.lpa else "All areas"
        year = financial_year_label(self.year) if self.year else "all years"
        return f"VRP local delivery allocations: {area}, {year}"

    @property
    def has_synthetic(self) -> bool:
        return any(row.is_synthetic for row in self.rows)

    def export_rows(self) -> list[list[object]]:
        """Rows for CSV, XLSX and PDF, with a total row that adds up to the penny."""
        rows: list[list[object]] = [
            [row.project + (" *" if row.is_synthetic else ""), row.lead, row.amount, row.detail] for row in self.rows
        ]
        rows.append(["Total", "", self.total, ""])
        return rows


def allocation_table(user: User | AnonymousUser | None, *, lpa: LPA | None, year: int | None) -> AllocationTable:
    """Allocations (not withdrawn) for an LPA and financial year: Project/Intervention, Lead, Allocation, Detail.

    ``user`` None is the published table (the analytics area briefing): every allocation, which is
    what the VRP publishes; otherwise only the allocations the user may see.
    """
    visible = Allocation.objects.all() if user is None else Allocation.objects.visible_to(user)
    allocations = (
        visible.filter(status__in=COMMITTED_STATUSES).select_related("lead", "budget").order_by("-amount", "project")
    )
    if lpa is not None:
        allocations = allocations.filter(budget__lpa=lpa)
    if year is not None:
        allocations = allocations.filter(budget__financial_year=year)
    table = AllocationTable(lpa=lpa, year=year)
    table.rows = [
        AllocationRow(a.project, a.lead.name, a.amount, a.detail, a.is_synthetic or a.budget.is_synthetic, a.pk)
        for a in allocations
    ]
    return table


@dataclass
class BudgetLine:
    budget: Budget
    allocated: Decimal
    spent: Decimal

    @property
    def unallocated(self) -> Decimal:
        return self.budget.amount - self.allocated

    @property
    def unspent(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def spent_percent(self) -> int:
        return int((100 * self.spent / self.allocated).to_integral_value(ROUND_HALF_UP)) if self.allocated else 0


def budget_lines(user: User | AnonymousUser, *, lpa: LPA | None = None, year: int | None = None) -> list[BudgetLine]:
    """Each visible budget with what has been allocated (or awarded) from it and what has been spent."""
    budgets = Budget.objects.visible_to(user).select_related("lpa")
    if lpa is not None:
        budgets = budgets.filter(lpa=lpa)
    if year is not None:
        budgets = budgets.filter(financial_year=year)
    budgets = budgets.annotate(
        allocated=Sum("allocations__amount", filter=Q(allocations__status__in=COMMITTED_STATUSES)),
    )
    awarded = dict(ResponseAward.objects.filter(budget__in=budgets).values_list("budget").annotate(total=Sum("amount")))
    spent = dict(
        Allocation.objects.filter(budget__in=budgets)
        .values_list("budget")
        .annotate(total=Sum("spend_claims__amount", filter=Q(spend_claims__status=ClaimStatus.APPROVED)))
    )
    lines = []
    for budget in budgets:
        allocated = (budget.allocated or ZERO) + (awarded.get(budget.pk) or ZERO)  # type: ignore[attr-defined]
        # Response awards are paid when made: they count as spent as well as allocated.
        lines.append(BudgetLine(budget, allocated, (spent.get(budget.pk) or ZERO) + (awarded.get(budget.pk) or ZERO)))
    return lines


@dataclass
class LpaFunding:
    lpa: LPA
    allocated: Decimal
    residents: int
    young_residents: int

    @property
    def per_head(self) -> Decimal:
        return (self.allocated / self.residents).quantize(Decimal("0.01"), ROUND_HALF_UP) if self.residents else ZERO

    @property
    def per_young_person(self) -> Decimal:
        if not self.young_residents:
            return ZERO
        return (self.allocated / self.young_residents).quantize(Decimal("0.01"), ROUND_HALF_UP)


def funding_by_lpa(year: int) -> list[LpaFunding]:
    """Money allocated or awarded in each LPA in a financial year, per resident and per resident under 25.

    Aggregates only (no personal data), for VRP staff and the analytics "does the money follow
    the risk?" page. Force-wide budgets are not shared out between LPAs: they are left out, and
    the page says so. Residents come from the LPA's population; residents under 25 from the
    Census 2021 age bands of its LSOAs (0 to 15 and 16 to 24).
    """
    allocated: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for lpa_id, total in (
        Allocation.objects.filter(budget__financial_year=year, budget__lpa__isnull=False, status__in=COMMITTED_STATUSES)
        .values_list("budget__lpa")
        .annotate(total=Sum("amount"))
    ):
        allocated[lpa_id] += total or ZERO
    for lpa_id, total in (
        ResponseAward.objects.filter(budget__financial_year=year).values_list("lpa").annotate(total=Sum("amount"))
    ):
        allocated[lpa_id] += total or ZERO
    lpas = LPA.objects.annotate(
        young=Sum("lsoas__population_0_15") + Sum("lsoas__population_16_24"),
    ).order_by("name")
    return [LpaFunding(lpa, allocated[lpa.pk], lpa.population, lpa.young or 0) for lpa in lpas]  # type: ignore[attr-defined]


def referred_from_cases(allocation: Allocation, *, police: bool) -> int | str:
    """How many people from hub cases were referred to this intervention: a total, never a list.

    Small numbers are shown as ``*`` to anyone outside the police (the lead organisation, the VRP),
    so no child can be singled out; the threshold is ``SOCEX_FUNDING_SUPPRESS_BELOW``.
    """
    people = (
        InterventionReferral.objects.filter(allocation=allocation).aggregate(
            people=Count("case__case_subjects__person", distinct=True)
        )["people"]
        or 0
    )
    return people if police else suppress_small(people, conf.suppress_below())


def year_totals(lines: list[BudgetLine]) -> dict[str, Decimal]:
    return {
        "budget": sum((line.budget.amount for line in lines), ZERO),
        "allocated": sum((line.allocated for line in lines), ZERO),
        "spent": sum((line.spent for line in lines), ZERO),
    }
