"""The triage queue: most urgent first, then longest waiting; target times and breaches.

The target for each risk level is ``SOCEX_TRIAGE_TARGET_HOURS`` (``socex.referrals.conf``). A
referral waiting longer than its level's target is a *breach*: the queue tags it and says by how
much. The order and the breach filter run in the database on the ``referral_queue`` index
(status, risk rank, submitted_at), so the queue stays quick with a hundred thousand referrals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from socex.referrals import conf
from socex.referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.referrals.access import ReferralQuerySet

QUEUE_ORDER = ("-risk_rank", "submitted_at", "id")


def queue_for(user: User | AnonymousUser) -> ReferralQuerySet:
    """The referrals awaiting triage that ``user`` may see, most urgent first."""
    return (
        Referral.objects.visible_to(user)
        .awaiting_triage()
        .select_related("referrer_agency", "lpa")
        .order_by(*QUEUE_ORDER)
    )


def queue_counts(user: User | AnonymousUser, now: dt.datetime | None = None) -> dict[str, int]:
    """How many referrals ``user`` may see await triage, are over target, and are significant
    risk: one pass over the queue index."""
    from socex.cases.vocab import RiskLevel

    return (
        Referral.objects.visible_to(user)
        .awaiting_triage()
        .aggregate(
            awaiting=Count("id"),
            breaches=Count("id", filter=breach_filter(now)),
            significant=Count("id", filter=Q(confirmed_level=RiskLevel.SIGNIFICANT)),
        )
    )


def breach_filter(now: dt.datetime | None = None) -> Q:
    """Referrals awaiting triage for longer than their level's target time."""
    now = now or timezone.now()
    over = Q()
    for level, hours in conf.triage_target_hours().items():
        over |= Q(confirmed_level=level, submitted_at__lt=now - dt.timedelta(hours=hours))
    return Q(status=ReferralStatus.SUBMITTED) & over


def duration_text(span: dt.timedelta) -> str:
    """3 days 4 hours; 5 hours 20 minutes; 12 minutes."""
    minutes = max(0, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    return unit(minutes, "minute")


@dataclass(frozen=True)
class Waiting:
    waited: dt.timedelta
    target: dt.timedelta

    @property
    def breached(self) -> bool:
        return self.waited > self.target

    @property
    def over(self) -> dt.timedelta:
        return self.waited - self.target

    @property
    def waited_text(self) -> str:
        return duration_text(self.waited)

    @property
    def over_text(self) -> str:
        return duration_text(self.over)

    @property
    def target_text(self) -> str:
        return duration_text(self.target)

    @property
    def left_text(self) -> str:
        return duration_text(self.target - self.waited)


def waiting(referral: Referral, now: dt.datetime | None = None) -> Waiting | None:
    """How long a referral awaiting triage has waited against its target (None once triaged)."""
    if referral.status != ReferralStatus.SUBMITTED or referral.submitted_at is None:
        return None
    targets = conf.triage_target_hours()
    hours = targets.get(referral.confirmed_level, min(targets.values()))
    return Waiting((now or timezone.now()) - referral.submitted_at, dt.timedelta(hours=hours))
