"""The hub manager's figures: open investigations by status and age, disruptions by month and
LPA (the county-lines disruption figures), and outcomes. Counts only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from socex.investigations.models import (
    Disruption,
    DisruptionKind,
    Investigation,
    InvestigationStatus,
    Outcome,
    OutcomeKind,
)

AGE_BANDS = (
    ("Under 3 months", 0, 91),
    ("3 to 6 months", 91, 183),
    ("6 to 12 months", 183, 366),
    ("Over a year", 366, 100_000),
)


def open_by_status_and_age(today: dt.date | None = None) -> list[tuple[str, dict[str, int]]]:
    """Open investigations by status, each split into age bands by how long ago they opened (one query)."""
    today = today or timezone.localdate()
    counts: dict[str, dict[str, int]] = {}
    bands = {
        f"band_{n}": Count(
            "pk", filter=Q(opened_on__lte=today - dt.timedelta(days=low), opened_on__gt=today - dt.timedelta(days=high))
        )
        for n, (_, low, high) in enumerate(AGE_BANDS)
    }
    rows = Investigation.objects.values("status").annotate(**bands).values_list("status", *bands).order_by()
    for status, *per_band in rows:
        counts[status] = {band: total for (band, _, _), total in zip(AGE_BANDS, per_band, strict=True)}
    empty = {band: 0 for band, _, _ in AGE_BANDS}
    return [
        (str(label), counts.get(status, empty))
        for status, label in InvestigationStatus.choices
        if status != InvestigationStatus.CLOSED
    ]


def month_starts(end: dt.date, months: int) -> list[dt.date]:
    """The first days of the ``months`` months up to and including ``end``'s month, oldest first."""
    year, month = end.year, end.month
    starts = []
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def disruptions_by_month(
    end: dt.date, months: int = 12, lpa_id: int | None = None
) -> tuple[list[dt.date], dict[str, list[int]]]:
    """Per disruption kind, the quantity in each month (the county-lines disruption figures)."""
    starts = month_starts(end, months)
    rows = Disruption.objects.filter(occurred_on__gte=starts[0], occurred_on__lte=end)
    if lpa_id is not None:
        rows = rows.filter(lpa_id=lpa_id)
    totals: dict[tuple[str, dt.date], int] = {}
    for kind, month, total in (
        rows.annotate(month=TruncMonth("occurred_on"))
        .values_list("kind", "month")
        .annotate(total=Sum("quantity"))
        .order_by()
    ):
        month_day = month.date() if isinstance(month, dt.datetime) else month
        totals[(kind, month_day)] = total
    return starts, {kind: [totals.get((kind, start), 0) for start in starts] for kind in DisruptionKind.values}


def disruptions_by_lpa(start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    """Per LPA name, the quantity of each kind of disruption between ``start`` and ``end``."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(DisruptionKind.values, 0))
    for lpa, kind, total in (
        Disruption.objects.filter(occurred_on__range=(start, end))
        .values_list("lpa__name", "kind")
        .annotate(total=Sum("quantity"))
        .order_by()
    ):
        table[lpa][kind] = total
    return dict(sorted(table.items()))


def cash_seized(start: dt.date, end: dt.date) -> Decimal:
    return Disruption.objects.filter(occurred_on__range=(start, end)).aggregate(total=Sum("cash_amount"))[
        "total"
    ] or Decimal("0")


def outcomes_by_kind(start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    counts = dict(
        Outcome.objects.filter(outcome_on__range=(start, end))
        .values_list("kind")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return [(str(label), counts.get(kind, 0)) for kind, label in OutcomeKind.choices]
