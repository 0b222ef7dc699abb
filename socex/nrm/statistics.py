"""NRM and Duty to Notify statistics in the dimensions of the Home Office quarterly statistics.

Everything is counted from the records the user may see (``visible_to``), by calendar quarter:

* **Referrals** by the quarter they were submitted, broken down by age group, gender,
  nationality, exploitation type (each referral counted once: its category, or "more than one
  type"), first responder type, LPA and the county-lines flag. Every breakdown adds up to the
  quarter's total.
* **Decisions** by the quarter they were made: reasonable and conclusive grounds, positive,
  negative and withdrawn (a decision made on reconsideration counts in its own quarter).
* **Waiting times**: days from submission to the reasonable grounds decision (calendar and
  working days) and from the positive reasonable grounds decision to the conclusive decision, for
  the decisions made in the period (median and mean); and today's waits.
* **Duty to Notify reports** by the quarter they were sent, with nationality and gender.

Exports marked for partners show every count from 1 up to the suppression threshold as ``*``
(``socex.core.exports.suppress_small``). Totals are suppressed by the same rule; no secondary
suppression is done, so a suppressed cell can sometimes be worked out from its row's total.
"""

from __future__ import annotations

import datetime as dt
import statistics as stats
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from socex.core.exports import suppress_small
from socex.nrm import rules
from socex.nrm.clocks import tray_querysets
from socex.nrm.models import AgeGroup, Decision, DutyToNotify, Gender, NrmReferral, Outcome, Stage

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.areas.models import LPA

Quarter = tuple[int, int]
NOT_KNOWN = "Not specified or unknown"


def quarter_of(day: dt.date | None) -> Quarter:
    """The calendar quarter of ``day`` (a filtered query's date: never None here)."""
    assert day is not None
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(quarter: Quarter) -> str:
    return f"{quarter[0]} Q{quarter[1]}"


def quarter_start(quarter: Quarter) -> dt.date:
    return dt.date(quarter[0], 3 * (quarter[1] - 1) + 1, 1)


def quarter_end(quarter: Quarter) -> dt.date:
    year, number = quarter
    following = (year + 1, 1) if number == 4 else (year, number + 1)
    return quarter_start(following) - dt.timedelta(days=1)


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    found = []
    year, number = first
    while (year, number) <= last:
        found.append((year, number))
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return found


def parse_quarter(text: str) -> Quarter | None:
    """'2023 Q3', '2023-Q3', '2023Q3' or 'Q3 2023' as (2023, 3); None if it is not a quarter."""
    import re

    cleaned = text.strip().upper().replace("-", " ").replace("/", " ")
    match = re.fullmatch(r"(\d{4})\s*Q([1-4])", cleaned) or re.fullmatch(r"Q([1-4])\s*(\d{4})", cleaned)
    if not match:
        return None
    first, second = match.groups()
    return (int(first), int(second)) if len(first) == 4 else (int(second), int(first))


def default_period(today: dt.date | None = None) -> tuple[Quarter, Quarter]:
    """The last four quarters, ending with the current one."""
    last = quarter_of(today or timezone.localdate())
    year, number = last
    for _ in range(3):
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return (year, number), last


@dataclass
class Table:
    key: str
    title: str
    dimension: str
    quarters: list[Quarter]
    rows: list[tuple[str, list[int]]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [self.dimension, *(quarter_label(q) for q in self.quarters), "Total"]

    def body(self, *, threshold: int | None = None) -> list[list[Any]]:
        """Each row as [category, per-quarter counts..., total]; counts suppressed if ``threshold``."""
        lines = []
        for label, counts in self.rows:
            values: list[Any] = [*counts, sum(counts)]
            if threshold is not None:
                values = [suppress_small(value, threshold) for value in values]
            lines.append([label, *values])
        return lines

    def totals(self) -> list[int]:
        return [sum(counts[i] for _, counts in self.rows) for i in range(len(self.quarters))]

    def value(self, label: str, quarter: Quarter) -> int:
        index = self.quarters.index(quarter)
        return next((counts[index] for row_label, counts in self.rows if row_label == label), 0)


def _table(
    key: str,
    title: str,
    dimension: str,
    quarters: list[Quarter],
    items: Iterable[tuple[Quarter, str]],
    order: list[str] | None = None,
) -> Table:
    counts: Counter[tuple[Quarter, str]] = Counter(items)
    labels = list(order or [])
    for _, label in sorted(counts, key=lambda item: item[1]):
        if label not in labels:
            labels.append(label)
    if order is None:
        labels.sort(key=lambda label: (-sum(counts[(q, label)] for q in quarters), label))
    rows = [(label, [counts[(q, label)] for q in quarters]) for label in labels]
    return Table(key=key, title=title, dimension=dimension, quarters=quarters, rows=rows)


@dataclass
class Wait:
    label: str
    count: int
    median: float | None
    mean: float | None


@dataclass
class Statistics:
    quarters: list[Quarter]
    lpa: LPA | None
    referrals: Table
    breakdowns: list[Table]
    decisions: list[Table]
    dtn: list[Table]
    waits: list[Wait]
    now: dict[str, Any]

    @property
    def labels(self) -> list[str]:
        return [quarter_label(q) for q in self.quarters]

    def all_tables(self) -> list[Table]:
        return [self.referrals, *self.breakdowns, *self.decisions, *self.dtn]

    def waits_rows(self) -> list[list[Any]]:
        return [[w.label, w.count, _round(w.median), _round(w.mean)] for w in self.waits]


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 1)


def _wait(label: str, values: list[int]) -> Wait:
    return Wait(
        label=label,
        count=len(values),
        median=float(stats.median(values)) if values else None,
        mean=float(stats.fmean(values)) if values else None,
    )


def compute(
    user: User | AnonymousUser, first: Quarter, last: Quarter, *, lpa: LPA | None = None, today: dt.date | None = None
) -> Statistics:
    """The statistics for the quarters ``first`` to ``last`` from what ``user`` may see (optionally one LPA)."""
    quarters = quarters_between(first, last)
    start, end = quarter_start(first), quarter_end(last)
    referrals = NrmReferral.objects.visible_to(user)
    reports = DutyToNotify.objects.visible_to(user)
    if lpa is not None:
        referrals = referrals.filter(lpa=lpa)
        reports = reports.filter(lpa=lpa)
    submitted = list(
        referrals.filter(submitted_on__range=(start, end)).values(
            "submitted_on",
            "age_group",
            "gender",
            "nationality",
            "exploitation_types",
            "first_responder_type",
            "lpa__name",
            "county_lines",
        )
    )
    ages, genders = dict(AgeGroup.choices), dict(Gender.choices)
    categories = dict(rules.exploitation_categories())

    def by(label_of: Any) -> list[tuple[Quarter, str]]:
        return [(quarter_of(row["submitted_on"]), label_of(row)) for row in submitted]

    total = _table(
        "referrals", "NRM referrals", "Referrals", quarters, by(lambda row: "All referrals"), order=["All referrals"]
    )
    breakdowns = [
        _table(
            "age_group",
            "By age at exploitation",
            "Age group",
            quarters,
            by(lambda r: ages[r["age_group"]]),
            order=list(ages.values()),
        ),
        _table(
            "gender",
            "By gender",
            "Gender",
            quarters,
            by(lambda r: genders.get(r["gender"], NOT_KNOWN)),
            order=list(genders.values()),
        ),
        _table("nationality", "By nationality", "Nationality", quarters, by(lambda r: r["nationality"] or NOT_KNOWN)),
        _table(
            "exploitation_type",
            "By exploitation type",
            "Exploitation type",
            quarters,
            by(lambda r: categories[rules.exploitation_category(r["exploitation_types"])]),
            order=list(categories.values()),
        ),
        _table(
            "first_responder_type",
            "By first responder type",
            "First responder type",
            quarters,
            by(lambda r: rules.first_responder_type_label(r["first_responder_type"])),
        ),
        _table("lpa", "By local policing area", "LPA", quarters, by(lambda r: r["lpa__name"])),
        _table(
            "county_lines",
            "County lines",
            "County lines flag",
            quarters,
            by(lambda r: "County lines" if r["county_lines"] else "Not county lines"),
            order=["County lines", "Not county lines"],
        ),
    ]
    decisions = list(
        Decision.objects.filter(referral__in=referrals, decided_on__range=(start, end)).values(
            "stage", "outcome", "decided_on"
        )
    )
    outcomes = dict(Outcome.choices)
    decision_tables = [
        _table(
            f"{stage}_outcome",
            f"{label} decisions",
            "Outcome",
            quarters,
            [(quarter_of(d["decided_on"]), outcomes[d["outcome"]]) for d in decisions if d["stage"] == stage],
            order=list(outcomes.values()),
        )
        for stage, label in Stage.choices
    ]
    sent = list(reports.filter(submitted_on__range=(start, end)).values("submitted_on", "nationality", "gender"))
    dtn_tables = [
        _table(
            "dtn",
            "Duty to Notify reports",
            "Reports",
            quarters,
            [(quarter_of(r["submitted_on"]), "Duty to Notify reports") for r in sent],
            order=["Duty to Notify reports"],
        ),
        _table(
            "dtn_nationality",
            "Duty to Notify reports by nationality",
            "Nationality",
            quarters,
            [(quarter_of(r["submitted_on"]), r["nationality"] or NOT_KNOWN) for r in sent],
        ),
        _table(
            "dtn_gender",
            "Duty to Notify reports by gender",
            "Gender",
            quarters,
            [(quarter_of(r["submitted_on"]), genders.get(r["gender"], NOT_KNOWN)) for r in sent],
            order=list(genders.values()),
        ),
    ]
    return Statistics(
        quarters=quarters,
        lpa=lpa,
        referrals=total,
        breakdowns=breakdowns,
        decisions=decision_tables,
        dtn=dtn_tables,
        waits=_waits(referrals, start, end),
        now=_now(user, referrals, today),
    )


def _waits(referrals: Any, start: dt.date, end: dt.date) -> list[Wait]:
    rg_days: list[int] = []
    rg_working: list[int] = []
    cg_days: list[int] = []
    decisions = (
        Decision.objects.filter(referral__in=referrals, on_reconsideration__isnull=True)
        .select_related("referral")
        .order_by("decided_on", "id")
    )
    positive_rg: dict[Any, dt.date] = {}
    for decision in Decision.objects.filter(referral__in=referrals, stage=Stage.RG, outcome=Outcome.POSITIVE).order_by(
        "decided_on", "id"
    ):
        positive_rg[decision.referral_id] = decision.decided_on
    for decision in decisions.filter(decided_on__range=(start, end)):
        submitted = decision.referral.submitted_on
        if decision.stage == Stage.RG and submitted is not None:
            rg_days.append((decision.decided_on - submitted).days)
            rg_working.append(rules.working_days_between(submitted, decision.decided_on))
        elif decision.stage == Stage.CG and decision.referral_id in positive_rg:
            cg_days.append((decision.decided_on - positive_rg[decision.referral_id]).days)
    return [
        _wait("Submission to reasonable grounds decision (days)", rg_days),
        _wait("Submission to reasonable grounds decision (working days)", rg_working),
        _wait("Positive reasonable grounds to conclusive grounds decision (days)", cg_days),
    ]


def _now(user: User | AnonymousUser, referrals: Any, today: dt.date | None) -> dict[str, Any]:
    from socex.nrm.clocks import clock_for, with_decisions

    day = today or timezone.localdate()
    sets = tray_querysets(user, day)
    awaiting_cg = [
        clock_for(r, day).cg_days_waiting for r in with_decisions(sets["awaiting_cg"].filter(pk__in=referrals))
    ]
    waiting = [days for days in awaiting_cg if days is not None]
    return {
        "rg_overdue": sets["rg_overdue"].filter(pk__in=referrals).count(),
        "awaiting_rg": sets["rg_overdue"].filter(pk__in=referrals).count()
        + sets["awaiting_rg"].filter(pk__in=referrals).count(),
        "awaiting_cg": len(waiting),
        "cg_median_days": float(stats.median(waiting)) if waiting else None,
        "cg_longest_days": max(waiting) if waiting else None,
    }


def long_rows(result: Statistics, *, threshold: int | None = None) -> list[list[Any]]:
    """Every count as one row (table, category, period, value): the CSV export's layout."""
    rows: list[list[Any]] = []
    for table in result.all_tables():
        for label, counts in table.rows:
            for quarter, count in zip(table.quarters, counts, strict=True):
                value: Any = suppress_small(count, threshold) if threshold is not None else count
                rows.append([table.title, label, quarter_label(quarter), value])
    return rows
