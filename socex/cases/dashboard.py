"""Figures about cases: the home-page panel and the cases dashboard.

Every figure counts only cases the viewer may see (``Case.objects.visible_to``) and links to the
case list filtered the same way, so each number can be opened and checked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from socex.cases.access import can_approve_closure, can_use_cases, sees_all_cases
from socex.cases.models import Case, CaseStatus
from socex.cases.vocab import RISK_ORDER, ExploitationType, RiskLevel
from socex.core.dashboard import Figure, Panel

if TYPE_CHECKING:
    from socex.accounts.models import User

MONTHS = 12


def list_url(**filters: Any) -> str:
    url = reverse("cases:list")
    return f"{url}?{urlencode(filters)}" if filters else url


def cases_panel(user: User) -> Panel | None:
    """My open cases, the cases whose risk review is overdue and, for supervisors, closures to decide."""
    if not can_use_cases(user):
        return None
    open_cases = Case.objects.visible_to(user).open()
    today = timezone.localdate()
    figures = [
        Figure(
            "Open cases where you are the keyworker",
            f"{open_cases.filter(keyworker=user).count():,}",
            href=list_url(mine="on"),
        ),
        Figure(
            "Open cases with a risk review overdue",
            f"{open_cases.filter(review_due__lt=today).count():,}",
            href=list_url(review_overdue="on"),
        ),
    ]
    if can_approve_closure(user):
        waiting = open_cases.filter(status=CaseStatus.CLOSURE_REQUESTED).count()
        figures.append(
            Figure("Closure requests awaiting a decision", f"{waiting:,}", href=list_url(status="closure_requested"))
        )
    if not sees_all_cases(user):
        figures.append(Figure("Open cases your agency is on", f"{open_cases.count():,}", href=list_url()))
    return Panel(title="Cases", figures=figures, link_text="Cases dashboard", link_href=reverse("cases:dashboard"))


def exploitation_counts(cases: QuerySet[Case]) -> dict[str, int]:
    """How many of ``cases`` involve each exploitation type (a case may count under several).

    Counted in the database, element by element of each case's list of types, so the figures
    come back in one query however many cases there are.
    """
    sql, params = cases.order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(Case._meta.db_table)
    if connection.vendor == "postgresql":
        query = (
            f"SELECT e.code, COUNT(*) FROM {table} c CROSS JOIN LATERAL "  # noqa: S608 - table name from the model, values bound
            f"jsonb_array_elements_text(c.exploitation_types) AS e(code) WHERE c.id IN ({sql}) GROUP BY e.code"
        )
    elif connection.vendor == "sqlite":
        query = (
            f"SELECT e.value, COUNT(*) FROM {table} c, json_each(c.exploitation_types) e "  # noqa: S608 - as above
            f"WHERE c.id IN ({sql}) GROUP BY e.value"
        )
    else:
        counter: Counter[str] = Counter()
        for codes in cases.values_list("exploitation_types", flat=True):
            counter.update(codes)
        return dict(counter)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {str(code): int(count) for code, count in cursor.fetchall()}


def _months(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for back in range(MONTHS - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(dt.date(year, month + 1, 1))
    return months


def _per_month(cases: QuerySet[Case], field: str, since: dt.datetime) -> dict[dt.date, int]:
    rows = (
        cases.filter(**{f"{field}__gte": since})
        .order_by()
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("id"))
    )
    found: dict[dt.date, int] = {}
    for row in rows:
        month = row["month"]
        day = timezone.localtime(month).date() if isinstance(month, dt.datetime) else month
        found[day.replace(day=1)] = found.get(day.replace(day=1), 0) + row["n"]
    return found


def dashboard_context(user: User) -> dict[str, Any]:
    """Open cases by LPA, risk level and exploitation type, and cases opened and closed each month."""
    visible = Case.objects.visible_to(user)
    open_cases = visible.open()
    by_lpa = list(
        open_cases.order_by().values("lpa_id", "lpa__name").annotate(n=Count("id")).order_by("-n", "lpa__name")
    )
    risk = {row["risk_level"]: row["n"] for row in open_cases.order_by().values("risk_level").annotate(n=Count("id"))}
    by_risk = sorted(
        ((code, label, risk.get(code, 0)) for code, label in RiskLevel.choices), key=lambda r: -RISK_ORDER[r[0]]
    )
    types = exploitation_counts(open_cases)
    by_type = sorted(
        ((code, label, types.get(code, 0)) for code, label in ExploitationType.choices), key=lambda r: (-r[2], r[1])
    )
    months = _months(timezone.localdate())
    since = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    opened = _per_month(visible, "opened_at", since)
    closed = _per_month(visible.filter(status=CaseStatus.CLOSED), "closed_at", since)
    return {
        "page_title": "Cases dashboard",
        "open_total": sum(row["n"] for row in by_lpa),
        "by_lpa": [(row["lpa__name"], row["n"], list_url(lpa=row["lpa_id"])) for row in by_lpa],
        "lpa_bars": [(row["lpa__name"], row["n"]) for row in by_lpa],
        "by_risk": [(label, n, list_url(risk_level=code)) for code, label, n in by_risk],
        "risk_bars": [(label, n) for _, label, n in by_risk],
        "by_type": [(label, n, list_url(exploitation_type=code)) for code, label, n in by_type],
        "type_bars": [(label, n) for _, label, n in by_type if n],
        "month_labels": [f"{month:%b %Y}" for month in months],
        "month_series": [
            {"name": "Cases opened", "values": [opened.get(month, 0) for month in months]},
            {"name": "Cases closed", "values": [closed.get(month, 0) for month in months]},
        ],
    }
