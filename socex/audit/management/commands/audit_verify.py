"""``manage.py audit_verify``: prove the audit hash chain intact, or name the first broken event."""

from __future__ import annotations

import datetime as dt
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from socex.audit.chain import ChainReport, verify_chain
from socex.audit.models import Event
from socex.audit.services import record_verification
from socex.core.context import acting_as


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y at %H:%M:%S %Z}"


def _events(count: int) -> str:
    return f"{count:,} event{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain in order and check every event. Prints 'Audit chain intact' "
        "and exits 0, or names the first broken event and exits 1. Each run is itself recorded."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--from-id",
            type=int,
            metavar="ID",
            help="Start at this event, trusting it (e.g. the last event of a run you have already checked).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        start_id: int | None = options["from_id"]
        if start_id is not None and not Event.objects.filter(id=start_id).exists():
            raise CommandError(f"There is no audit event #{start_id}. Give --from-id the number of an existing event.")
        total = Event.objects.filter(id__gte=start_id or 0).count()
        show_progress = not options["no_progress"] and sys.stderr.isatty()
        with tqdm(total=total, unit=" events", disable=not show_progress, file=sys.stderr) as bar:
            report = verify_chain(start_id=start_id, on_progress=bar.update)
        with acting_as(None, channel="command"):
            record_verification(report)
        self._finish(report, from_given=start_id is not None)

    def _finish(self, report: ChainReport, *, from_given: bool) -> None:
        if report.broken is not None:
            raise CommandError(
                f"Audit chain broken at event #{report.broken.event_id} "
                f"(occurred {_when(report.broken.occurred_at)}): {report.broken.reason}. "
                f"{_events(report.checked)} before it {'is' if report.checked == 1 else 'are'} intact."
            )
        span = f" from event #{report.first_id}" if from_given else ""
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {_events(report.checked)}{span}, last hash {report.last_hash}")
        )
