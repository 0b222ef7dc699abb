"""Reminders about NRM referrals that are waiting, sent by a background task.

``manage.py nrm_reminders`` (run it once a day, e.g. from cron at 07:00) queues
:func:`send_nrm_reminders`; a worker (``manage.py db_worker``) sends the emails, or the test
settings' immediate backend sends them at once. ``--now`` sends them in the command itself.

Each officer who made a referral gets at most one email a day listing, by reference only (the
detail stays in the service, behind its access checks):

* reasonable grounds decisions awaited longer than the target working days;
* referrals whose minimum recovery period has ended with no conclusive decision (once);
* support referrals still awaiting the provider's response after the target working days;
* referrals started but not submitted after the target working days.

A reminder of the same kind about the same referral is repeated only after
``SOCEX_NRM_REMINDER_REPEAT_DAYS`` (default 7). Each one is a :class:`~socex.nrm.models.Reminder`
row, and each email is an EXPORT event in the audit log (a disclosure by email).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from socex.audit.models import Action
from socex.audit.services import record
from socex.core.context import acting_as
from socex.core.templatetags.socex import uk_date
from socex.nrm import conf, rules
from socex.nrm.clocks import clock_for, rg_overdue_cutoff, with_decisions
from socex.nrm.models import NrmReferral, NrmStatus, Reminder, ReminderKind, SupportReferral, SupportStatus

if TYPE_CHECKING:
    from socex.accounts.models import User

REPEATING = (ReminderKind.RG_OVERDUE, ReminderKind.SUPPORT_WAITING, ReminderKind.NOT_SUBMITTED)


@dataclass(frozen=True)
class Due:
    referral: NrmReferral
    kind: str
    message: str


def _overdue_before(today: dt.date) -> dt.date:
    return rg_overdue_cutoff(today)


def reminders_due(today: dt.date) -> list[Due]:
    """Every reminder that could be sent on ``today`` (before checking what was sent lately)."""
    due: list[Due] = []
    cutoff = _overdue_before(today)
    target = rules.rg_target_working_days()
    for referral in with_decisions(NrmReferral.objects.filter(status=NrmStatus.AWAITING_RG, submitted_on__lte=cutoff)):
        clock = clock_for(referral, today)
        due.append(
            Due(
                referral,
                ReminderKind.RG_OVERDUE,
                f"{referral.reference}: reasonable grounds decision awaited {clock.rg_working_days} working days "
                f"(submitted {uk_date(referral.submitted_on)}; the target is {target} working days).",
            )
        )
    for referral in with_decisions(NrmReferral.objects.filter(status=NrmStatus.AWAITING_CG)):
        clock = clock_for(referral, today)
        if clock.recovery_period_passed and clock.recovery_period_end is not None:
            due.append(
                Due(
                    referral,
                    ReminderKind.RECOVERY_ENDED,
                    f"{referral.reference}: the minimum recovery period ended on {uk_date(clock.recovery_period_end)}; "
                    f"no conclusive grounds decision yet ({clock.cg_days_waiting} days since the reasonable grounds "
                    "decision). Check on support and contact the competent authority if needed.",
                )
            )
    for support in SupportReferral.objects.filter(
        status=SupportStatus.REQUESTED, referred_on__lte=cutoff
    ).select_related("referral", "referral__officer"):
        due.append(
            Due(
                support.referral,
                ReminderKind.SUPPORT_WAITING,
                f"{support.referral.reference}: the support referral to {support.provider_label} of "
                f"{uk_date(support.referred_on)} is still awaiting a response.",
            )
        )
    for referral in NrmReferral.objects.filter(status=NrmStatus.DRAFT, referred_on__lte=cutoff).select_related(
        "officer"
    ):
        due.append(
            Due(
                referral,
                ReminderKind.NOT_SUBMITTED,
                f"{referral.reference}: started on {uk_date(referral.referred_on)} and not yet submitted to the Home "
                "Office.",
            )
        )
    return due


def _recently_sent(today: dt.date) -> set[tuple[object, str]]:
    since = today - dt.timedelta(days=conf.reminder_repeat_days() - 1)
    recent = set(Reminder.objects.filter(sent_on__gte=since, kind__in=REPEATING).values_list("referral_id", "kind"))
    once = set(Reminder.objects.exclude(kind__in=REPEATING).values_list("referral_id", "kind"))
    return recent | once


def _can_still_see(user: User, referral: NrmReferral) -> bool:
    return user.is_active and bool(user.email) and NrmReferral.objects.visible_to(user).filter(pk=referral.pk).exists()


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Send today's reminder emails; returns how many emails and reminder lines went out."""
    today = today or timezone.localdate()
    skip = _recently_sent(today)
    by_officer: dict[User, list[Due]] = defaultdict(list)
    for item in reminders_due(today):
        if (item.referral.pk, item.kind) in skip:
            continue
        if _can_still_see(item.referral.officer, item.referral):
            by_officer[item.referral.officer].append(item)
    emails = lines = 0
    for officer, items in sorted(by_officer.items(), key=lambda pair: pair[0].email):
        _send(officer, items, today)
        emails += 1
        lines += len(items)
    return {"emails": emails, "reminders": lines}


def _send(officer: User, items: list[Due], today: dt.date) -> None:
    service = getattr(settings, "SOCEX_SERVICE_NAME", "SOCEX Hub")
    body = "\n".join(
        [
            f"Hello {officer.full_name},",
            "",
            f"These NRM referrals you made need attention ({uk_date(today)}):",
            "",
            *(f"- {item.message}" for item in items),
            "",
            f"Open the NRM work tray in {service}: {reverse('nrm:tray')}",
            "",
            "This email holds references only. The records stay in the service.",
        ]
    )
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    referral=item.referral, kind=item.kind, sent_on=today, recipient=officer.email, message=item.message
                )
                for item in items
            ],
            ignore_conflicts=True,
        )
        record(
            Action.EXPORT,
            object_type="nrm.nrmreferral",
            export_count=len(items),
            detail={
                "channel": "email",
                "recipient": officer.email,
                "reminders": [[item.referral.reference, item.kind] for item in items],
            },
        )
        # Sent inside the transaction: if sending fails, the reminder rows roll back and the next run retries.
        EmailMessage(subject=f"{service}: {len(items)} NRM reminder(s)", body=body, to=[officer.email]).send()


@task()
def send_nrm_reminders(today: str = "") -> dict[str, int]:
    """The background task: today's NRM reminders (``today`` as YYYY-MM-DD, for a catch-up run)."""
    with acting_as(None, channel="task"):
        return send_reminders(dt.date.fromisoformat(today) if today else None)
