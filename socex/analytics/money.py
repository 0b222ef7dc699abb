"""Does the money follow the risk? VRP funding per resident beside the threat-risk ranking, and the
briefing sections that read other apps (VRP allocations from funding, operations and disruption
from investigations).

Analytics reads the apps below it and nothing imports analytics (ADR 0022): the funding figures
come from ``socex.funding.reports``, the operations from ``socex.investigations``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

from socex.analytics.briefing import BriefingContext, BriefingSection, Fact, Paragraph, Source, Table
from socex.analytics.ranking import Ranking
from socex.core.templatetags.socex import money
from socex.funding.models import financial_year_label
from socex.funding.reports import LpaFunding, allocation_table, funding_by_lpa

if TYPE_CHECKING:
    pass

FUNDING_SOURCE = Source("vrp", "VRP budgets, allocations and response awards recorded in SOCEX Hub (funding)")
OPERATIONS_SOURCE = Source("operations", "Operations, investigations and the disruption log recorded in SOCEX Hub")


@dataclass
class MoneyRow:
    rank: int
    name: str
    score: float
    funding: LpaFunding
    funding_rank: int

    @property
    def gap(self) -> int:
        """How many places lower the area is for money than for risk (positive: under-funded for its risk)."""
        return self.funding_rank - self.rank


def money_against_risk(ranking: Ranking, year: int) -> list[MoneyRow]:
    """Each LPA's risk rank beside its funding per resident and where that funding ranks."""
    funding = {row.lpa.code: row for row in funding_by_lpa(year)}
    by_money = sorted(funding.values(), key=lambda row: row.per_head, reverse=True)
    money_rank = {row.lpa.code: n for n, row in enumerate(by_money, start=1)}
    rows = [
        MoneyRow(area.rank, area.name, area.score, funding[area.code], money_rank[area.code])
        for area in ranking.areas
        if area.code in funding
    ]
    return sorted(rows, key=lambda row: row.rank)


def spearman(rows: list[MoneyRow]) -> float | None:
    """Rank correlation between risk and funding per resident: 1 means the money follows the risk exactly."""
    n = len(rows)
    if n < 3 or all(row.funding.allocated == 0 for row in rows):
        return None
    squared = sum((row.rank - row.funding_rank) ** 2 for row in rows)
    return 1 - 6 * squared / (n * (n * n - 1))


def verdict(correlation: float | None) -> str:
    if correlation is None:
        return "There is not enough funding recorded for this year to say whether it follows the risk."
    if correlation >= 0.7:
        return (
            "Broadly yes: the areas ranked at higher risk receive more funding per resident "
            f"(rank correlation {correlation:.2f})."
        )
    if correlation >= 0.3:
        return (
            f"Partly: funding per resident follows the risk ranking only loosely (rank correlation {correlation:.2f})."
        )
    return f"No: funding per resident does not follow the risk ranking (rank correlation {correlation:.2f})."


# --- Briefing sections ---------------------------------------------------------------------------


def vrp_section(context: BriefingContext) -> BriefingSection | None:
    """The VRP section of an area briefing: what was allocated in the area, to whom and for what."""
    year = (
        context.period.last_month.year if context.period.last_month.month >= 4 else context.period.last_month.year - 1
    )
    table = allocation_table(None, lpa=context.lpa, year=year)  # the published allocations
    per_lpa = {row.lpa.pk: row for row in funding_by_lpa(year)}
    here = per_lpa.get(context.lpa.pk)
    section = BriefingSection(
        key="vrp-allocations",
        title=f"Violence Reduction Partnership funding, {financial_year_label(year)}",
        sources=[FUNDING_SOURCE],
    )
    if not table.rows:
        section.paragraphs.append(
            Paragraph(
                f"No VRP allocations to {context.lpa.name} are recorded for {financial_year_label(year)}.", ("vrp",)
            )
        )
        return section
    section.facts.append(Fact("Allocated in the area", money(table.total), ("vrp",)))
    if here is not None:
        section.facts.append(Fact("Per resident", money(here.per_head), ("vrp",)))
    section.tables.append(
        Table(
            caption=f"Allocations in {context.lpa.name}",
            headers=["Project/Intervention", "Lead", "Allocation", "Detail"],
            rows=[[row.project, row.lead, money(row.amount), row.detail] for row in table.rows],
            numeric=(2,),
            sources=("vrp",),
        )
    )
    return section


def operations_section(context: BriefingContext) -> BriefingSection | None:
    """Operations and disruption in the area: counts, and the operations' names (no case detail)."""
    from socex.investigations.access import can_read
    from socex.investigations.models import Disruption, DisruptionKind, Investigation, Operation

    start, end = context.period.start, context.period.end
    operations = Operation.objects.filter(start_date__lt=end).exclude(end_date__lt=start)
    local = [op.name for op in operations if op.scope == "force_wide" or op.lpas.filter(pk=context.lpa.pk).exists()]
    disruption = dict(
        Disruption.objects.filter(lpa=context.lpa, occurred_on__gte=start, occurred_on__lt=end)
        .values_list("kind")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    section = BriefingSection(key="operations", title="Operations and disruption", sources=[OPERATIONS_SOURCE])
    section.paragraphs.append(
        Paragraph(
            f"Operations running in {context.lpa.name} in the period: {', '.join(local) or 'none recorded'}.",
            ("operations",),
        )
    )
    rows = [[str(label), str(context.shown(disruption.get(kind, 0)))] for kind, label in DisruptionKind.choices]
    section.tables.append(
        Table(
            caption="Disruption in the period",
            headers=["What", "How many"],
            rows=rows,
            numeric=(1,),
            sources=("operations",),
        )
    )
    if can_read(context.user):
        open_here = Investigation.objects.open().filter(lpa=context.lpa).count()
        section.facts.append(Fact("Open investigations in the area", str(open_here), ("operations",)))
    return section


def funding_year_choices() -> list[int]:
    from socex.funding.models import Budget

    return sorted(set(Budget.objects.values_list("financial_year", flat=True)), reverse=True)


def total_funding(rows: list[MoneyRow]) -> Decimal:
    return sum((row.funding.allocated for row in rows), Decimal("0"))
