"""manage.py synth_crime OUT [--months 36] [--rows 1000000] [--start 2016-01] [--source DIR] [--seed 1]"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from socex.analytics.synth import load_template, synthesise

DEFAULT_SOURCE = Path(settings.BASE_DIR).parent / "shared" / "data" / "crime" / "policerewired_wm_wards_2018-06"


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError as error:
        raise CommandError(f"--start must be a month written YYYY-MM, not {text!r}") from error


class Command(BaseCommand):
    help = (
        "Write synthetic force-wide street crime as data.police.uk archive CSVs (one folder per month), "
        "made by resampling a real month's crimes (the API JSON in --source) with a seasonal shape. "
        "For benchmarks and demos only: it is not real data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="folder to write the month folders into")
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--rows", type=int, default=1_000_000, help="about this many crimes in all")
        parser.add_argument("--start", default="2016-01", help="the first month, YYYY-MM")
        parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of real API JSON to resample")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["months"] < 1 or options["rows"] < 1:
            raise CommandError("--months and --rows must be at least 1")
        source = Path(options["source"])
        if not source.is_dir():
            raise CommandError(f"There is no folder of API JSON at {source}; give one with --source")
        try:
            template = load_template(source)
        except ValueError as error:
            raise CommandError(str(error)) from error
        with tqdm(
            total=options["months"], desc="Months", file=self.stderr._out, disable=options["verbosity"] < 1
        ) as bar:
            paths = synthesise(
                template,
                Path(options["out"]),
                start=_month(options["start"]),
                months=options["months"],
                rows=options["rows"],
                seed=options["seed"],
                progress=bar.update,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(paths)} months resampled from {len(template):,} real crimes to {options['out']}"
            )
        )
