"""manage.py nrm_reminders [--now] [--date YYYY-MM-DD]: send the day's NRM reminder emails."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socex.core.context import acting_as
from socex.nrm.tasks import send_nrm_reminders, send_reminders


class Command(BaseCommand):
    help = (
        "Queue today's NRM reminders (overdue reasonable grounds decisions, ended recovery periods, support "
        "referrals and drafts waiting) for the task worker; with --now, send them here and now. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="send here and now instead of queueing the task")
        parser.add_argument("--date", default="", help="the day to remind for, YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"]
        if day:
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"--date must be a date like 2025-03-31, not {day!r}.") from None
        if not options["now"]:
            result = send_nrm_reminders.enqueue(day)
            self.stdout.write(self.style.SUCCESS(f"Queued the NRM reminders (task {result.id})."))
            return
        with acting_as(None, channel="command"):
            sent = send_reminders(dt.date.fromisoformat(day) if day else None)
        self.stdout.write(
            self.style.SUCCESS(f"Sent {sent['emails']} email(s) with {sent['reminders']} NRM reminder(s).")
        )
