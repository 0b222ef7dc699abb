"""Reading the crime aggregates: counts by LPA, LSOA, month and category.

Pages never scan ``Crime``. LPA-level figures and monthly trends come from ``CrimeLPAMonth``
(a few thousand rows); neighbourhood figures from ``CrimeCount`` (per LSOA). Each import
rebuilds both for the months it touches. Every function takes the categories and
an inclusive month range and returns plain dicts keyed by primary keys and first-of-month dates.
Crime data is public and aggregated, so reading it is not audited (like geography).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Max, Min, Sum

from socex.analytics.models import CrimeCount, CrimeLPAMonth
from socex.analytics.seasonal import add_months, month_range


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @property
    def months(self) -> list[dt.date]:
        return month_range(self.first, self.last)

    @property
    def length(self) -> int:
        return len(self.months)

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(add_months(self.first, -self.length), add_months(self.first, -1))

    def __str__(self) -> str:
        if self.first == self.last:
            return f"{self.first:%B %Y}"
        return f"{self.first:%B %Y} to {self.last:%B %Y}"


def month_bounds() -> tuple[dt.date, dt.date] | None:
    """The first and last months any crime is held for, or None if none is."""
    bounds = CrimeLPAMonth.objects.aggregate(first=Min("month"), last=Max("month"))
    if bounds["first"] is None:
        return None
    return bounds["first"], bounds["last"]


def available_months() -> list[dt.date]:
    return list(CrimeLPAMonth.objects.order_by("month").values_list("month", flat=True).distinct())


def default_period(months: int = 12) -> Period | None:
    """The latest ``months`` months held (fewer if fewer are held)."""
    bounds = month_bounds()
    if bounds is None:
        return None
    first, last = bounds
    return Period(max(first, add_months(last, -(months - 1))), last)


def _base(categories: Sequence[str], period: Period) -> object:
    """LPA-level counts (CrimeLPAMonth) for the categories and period."""
    return CrimeLPAMonth.objects.filter(category__in=list(categories), month__gte=period.first, month__lte=period.last)


def lpa_totals(categories: Sequence[str], period: Period) -> dict[int, int]:
    rows = _base(categories, period).values("lpa_id").annotate(n=Sum("count")).values_list("lpa_id", "n")  # type: ignore[attr-defined]
    return {lpa_id: int(n) for lpa_id, n in rows}


def lpa_month_counts(categories: Sequence[str], period: Period) -> dict[tuple[int, dt.date], int]:
    rows = (
        _base(categories, period)  # type: ignore[attr-defined]
        .values("lpa_id", "month")
        .annotate(n=Sum("count"))
        .values_list("lpa_id", "month", "n")
    )
    return {(lpa_id, month): int(n) for lpa_id, month, n in rows}


def lpa_category_counts(categories: Sequence[str], period: Period) -> dict[tuple[int, str], int]:
    rows = (
        _base(categories, period)  # type: ignore[attr-defined]
        .values("lpa_id", "category")
        .annotate(n=Sum("count"))
        .values_list("lpa_id", "category", "n")
    )
    return {(lpa_id, category): int(n) for lpa_id, category, n in rows}


def month_category_counts(categories: Sequence[str], period: Period, lpa_id: int) -> dict[tuple[dt.date, str], int]:
    rows = (
        _base(categories, period)  # type: ignore[attr-defined]
        .filter(lpa_id=lpa_id)
        .values("month", "category")
        .annotate(n=Sum("count"))
        .values_list("month", "category", "n")
    )
    return {(month, category): int(n) for month, category, n in rows}


def lsoa_totals(categories: Sequence[str], period: Period, lpa_id: int | None = None) -> dict[int, int]:
    qs = CrimeCount.objects.filter(
        category__in=list(categories), month__gte=period.first, month__lte=period.last, lsoa__isnull=False
    )
    if lpa_id is not None:
        qs = qs.filter(lpa_id=lpa_id)
    rows = qs.values("lsoa_id").annotate(n=Sum("count")).values_list("lsoa_id", "n")
    return {lsoa_id: int(n) for lsoa_id, n in rows}


def monthly_series(categories: Sequence[str], period: Period, lpa_id: int | None = None) -> list[tuple[dt.date, int]]:
    """Counts by month over the period, with 0 for months held but without such crimes, and
    months not held at all left out (so a forecast does not read them as zero)."""
    qs = _base(categories, period)
    if lpa_id is not None:
        qs = qs.filter(lpa_id=lpa_id)  # type: ignore[attr-defined]
    counts = dict(qs.values("month").annotate(n=Sum("count")).values_list("month", "n"))  # type: ignore[attr-defined]
    held = set(
        CrimeLPAMonth.objects.filter(month__gte=period.first, month__lte=period.last)
        .values_list("month", flat=True)
        .distinct()
    )
    return [(month, int(counts.get(month, 0))) for month in period.months if month in held]
