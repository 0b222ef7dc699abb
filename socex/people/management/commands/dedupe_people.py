"""manage.py dedupe_people [--threshold T]: run a duplicate check over the whole person index now."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from socex.core.context import acting_as
from socex.people.dedupe import execute_run
from socex.people.dedupe_model import DEFAULT_THRESHOLD
from socex.people.tasks import dedupe_create

STAGES = [
    "Reading the index",
    "Preparing records",
    "Training the model",
    "Scoring pairs and clustering",
    "Saving pairs",
]


class Command(BaseCommand):
    help = (
        "Compare every current person in the index with the others (Splink, trained on the index) and put "
        "the pairs that may be one person in the review queue. Runs here and now, not in the background; "
        "decisions already made are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"keep pairs at or above this match probability, between 0 and 1 (default {DEFAULT_THRESHOLD})",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None, channel="command"):
            try:
                run = dedupe_create(actor=None, threshold=options["threshold"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            with tqdm(
                total=len(STAGES),
                desc="Duplicate check",
                unit=" stage",
                file=self.stderr._out,  # the raw stream: OutputWrapper would add a newline to each redraw
                disable=options["no_progress"] or options["verbosity"] < 1,
            ) as bar:

                def progress(stage: str) -> None:
                    bar.set_description(stage)
                    bar.update(1)

                try:
                    execute_run(run, progress=progress)
                except Exception as error:
                    raise CommandError(f"The duplicate check failed: {run.error or error}") from error
                bar.set_description("Done")
                bar.update(bar.total - bar.n)  # stages a small index skips (training) count as done
        self.stdout.write(
            self.style.SUCCESS(
                f"Compared {run.people_count:,} people: {run.pair_count:,} possible duplicate pairs "
                f"in {run.cluster_count:,} groups at a match probability of {run.threshold:g} or more."
            )
        )
