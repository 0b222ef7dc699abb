"""The daily reminder emails about overdue and due-soon actions, sent by a background task.

``manage.py send_action_reminders`` (run it once a day, e.g. from cron at 07:00) queues
:func:`send_action_reminders`; a worker (``manage.py db_worker``) sends the emails, or the test
settings' immediate backend sends them at once.

Each user gets at most one email a day, listing the open actions they own that are overdue or
due within ``SOCEX_ACTION_DUE_SOON_DAYS`` calendar days, and (unless
``SOCEX_ACTION_REMINDERS_INCLUDE_UNASSIGNED`` is off) their agency's such actions that no one
person owns yet. Only actions the user can still see are listed. The email gives each
action's reference, case reference, due date and a link, but not what the action says: the
detail stays in the service, behind its access checks. Each email is recorded in the audit
log as a disclosure by email (an EXPORT event listing the references).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from socex.audit.models import Action as AuditAction
from socex.audit.services import record
from socex.core.context import acting_as
from socex.core.site import site_url
from socex.safeguarding.access import CAPABILITIES
from socex.safeguarding.conf import due_soon_days, reminders_include_unassigned
from socex.safeguarding.models import Action, ReminderSent

if TYPE_CHECKING:
    from socex.accounts.models import User


@dataclass
class Reminder:
    user: User
    overdue: list[Action] = field(default_factory=list)
    due_soon: list[Action] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon)


def _candidates(today: dt.date) -> list[Action]:
    window_end = today + dt.timedelta(days=due_soon_days())
    return list(
        Action.objects.open()
        .filter(due_date__lte=window_end)
        .select_related("case", "owner_agency", "owner")
        .order_by("due_date", "reference")
    )


def _recipients(actions: list[Action]) -> dict[User, list[Action]]:
    """Each user with the actions that may go in their email (before the visibility check)."""
    from socex.accounts.models import User

    by_user: dict[User, list[Action]] = defaultdict(list)
    unassigned: dict[object, list[Action]] = defaultdict(list)
    for action in actions:
        if action.owner is not None:
            by_user[action.owner].append(action)
        elif reminders_include_unassigned():
            unassigned[action.owner_agency_id].append(action)
    if unassigned:
        staff = User.objects.filter(is_active=True, organisation_id__in=list(unassigned)).select_related("organisation")
        for user in staff:
            if any(user.has_cap(cap) for cap in CAPABILITIES):
                by_user[user].extend(unassigned[user.organisation_id])
    return by_user


def reminders_for(today: dt.date) -> list[Reminder]:
    """Who should be reminded on ``today``, and of what (only actions they may still see)."""
    reminders = []
    for user, actions in _recipients(_candidates(today)).items():
        if not user.is_active or not user.email:
            continue
        visible = set(
            Action.objects.visible_to(user).filter(pk__in=[a.pk for a in actions]).values_list("pk", flat=True)
        )
        reminder = Reminder(user=user)
        for action in sorted({a.pk: a for a in actions if a.pk in visible}.values(), key=_order):
            (reminder.overdue if action.due_date < today else reminder.due_soon).append(action)
        if reminder.count:
            reminders.append(reminder)
    return sorted(reminders, key=lambda r: r.user.email)


def _order(action: Action) -> tuple[dt.date, str]:
    return (action.due_date, action.reference)


def _send(reminder: Reminder, today: dt.date) -> bool:
    """Send one reminder (once a day per user); False if it was already sent today."""
    user = reminder.user
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                user=user, sent_on=today, overdue=len(reminder.overdue), due_soon=len(reminder.due_soon)
            )
            references = [a.reference for a in reminder.overdue + reminder.due_soon]
            record(
                AuditAction.EXPORT,
                object_type="safeguarding.action",
                export_count=reminder.count,
                detail={"channel": "email", "recipient": user.email, "actions": references},
            )
            context = {
                "user": user,
                "reminder": reminder,
                "today": today,
                "due_soon_days": due_soon_days(),
                "base_url": site_url(),
                "tray_url": reverse("safeguarding:tray"),
                "service_name": getattr(settings, "SOCEX_SERVICE_NAME", "SOCEX Hub"),
            }
            subject = render_to_string("safeguarding/email/reminder_subject.txt", context).strip()
            body = render_to_string("safeguarding/email/reminder.txt", context)
            # Sent inside the transaction: if sending fails, the "sent" row is rolled back and the
            # next run tries again.
            EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except IntegrityError:
        return False
    return True


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Send today's reminder emails; returns how many emails and action lines went out."""
    today = today or timezone.localdate()
    already = set(ReminderSent.objects.filter(sent_on=today).values_list("user_id", flat=True))
    emails = lines = 0
    for reminder in reminders_for(today):
        if reminder.user.pk in already:
            continue
        if _send(reminder, today):
            emails += 1
            lines += reminder.count
    return {"emails": emails, "actions": lines}


@task()
def send_action_reminders(on: str | None = None) -> dict[str, int]:
    """The background task: send the reminders for ``on`` (an ISO date; today if not given)."""
    today = dt.date.fromisoformat(on) if on else None
    with acting_as(None, channel="task"):
        return send_reminders(today)
