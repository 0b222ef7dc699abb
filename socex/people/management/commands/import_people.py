"""manage.py import_people FILE --as EMAIL [--dry-run] [--link-matches | --create-all]"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from socex.accounts.models import User
from socex.core.context import acting_as
from socex.people.import_columns import COLUMNS
from socex.people.importing import FileRefused, ImportReport, ImportRow, people_import, row_lines
from socex.people.spreadsheets import describe_size, max_bytes

COLUMN_HELP = ", ".join(f"{c.name}{' (required)' if c.required else ''}" for c in COLUMNS)


class Command(BaseCommand):
    help = (
        "Import a partner's list of people from a CSV (UTF-8) or Excel (.xlsx) file, as the user given "
        "with --as, whose organisation will hold the records. Every row is checked and matched against "
        "the person index first; if any row has a problem, every problem is listed by row and column "
        f"and nothing is written. Columns: {COLUMN_HELP}; a date_of_birth or year_of_birth column is "
        "needed too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .csv or .xlsx file to import")
        parser.add_argument("--as", dest="email", required=True, help="email address of the user the import is done as")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and match every row, print the report, write nothing"
        )
        matches = parser.add_mutually_exclusive_group()
        matches.add_argument(
            "--link-matches",
            dest="link_matches",
            action="store_true",
            default=True,
            help="link rows that probably match someone already in the index to that person (the default)",
        )
        matches.add_argument(
            "--create-all",
            dest="link_matches",
            action="store_false",
            help="add every row as a new person, even when it probably matches someone already in the index",
        )
        parser.add_argument(
            "--errors-only", action="store_true", help="print only the summary and the rows with problems"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        actor = self._actor(options["email"])
        data = self._read(path)
        try:
            with acting_as(actor, channel="command"):
                report = people_import(
                    actor=actor,
                    file_name=path.name,
                    data=data,
                    link_matches=options["link_matches"],
                    dry_run=options["dry_run"],
                    progress=self._progress(options["verbosity"]),
                )
        except FileRefused as refused:
            raise CommandError(f"{path.name} was not imported: {refused.message}") from refused
        except PermissionDenied as denied:
            raise CommandError(f"{actor.email} cannot import people: {denied}") from denied
        self._print(report, errors_only=options["errors_only"])
        if report.errors:
            raise CommandError(
                f"{len(report.errors):,} problem(s) in {len(report.error_rows):,} row(s) of {path.name}; "
                "nothing was imported. Fix them and run the import again."
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _actor(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).select_related("organisation").first()
        if user is None:
            raise CommandError(f"No user has the email address {email}. Give the email of an existing user with --as.")
        if not user.is_active:
            raise CommandError(f"The user {user.email} is deactivated and cannot import people.")
        return user

    def _read(self, path: Path) -> bytes:
        if not path.exists():
            raise CommandError(f"There is no file at {path}. Check the path and run again.")
        if not path.is_file():
            raise CommandError(f"{path} is a folder, not a file. Give the .csv or .xlsx file to import.")
        if path.stat().st_size > max_bytes():
            raise CommandError(
                f"{path.name} is {describe_size(path.stat().st_size)}; the most this import accepts is "
                f"{describe_size(max_bytes())}. Split the list into smaller files."
            )
        return path.read_bytes()

    def _progress(self, verbosity: int) -> Any:
        def wrap(rows: Sequence[ImportRow], label: str) -> Iterable[ImportRow]:
            # The raw stream: Django's OutputWrapper would end each of tqdm's redraws with a newline.
            return tqdm(rows, desc=label, unit=" row", file=self.stderr._out, disable=verbosity < 1)

        return wrap

    def _print(self, report: ImportReport, *, errors_only: bool) -> None:
        rows = report.error_rows if errors_only else report.rows
        for row in rows:
            for line in row_lines(row):
                self.stdout.write(line)
