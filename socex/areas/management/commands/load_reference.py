"""manage.py load_reference [--dir PATH] [--dry-run]: load force, LPAs, hubs and LSOAs from CSV files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from socex.areas.reference import LSOARow, ReferenceError, read_reference
from socex.areas.services import reference_load
from socex.core.context import acting_as


class Command(BaseCommand):
    help = (
        "Load the force, its LPAs, hubs and LSOAs from the reference folder (default: "
        "settings.SOCEX_REFERENCE_DIR). Every file is checked first; if anything is wrong, every "
        "problem is listed and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help="folder holding force.csv, lpas.csv, hubs.csv, lsoas.csv"
        )
        parser.add_argument("--dry-run", action="store_true", help="check the files and report what would change")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"] or Path(settings.SOCEX_REFERENCE_DIR)
        if not directory.is_dir():
            raise CommandError(
                f"{directory} is not a folder. Give the folder holding the reference CSV files with --dir."
            )
        try:
            data = read_reference(directory)
            with acting_as(None, channel="command"):
                summary = reference_load(data=data, dry_run=options["dry_run"], progress=self._progress(options))
        except ReferenceError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) found in {directory}; nothing was loaded. Fix them and run again."
            ) from exc
        for line in summary.lines():
            self.stdout.write(line)
        verb = "Would load" if summary.dry_run else "Loaded"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {directory}: {summary.created:,} created, {summary.changed:,} changed."
                + (" Dry run: nothing was written." if summary.dry_run else "")
            )
        )

    def _progress(self, options: dict[str, Any]) -> Any:
        def wrap(rows: list[LSOARow]) -> Iterable[LSOARow]:
            # The raw stream: Django's OutputWrapper would end each of tqdm's redraws with a newline.
            return tqdm(rows, desc="LSOAs", unit=" LSOA", file=self.stderr._out, disable=options["verbosity"] < 1)

        return wrap
