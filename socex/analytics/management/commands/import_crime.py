"""manage.py import_crime PATH... [--as EMAIL] [--allow-partial] [--dry-run]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from socex.accounts.models import User
from socex.analytics.importing import ImportRefused, ImportResult, crime_import
from socex.core.context import acting_as

SHOW_SKIPPED = 20


class Command(BaseCommand):
    help = (
        "Import data.police.uk street-level crime: archive CSVs (single files, month folders or the "
        "monthly zip) or the API's JSON files. Each month in the files replaces what is held for it. "
        "Everything is checked first; if anything is wrong the problems are listed by file and row "
        "and nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files, folders or zips to import")
        parser.add_argument("--as", dest="email", help="email address of the user the import is done as (optional)")
        parser.add_argument(
            "--allow-partial",
            action="store_true",
            help="accept months that cover only part of the force (for samples); the report says so",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything and print the report; write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["email"]) if options["email"] else None
        stream = self.stderr._out  # the raw stream: OutputWrapper would add a newline to each tqdm redraw
        verbosity = options["verbosity"]

        def progress(total: int, label: str) -> tqdm[Any]:
            return tqdm(
                total=total, desc=label, unit=" rows" if total > 100 else "", file=stream, disable=verbosity < 1
            )

        try:
            with acting_as(actor, channel="command"):
                result = crime_import(
                    paths=options["paths"],
                    actor=actor,
                    allow_partial=options["allow_partial"],
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"  {problem}")
            if refused.total > len(refused.problems):
                self.stderr.write(f"  ... and {refused.total - len(refused.problems):,} more")
            raise CommandError(
                f"{refused.total:,} problem(s); nothing was imported and the crime data is as it was. "
                "Fix them and run the import again."
            ) from refused
        self._print(result, dry_run=options["dry_run"])

    def _actor(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user has the email address {email}.")
        return user

    def _print(self, result: ImportResult, *, dry_run: bool) -> None:
        for reason, count in result.skipped_by_reason.items():
            self.stdout.write(f"Skipped ({reason}): {count:,}")
        for problem in result.skipped[:SHOW_SKIPPED]:
            self.stdout.write(f"  {problem}")
        if len(result.skipped) > SHOW_SKIPPED:
            self.stdout.write(f"  ... {result.rows_skipped - SHOW_SKIPPED:,} more in the import's report")
        for name in result.ignored_files:
            self.stdout.write(f"Not crime data, left out: {name}")
        if dry_run:
            self.stdout.write(self.style.SUCCESS("Dry run, nothing written. " + result.summary()))
        else:
            self.stdout.write(self.style.SUCCESS(result.summary()))
