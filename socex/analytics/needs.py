"""The serious violence needs assessment: counts and rates by LPA and month, and trends.

Rates are per 1,000 residents (``SOCEX_ANALYTICS_POPULATION_PER``) from the areas reference data
(Census 2021 usual residents). Young people: the Census table the areas hold has the bands 0-15
and 16-24 only (DOMAIN.md §5.2: no verified 10-24 counts), so "aged 10 to 24" is **estimated**
as everyone aged 16-24 plus a share of those aged 0-15 (``SOCEX_ANALYTICS_AGED_10_15_SHARE``,
default 6/16: an even spread over the ages 0 to 15). Pages say so next to the figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Sum

from socex.analytics import conf, crime
from socex.analytics.crime import Period


def aged_10_15_share() -> float:
    """``SOCEX_ANALYTICS_AGED_10_15_SHARE`` (6/16): the share of residents aged 0-15 taken to be 10-15."""
    return float(getattr(settings, "SOCEX_ANALYTICS_AGED_10_15_SHARE", 6 / 16))


@dataclass(frozen=True)
class Population:
    residents: int
    aged_0_15: int | None
    aged_16_24: int | None

    @property
    def aged_10_24(self) -> float | None:
        """Estimated: 16-24 plus a share of 0-15 (see the module docstring)."""
        if self.aged_0_15 is None or self.aged_16_24 is None:
            return None
        return self.aged_16_24 + aged_10_15_share() * self.aged_0_15


def lpa_populations(force_id: int | None = None) -> dict[int, Population]:
    from socex.areas.models import LPA, LSOA

    lpas = LPA.objects.all() if force_id is None else LPA.objects.filter(force_id=force_id)
    ages: dict[int, tuple[int | None, int | None]] = {
        lpa_id: (a, b)
        for lpa_id, a, b in LSOA.objects.values("lpa_id")
        .annotate(a=Sum("population_0_15"), b=Sum("population_16_24"))
        .values_list("lpa_id", "a", "b")
    }
    return {lpa.pk: Population(lpa.population, *ages.get(lpa.pk, (None, None))) for lpa in lpas}


def rate(count: float | None, population: float | None) -> float | None:
    if count is None or not population:
        return None
    return count * conf.population_per() / population


def change(now: int, before: int | None) -> float | None:
    """Percentage change, or None when there is nothing to compare with."""
    if not before:
        return None
    return 100.0 * (now - before) / before


@dataclass
class LPARow:
    lpa: Any
    count: int
    rate: float | None
    youth_rate: float | None
    previous: int | None
    change: float | None
    by_category: dict[str, int]


@dataclass
class Assessment:
    categories: list[str]
    period: Period
    rows: list[LPARow]
    total: LPARow
    months: list[dt.date]
    series_counts: dict[int, list[int]]
    series_rates: dict[int, list[float | None]]
    previous_held: bool
    notes: list[str] = field(default_factory=list)

    @property
    def month_labels(self) -> list[str]:
        return [f"{m:%b %Y}" for m in self.months]

    def chart_series(self, kind: str = "rates") -> list[dict[str, Any]]:
        data = self.series_rates if kind == "rates" else self.series_counts
        return [{"name": row.lpa.name, "values": data[row.lpa.pk]} for row in self.rows]

    def bars(self) -> list[tuple[str, float]]:
        return [(row.lpa.name, round(row.rate or 0, 2)) for row in sorted(self.rows, key=lambda r: -(r.rate or 0))]


def assess(categories: Sequence[str], period: Period) -> Assessment:
    """Counts and rates for each LPA over ``period``, with the change on the period before."""
    from socex.areas.models import LPA

    categories = list(categories)
    lpas = list(LPA.objects.select_related("force").order_by("name"))
    populations = lpa_populations()
    by_category = crime.lpa_category_counts(categories, period)
    previous_period = period.previous()
    held = crime.month_bounds()
    previous_held = held is not None and held[0] <= previous_period.first
    previous = crime.lpa_totals(categories, previous_period) if previous_held else {}
    by_month = crime.lpa_month_counts(categories, period)
    months = period.months
    rows = []
    for lpa in lpas:
        cats = {c: by_category.get((lpa.pk, c), 0) for c in categories}
        count = sum(cats.values())
        pop = populations[lpa.pk]
        before = previous.get(lpa.pk, 0) if previous_held else None
        rows.append(
            LPARow(
                lpa=lpa,
                count=count,
                rate=rate(count, pop.residents),
                youth_rate=rate(count, pop.aged_10_24),
                previous=before,
                change=change(count, before),
                by_category=cats,
            )
        )
    total_pop = sum(p.residents for p in populations.values())
    youth = [p.aged_10_24 for p in populations.values()]
    total_youth = sum(y for y in youth if y is not None) if all(y is not None for y in youth) else None
    total_count = sum(r.count for r in rows)
    total_before = sum(r.previous or 0 for r in rows) if previous_held else None

    class _Force:
        pk = 0
        name = "All LPAs"
        code = ""

    total = LPARow(
        lpa=_Force(),
        count=total_count,
        rate=rate(total_count, total_pop),
        youth_rate=rate(total_count, total_youth),
        previous=total_before,
        change=change(total_count, total_before),
        by_category={c: sum(r.by_category[c] for r in rows) for c in categories},
    )
    series_counts = {lpa.pk: [by_month.get((lpa.pk, m), 0) for m in months] for lpa in lpas}
    series_rates = {
        lpa.pk: [_round(rate(n, populations[lpa.pk].residents)) for n in series_counts[lpa.pk]] for lpa in lpas
    }
    return Assessment(
        categories=categories,
        period=period,
        rows=rows,
        total=total,
        months=months,
        series_counts=series_counts,
        series_rates=series_rates,
        previous_held=previous_held,
    )


def _round(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


@dataclass
class LPAMonthRow:
    month: dt.date
    counts: dict[str, int]
    total: int
    rate: float | None
    youth_rate: float | None


def lpa_months(lpa: Any, categories: Sequence[str], period: Period) -> list[LPAMonthRow]:
    """One LPA, month by month: counts by category, and the rates of their total."""
    pop = lpa_populations().get(lpa.pk)
    counts = crime.month_category_counts(categories, period, lpa.pk)
    rows = []
    for month in period.months:
        by_cat = {c: counts.get((month, c), 0) for c in categories}
        total = sum(by_cat.values())
        rows.append(
            LPAMonthRow(
                month=month,
                counts=by_cat,
                total=total,
                rate=rate(total, pop.residents if pop else None),
                youth_rate=rate(total, pop.aged_10_24 if pop else None),
            )
        )
    return rows


def youth_note() -> str:
    share = aged_10_15_share()
    return (
        "Estimated: the Census 2021 figures held give residents aged 0 to 15 and 16 to 24 only, so "
        f"'aged 10 to 24' is everyone aged 16 to 24 plus {share:.0%} of those aged 0 to 15 (as if "
        "ages 0 to 15 were spread evenly). Treat it as a guide, not an official count."
    )
