"""The clocks that keep potential victims from being forgotten, and the work tray built on them.

* **Reasonable grounds awaited**: the target is a decision within the rules file's number of
  working days (5) of submission, counting Monday to Friday except England and Wales bank
  holidays. A referral is overdue once it has waited *longer* than that: from the 6th working
  day after submission (the submission day itself does not count).
* **Conclusive grounds awaited**: calendar days since the positive reasonable grounds decision.
  The end of the minimum recovery period is the earliest a conclusive decision may come, a
  floor and never an expected date (DOMAIN.md 1.6: real waits run to hundreds of days).
* **Support referrals** awaiting a response, and **reconsiderations** awaiting an outcome.

Every list here starts from ``visible_to(user)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from socex.nrm import rules
from socex.nrm.models import (
    Decision,
    DutyToNotify,
    NrmReferral,
    NrmStatus,
    Outcome,
    Reconsideration,
    ReconsiderationOutcome,
    Stage,
    SupportReferral,
    SupportStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def rg_overdue(submitted_on: dt.date, today: dt.date | None = None) -> bool:
    """Has a decision been awaited longer than the target number of working days?"""
    return rules.working_days_between(submitted_on, _today(today)) > rules.rg_target_working_days()


def rg_overdue_cutoff(today: dt.date | None = None) -> dt.date:
    """The latest submission date whose reasonable grounds decision is overdue on ``today``
    (so the work tray filters in the database: ``submitted_on <= cutoff``)."""
    day = _today(today)
    candidate = day - dt.timedelta(days=1)
    while not rg_overdue(candidate, day):
        candidate -= dt.timedelta(days=1)
    return candidate


@dataclass
class Clock:
    status: str
    status_label: str
    submitted_on: dt.date | None = None
    rg: Decision | None = None
    cg: Decision | None = None
    rg_due: dt.date | None = None
    rg_overdue: bool = False
    rg_working_days: int | None = None
    recovery_period_end: dt.date | None = None
    recovery_period_days: int | None = None
    recovery_period_passed: bool = False
    cg_days_waiting: int | None = None
    decisions: list[Decision] = field(default_factory=list)

    @property
    def tag_colour(self) -> str:
        if self.rg_overdue:
            return "red"
        return {
            NrmStatus.DRAFT: "grey",
            NrmStatus.AWAITING_RG: "blue",
            NrmStatus.AWAITING_CG: "yellow",
            NrmStatus.POSITIVE_CG: "green",
            NrmStatus.NEGATIVE_RG: "orange",
            NrmStatus.NEGATIVE_CG: "orange",
            NrmStatus.WITHDRAWN: "grey",
        }.get(NrmStatus(self.status), "grey")

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "status_label": self.status_label,
            "submitted_on": self.submitted_on,
            "rg_due": self.rg_due,
            "rg_overdue": self.rg_overdue,
            "rg_working_days": self.rg_working_days,
            "recovery_period_end": self.recovery_period_end,
            "recovery_period_days": self.recovery_period_days,
            "recovery_period_passed": self.recovery_period_passed,
            "cg_days_waiting": self.cg_days_waiting,
        }


def _current(decisions: list[Decision], stage: str) -> Decision | None:
    at_stage = [d for d in decisions if d.stage == stage]
    return max(at_stage, key=lambda d: (d.decided_on, d.pk)) if at_stage else None


def clock_for(referral: NrmReferral, today: dt.date | None = None) -> Clock:
    """Where ``referral`` stands and how long it has waited, on ``today``."""
    day = _today(today)
    decisions = list(referral.decisions.all())
    clock = Clock(
        status=referral.status,
        status_label=referral.get_status_display(),
        submitted_on=referral.submitted_on,
        decisions=sorted(decisions, key=lambda d: (d.decided_on, d.pk)),
    )
    if referral.submitted_on is None:
        return clock
    clock.rg = _current(decisions, Stage.RG)
    clock.cg = _current(decisions, Stage.CG)
    clock.rg_due = rules.rg_due_date(referral.submitted_on)
    end = clock.rg.decided_on if clock.rg else day
    clock.rg_working_days = rules.working_days_between(referral.submitted_on, end)
    clock.rg_overdue = clock.rg is None and rg_overdue(referral.submitted_on, day)
    if clock.rg is not None and clock.rg.outcome == Outcome.POSITIVE:
        clock.recovery_period_days = rules.recovery_period_for(clock.rg.decided_on).minimum_days
        clock.recovery_period_end = rules.recovery_period_end(clock.rg.decided_on)
        clock.recovery_period_passed = day >= clock.recovery_period_end
        if clock.cg is None:
            clock.cg_days_waiting = (day - clock.rg.decided_on).days
    return clock


def with_decisions(referrals: QuerySet[NrmReferral]) -> QuerySet[NrmReferral]:
    return referrals.select_related("person", "lpa", "officer", "case").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "id"))
    )


@dataclass
class TrayRow:
    referral: NrmReferral
    clock: Clock


@dataclass
class WorkTray:
    today: dt.date
    rg_overdue: list[TrayRow]
    awaiting_rg: list[TrayRow]
    awaiting_cg: list[TrayRow]
    drafts: list[TrayRow]
    support_waiting: list[SupportReferral]
    reconsiderations: list[Reconsideration]
    dtn_unsent: list[DutyToNotify]

    def counts(self) -> dict[str, int]:
        return {
            "rg_overdue": len(self.rg_overdue),
            "awaiting_rg": len(self.awaiting_rg),
            "awaiting_cg": len(self.awaiting_cg),
            "drafts": len(self.drafts),
            "support_waiting": len(self.support_waiting),
            "reconsiderations": len(self.reconsiderations),
            "dtn_unsent": len(self.dtn_unsent),
        }


TRAY_LIMIT = 200


def tray_querysets(user: User | AnonymousUser, today: dt.date | None = None) -> dict[str, QuerySet[Any]]:
    """The work tray's lists as querysets (for counts on the dashboard without loading rows)."""
    day = _today(today)
    visible = NrmReferral.objects.visible_to(user)
    cutoff = rg_overdue_cutoff(day)
    return {
        "rg_overdue": visible.filter(status=NrmStatus.AWAITING_RG, submitted_on__lte=cutoff).order_by("submitted_on"),
        "awaiting_rg": visible.filter(status=NrmStatus.AWAITING_RG, submitted_on__gt=cutoff).order_by("submitted_on"),
        "awaiting_cg": visible.filter(status=NrmStatus.AWAITING_CG).order_by("submitted_on"),
        "drafts": visible.filter(status=NrmStatus.DRAFT).order_by("referred_on"),
        "support_waiting": SupportReferral.objects.filter(
            referral__in=visible, status=SupportStatus.REQUESTED
        ).order_by("referred_on"),
        "reconsiderations": Reconsideration.objects.filter(
            decision__referral__in=visible, outcome=ReconsiderationOutcome.PENDING
        ).order_by("requested_on"),
        "dtn_unsent": DutyToNotify.objects.visible_to(user).filter(submitted_on__isnull=True).order_by("reported_on"),
    }


def work_tray(user: User | AnonymousUser, today: dt.date | None = None) -> WorkTray:
    day = _today(today)
    sets = tray_querysets(user, day)

    def rows(name: str) -> list[TrayRow]:
        return [TrayRow(r, clock_for(r, day)) for r in with_decisions(sets[name])[:TRAY_LIMIT]]

    awaiting_cg = rows("awaiting_cg")
    awaiting_cg.sort(key=lambda row: -(row.clock.cg_days_waiting or 0))
    return WorkTray(
        today=day,
        rg_overdue=rows("rg_overdue"),
        awaiting_rg=rows("awaiting_rg"),
        awaiting_cg=awaiting_cg,
        drafts=rows("drafts"),
        support_waiting=list(sets["support_waiting"].select_related("referral", "referral__person")[:TRAY_LIMIT]),
        reconsiderations=list(
            sets["reconsiderations"].select_related("decision", "decision__referral", "requested_by")[:TRAY_LIMIT]
        ),
        dtn_unsent=list(sets["dtn_unsent"].select_related("lpa")[:TRAY_LIMIT]),
    )
