"""manage.py synth_cases: fill a (non-production) database with synthetic case work for benchmarks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from socex.cases.synth import CaseSynth, SynthCounts, SynthRefused
from socex.core.context import acting_as


def _count(value: str) -> int:
    number = int(value.replace(",", "").replace("_", ""))
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate synthetic cases, referrals, chronology entries, safeguarding actions and shares for the speed "
        "benchmark (bulk inserts; one audit event). Refuses to run in production. Each run adds more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = SynthCounts()
        for name in ("cases", "referrals", "chronology", "actions", "shares"):
            parser.add_argument(
                f"--{name}", type=_count, default=getattr(defaults, name), help=f"default {getattr(defaults, name):,}"
            )
        parser.add_argument(
            "--big-chronology",
            type=_count,
            default=defaults.big_chronology,
            help="entries on the first case, for the PDF export benchmark (part of --chronology)",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = SynthCounts(
            cases=options["cases"],
            referrals=options["referrals"],
            chronology=options["chronology"],
            actions=options["actions"],
            shares=options["shares"],
            big_chronology=options["big_chronology"],
        )
        if counts.cases == 0 and (counts.referrals or counts.chronology or counts.actions):
            raise CommandError("Referrals, chronology entries and actions belong to cases: give --cases 1 or more.")

        def bar(total: int, description: str) -> Any:
            return tqdm(total=total, desc=description, unit=" rows", file=self.stderr._out, leave=False)

        synth = CaseSynth(counts, seed=options["seed"], progress=None if options["no_progress"] else bar)
        try:
            with acting_as(None, channel="command"):
                made = synth.run()
        except SynthRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        for label, number in made.items():
            self.stdout.write(f"{label.capitalize()}: {number:,}")
        self.stdout.write(self.style.SUCCESS("Synthetic case work created."))
