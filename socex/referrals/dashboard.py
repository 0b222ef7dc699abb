"""Referral figures: the home-page panel and the referrals dashboard.

Every figure is a count over ``Referral.objects.visible_to(user)`` (hub staff: the force;
referrers: their organisation), through the queue and date indexes, and links to the list it
counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from socex.cases.vocab import RiskLevel
from socex.core.dashboard import Figure, Panel
from socex.referrals import conf
from socex.referrals.access import can_refer, can_triage, can_use_referrals
from socex.referrals.models import Referral, ReferralStatus, TriageOutcome
from socex.referrals.triage import queue_counts

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.referrals.access import ReferralQuerySet

Period = Literal["week", "month"]
RECENT_DAYS = 30


def referrals_panel(user: User) -> Panel | None:
    """Hub staff: what waits for triage and what is over its target time. Referrers: their
    organisation's referrals waiting, their own drafts, and decisions in the last 30 days."""
    if not can_use_referrals(user):
        return None
    queue, mine = reverse("referrals:queue"), reverse("referrals:mine")
    figures = []
    if can_triage(user):
        counts = queue_counts(user)
        figures += [
            Figure("Referrals awaiting triage", f"{counts['awaiting']:,}", href=queue),
            Figure("Over their target time", f"{counts['breaches']:,}", href=f"{queue}?breach=over"),
            Figure("Significant risk awaiting triage", f"{counts['significant']:,}", href=f"{queue}?risk=significant"),
        ]
    if can_refer(user):
        since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
        own = (
            Referral.objects.visible_to(user)
            .filter(referrer_agency_id=user.organisation_id)
            .aggregate(
                waiting=Count("id", filter=Q(status=ReferralStatus.SUBMITTED)),
                triaged=Count("id", filter=Q(triaged_at__gte=since)),
                drafts=Count("id", filter=Q(status=ReferralStatus.DRAFT, referrer=user)),
            )
        )
        figures += [
            Figure(
                "Your organisation's referrals awaiting triage", f"{own['waiting']:,}", href=f"{mine}?status=submitted"
            ),
            Figure(
                f"Your organisation's referrals triaged in the last {RECENT_DAYS} days",
                f"{own['triaged']:,}",
                href=f"{mine}?status=triaged",
            ),
            Figure("Your draft referrals", f"{own['drafts']:,}", href=f"{mine}?status=draft&mine=me"),
        ]
    return Panel(
        title="Referrals",
        figures=figures,
        link_text="Referrals dashboard",
        link_href=reverse("referrals:dashboard"),
    )


# --- the dashboard page --------------------------------------------------------------------------


def period_starts(period: Period, count: int, today: dt.date | None = None) -> list[dt.date]:
    """The first day of each of the last ``count`` weeks (Mondays) or months, oldest first."""
    today = today or timezone.localdate()
    if period == "week":
        this = today - dt.timedelta(days=today.weekday())
        return [this - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]
    starts = []
    year, month = today.year, today.month
    for _ in range(count):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def period_label(period: Period, start: dt.date) -> str:
    return f"{start.day} {start:%b}" if period == "week" else f"{start:%b %Y}"


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _per_period(
    visible: ReferralQuerySet, field: str, starts: list[dt.date], by: str, codes: list[str]
) -> tuple[list[int], dict[str, int]]:
    """Referrals whose ``field`` falls in each period, and in all of them by ``by``: one pass over
    the ``field`` index, counting with plain range tests (no date truncation per row)."""
    edges = [_start(day) for day in starts] + [timezone.now() + dt.timedelta(days=1)]
    counts: dict[str, Any] = {
        f"p{n}": Count("id", filter=Q(**{f"{field}__gte": edges[n], f"{field}__lt": edges[n + 1]}))
        for n in range(len(starts))
    }
    counts |= {f"c_{code}": Count("id", filter=Q(**{by: code})) for code in codes}
    row = visible.filter(**{f"{field}__gte": edges[0]}).aggregate(**counts)
    return [row[f"p{n}"] for n in range(len(starts))], {code: row[f"c_{code}"] for code in codes}


@dataclass
class OverTime:
    labels: list[str]
    received: list[int]
    triaged: list[int]
    outcomes: list[tuple[str, int]]
    levels: list[tuple[str, int]]
    since: dt.date

    @property
    def series(self) -> list[dict[str, object]]:
        return [{"name": "Received", "values": self.received}, {"name": "Triaged", "values": self.triaged}]


def over_time(user: User, period: Period) -> OverTime:
    """Referrals received (submitted) and triaged in each of the last weeks or months."""
    starts = period_starts(period, conf.chart_periods())
    visible = Referral.objects.visible_to(user).submitted()
    received, levels = _per_period(visible, "submitted_at", starts, "confirmed_level", RiskLevel.values)
    triaged, outcomes = _per_period(visible, "triaged_at", starts, "triage_outcome", TriageOutcome.values)
    return OverTime(
        labels=[period_label(period, start) for start in starts],
        received=received,
        triaged=triaged,
        outcomes=[(str(label), outcomes[code]) for code, label in TriageOutcome.choices],
        levels=[(str(label), levels[code]) for code, label in reversed(RiskLevel.choices)],
        since=starts[0],
    )
