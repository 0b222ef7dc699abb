"""manage.py send_action_reminders [--date YYYY-MM-DD] [--now]: the daily reminder emails.

Run it once a day (e.g. from cron at 07:00). By default it queues the background task, which a
worker (``manage.py db_worker``) runs; ``--now`` sends the emails here and now instead.
Sending twice on one day sends nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socex.core.context import acting_as
from socex.safeguarding.tasks import send_action_reminders, send_reminders


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--date must be a date written YYYY-MM-DD, like 2026-03-27, not {raw!r}.") from None


class Command(BaseCommand):
    help = (
        "Email each user a list of their overdue and due-soon safeguarding actions (one email a day). "
        "Queues the background task unless --now is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to remind for, YYYY-MM-DD (default today)")
        parser.add_argument("--now", action="store_true", help="send here and now rather than queue the task")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["date"]) if options["date"] else None
        if options["now"]:
            with acting_as(None, channel="command"):
                sent = send_reminders(day)
            self.stdout.write(f"Sent {sent['emails']} reminder email(s) listing {sent['actions']} action(s).")
            return
        result = send_action_reminders.enqueue(day.isoformat() if day else None)
        if result.is_finished and result.status == "SUCCESSFUL":
            sent = result.return_value
            self.stdout.write(f"Sent {sent['emails']} reminder email(s) listing {sent['actions']} action(s).")
        elif result.is_finished:
            raise CommandError(f"The reminder task failed ({result.status}). See the task's errors in the admin.")
        else:
            self.stdout.write(f"Queued the reminder emails (task {result.id}); a worker will send them.")
