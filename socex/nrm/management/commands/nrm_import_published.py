"""manage.py nrm_import_published FILE --as EMAIL [--edition TEXT]: load published NRM figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socex.accounts.models import User
from socex.core.context import acting_as
from socex.nrm.published import ImportRefused
from socex.nrm.services import published_import


class Command(BaseCommand):
    help = (
        "Load published NRM figures from a CSV or XLSX file in the documented layout (period, area, dimension, "
        "category, value; optionally edition and source). Writes every figure or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument("--as", dest="email", required=True, help="the email of the hub officer loading it")
        parser.add_argument("--edition", default="", help="the publication, if the file has no edition column")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email {options['email']}.")
        with acting_as(user, channel="command"):
            try:
                batch = published_import(
                    actor=user, file_name=path.name, data=path.read_bytes(), edition=options["edition"]
                )
            except ImportRefused as refused:
                raise CommandError(f"Nothing was loaded. {refused.message}") from None
            except PermissionDenied as denied:
                raise CommandError(str(denied)) from None
        self.stdout.write(self.style.SUCCESS(f"Loaded {batch.rows:,} published figures from {path.name}."))
