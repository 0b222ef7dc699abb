"""manage.py nrm_first_responders: put the organisations the versioned list covers on the first responder list."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from socex.core.context import acting_as
from socex.nrm.services import first_responders_sync


class Command(BaseCommand):
    help = (
        "Apply the versioned first responder list (socex/nrm/reference/first_responders.json) to the organisations "
        "in this service: police forces and local authorities by type, charities by name. Organisations already "
        "on the list, or taken off it by hand, are left as they are."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None, channel="command"):
            report = first_responders_sync(actor=None)
        for name in report.added:
            self.stdout.write(f"Added {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"First responder list version {report.version}: {len(report.added)} organisation(s) added, "
                f"{report.already} already on the list."
            )
        )
