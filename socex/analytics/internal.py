"""Internal figures beside the public ones: referrals, cases, NRM referrals and intelligence by LPA.

Counts only, never records: each figure is a ``COUNT(*) ... GROUP BY lpa`` over the whole force,
because a force-wide picture must not depend on which cases the viewer happens to be able to
open (ADR 0021). No person-level data leaves this module. Viewers outside the police see small
counts suppressed (``socex.core.exports.suppress_small``; threshold
``SOCEX_ANALYTICS_SUPPRESS_BELOW``), so no small group of children can be singled out.

The public side (crimes from data.police.uk) is read from ``CrimeLPAMonth``, the per-LPA monthly
aggregate the crime import maintains beside ``CrimeCount`` (a few thousand rows, so no page sums
the per-LSOA table).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Max, Sum
from django.utils import timezone

from socex.analytics import options
from socex.core.exports import suppress_small

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.areas.models import LPA

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months after ``month`` (negative goes back)."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(month: dt.date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def short_month(month: dt.date) -> str:
    return f"{MONTH_NAMES[month.month - 1][:3]} {month.year}"


@dataclass(frozen=True)
class Period:
    """Whole calendar months: ``start`` is the first day of the first month."""

    start: dt.date
    months: int

    @property
    def end(self) -> dt.date:
        """The first day after the period (exclusive)."""
        return add_months(self.start, self.months)

    @property
    def last_month(self) -> dt.date:
        return add_months(self.start, self.months - 1)

    @property
    def label(self) -> str:
        if self.months == 1:
            return month_label(self.start)
        return f"{month_label(self.start)} to {month_label(self.last_month)}"

    def month_list(self) -> list[dt.date]:
        return [add_months(self.start, n) for n in range(self.months)]

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes (Europe/London) for fields that record a moment rather than a day."""
        tz = timezone.get_default_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        return start, dt.datetime.combine(self.end, dt.time.min, tzinfo=tz)


def latest_crime_month() -> dt.date | None:
    from socex.analytics.models import CrimeLPAMonth

    latest: dt.date | None = CrimeLPAMonth.objects.aggregate(latest=Max("month"))["latest"]
    return latest


def default_period(months: int | None = None, *, last_month: dt.date | None = None) -> Period:
    """The ``months`` (default ``SOCEX_ANALYTICS_PERIOD_MONTHS``) up to the latest month of crime
    data, or up to last month when no crime data has been imported."""
    months = months or options.period_months()
    if last_month is None:
        last_month = latest_crime_month() or add_months(timezone.localdate().replace(day=1), -1)
    return Period(start=add_months(last_month.replace(day=1), -(months - 1)), months=months)


# --- internal records ---------------------------------------------------------------------


@dataclass(frozen=True)
class InternalSource:
    key: str
    label: str
    description: str


INTERNAL_SOURCES: tuple[InternalSource, ...] = (
    InternalSource(
        "referrals",
        "Exploitation referrals",
        "Referrals submitted to the hubs in this service, by the LPA recorded on the referral and the date submitted.",
    ),
    InternalSource(
        "cases",
        "Cases opened",
        "Exploitation cases opened in this service, by the case's LPA and the date opened.",
    ),
    InternalSource(
        "nrm_referrals",
        "NRM referrals",
        "National Referral Mechanism referrals submitted by the hubs, by LPA and submission date.",
    ),
    InternalSource(
        "intelligence",
        "Intelligence reports",
        "Intelligence reports in this service, by the LPA they concern and the date the intelligence was obtained.",
    ),
)
SOURCES_BY_KEY = {source.key: source for source in INTERNAL_SOURCES}


@dataclass
class InternalCounts:
    """Counts per source and LPA id for one period; ``missing`` names sources with no model yet."""

    period: Period
    counts: dict[str, dict[int, int]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def count(self, key: str, lpa_id: int) -> int:
        return self.counts.get(key, {}).get(lpa_id, 0)

    def total(self, key: str) -> int:
        return sum(self.counts.get(key, {}).values())


def internal_counts(period: Period, sources: Iterable[InternalSource] = INTERNAL_SOURCES) -> InternalCounts:
    """How many of each kind of internal record each LPA had in ``period`` (whole force).

    The counting is the hubs' demand per LPA, which ``socex.investigations.workload`` owns (the
    workload pages show the same figures); analytics reads it rather than counting again.
    """
    from socex.investigations.workload import demand_by_lpa

    demand = demand_by_lpa(period.start, period.end - dt.timedelta(days=1))
    result = InternalCounts(period=period)
    for source in sources:
        result.counts[source.key] = {lpa_id: kinds[source.key] for lpa_id, kinds in demand.items() if kinds[source.key]}
    return result


# --- public crime figures -------------------------------------------------------------------


@dataclass
class CrimeCounts:
    """Crimes per LPA id and category for one period, and how many months of data it holds."""

    period: Period
    by_lpa: dict[int, dict[str, int]]
    months_with_data: int

    def count(self, lpa_id: int, categories: Sequence[str] | None = None) -> int:
        counts = self.by_lpa.get(lpa_id, {})
        if categories is None:
            return sum(counts.values())
        return sum(counts.get(category, 0) for category in categories)


def crime_counts(period: Period) -> CrimeCounts:
    from socex.analytics.models import CrimeLPAMonth

    in_period = CrimeLPAMonth.objects.filter(month__gte=period.start, month__lt=period.end)
    by_lpa: dict[int, dict[str, int]] = defaultdict(dict)
    for row in in_period.values("lpa_id", "category").annotate(n=Sum("count")).order_by():
        by_lpa[row["lpa_id"]][row["category"]] = row["n"]
    months = in_period.values("month").distinct().count()
    return CrimeCounts(period=period, by_lpa=dict(by_lpa), months_with_data=months)


def monthly_crime(lpa: LPA, months: Sequence[dt.date], categories: Sequence[str]) -> list[int | None]:
    """Crimes in ``categories`` for each month (None for a month with no crime data at all)."""
    from socex.analytics.models import CrimeLPAMonth

    if not months:
        return []
    window = CrimeLPAMonth.objects.filter(month__gte=months[0], month__lte=months[-1])
    present = set(window.values_list("month", flat=True).distinct())
    counts = {
        row["month"]: row["n"]
        for row in window.filter(lpa=lpa, category__in=categories).values("month").annotate(n=Sum("count")).order_by()
    }
    return [counts.get(month, 0) if month in present else None for month in months]


# --- who sees what ------------------------------------------------------------------------


def sees_exact_counts(user: User | AnonymousUser) -> bool:
    """Police analytics users see exact counts; everyone else sees small counts suppressed."""
    return bool(getattr(user, "is_police", False))


def shown(value: int, user: User | AnonymousUser) -> int | str:
    """``value`` as ``user`` may see it: exact for the police, small numbers suppressed otherwise."""
    return value if sees_exact_counts(user) else suppress_small(value, options.suppress_below())


def is_suppressed(value: int, user: User | AnonymousUser) -> bool:
    return shown(value, user) != value


# --- the page's table -----------------------------------------------------------------------


@dataclass
class LpaFigures:
    lpa: LPA
    residents: int
    serious_crimes: int
    serious_rate: float | None
    all_crimes: int
    internal: list[tuple[int | str, float | str | None]]  # (count as shown, rate per 100,000 a year)


@dataclass
class FiguresTable:
    period: Period
    crime_months: int
    serious_categories: tuple[str, ...]
    rows: list[LpaFigures]
    totals: list[int | str]
    internal_headers: list[str]
    missing: list[str]
    exact: bool
    threshold: int


def figures_table(
    user: User | AnonymousUser, lpas: Sequence[LPA], period: Period, serious_categories: Sequence[str]
) -> FiguresTable:
    """Per LPA: serious and all crimes (public) beside referrals, cases, NRM referrals and
    intelligence (internal), with annual rates per 1,000 (crime) or 100,000 (internal) residents."""
    crimes = crime_counts(period)
    internal = internal_counts(period)
    per_year = 12 / period.months
    crime_per_year = 12 / crimes.months_with_data if crimes.months_with_data else 0.0
    rows = []
    for lpa in lpas:
        serious = crimes.count(lpa.pk, serious_categories)
        cells: list[tuple[int | str, float | str | None]] = []
        for source in INTERNAL_SOURCES:
            value = internal.count(source.key, lpa.pk)
            visible = shown(value, user)
            rate: float | str | None = round(value * per_year / lpa.population * 100_000, 1) if lpa.population else None
            cells.append((visible, "*" if visible != value else rate))
        rows.append(
            LpaFigures(
                lpa=lpa,
                residents=lpa.population,
                serious_crimes=serious,
                serious_rate=round(serious * crime_per_year / lpa.population * 1000, 2)
                if lpa.population and crimes.months_with_data
                else None,
                all_crimes=crimes.count(lpa.pk),
                internal=cells,
            )
        )
    totals = [shown(internal.total(source.key), user) for source in INTERNAL_SOURCES]
    return FiguresTable(
        period=period,
        crime_months=crimes.months_with_data,
        serious_categories=tuple(serious_categories),
        rows=rows,
        totals=totals,
        internal_headers=[source.label for source in INTERNAL_SOURCES],
        missing=[SOURCES_BY_KEY[key].label for key in internal.missing],
        exact=sees_exact_counts(user),
        threshold=options.suppress_below(),
    )


# --- hub staff ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staff:
    detective: int = 0
    non_detective: int = 0

    @property
    def total(self) -> int:
        return self.detective + self.non_detective


def staff_by_hub() -> dict[int, Staff]:
    """Active members of each hub's teams (``Team.hub``), split into detective and non-detective
    posts: a member whose roles grant ``SOCEX_ANALYTICS_DETECTIVE_CAPABILITY`` is a detective.
    Counts of staff, not who they are."""
    from socex.accounts.models import User

    capability = options.detective_capability()
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    members = User.objects.filter(is_active=True, team__hub__isnull=False).select_related("team")
    for member in members.prefetch_related("roles"):
        detective = any(capability in (role.capabilities or []) for role in member.roles.all())
        tally[member.team.hub_id][0 if detective else 1] += 1  # type: ignore[union-attr,index]
    return {hub_id: Staff(detective=d, non_detective=n) for hub_id, (d, n) in tally.items()}


def posts_by_lpa() -> dict[int, float]:
    """Hub posts serving each LPA: each hub's staff shared among the LPAs it serves by residents."""
    from socex.areas.models import Hub

    staff = staff_by_hub()
    posts: dict[int, float] = defaultdict(float)
    for hub in Hub.objects.prefetch_related("lpas_served"):
        served = list(hub.lpas_served.all())
        residents = sum(lpa.population for lpa in served)
        total = staff.get(hub.pk, Staff()).total
        for lpa in served:
            posts[lpa.pk] += total * lpa.population / residents if residents else 0.0
    return dict(posts)
