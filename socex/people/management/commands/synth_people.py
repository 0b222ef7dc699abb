"""manage.py synth_people --count N --duplicate-rate R [--seed S] [--owner ORG] [--balanced]"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from socex.accounts.models import Organisation
from socex.core.context import acting_as
from socex.people.details import PersonDetails
from socex.people.services import people_bulk_create
from socex.people.synth import BALANCED_WEIGHTS, Population

DEFAULT_OWNER = "West Midlands Police"


class Command(BaseCommand):
    help = (
        "Add N synthetic people to the person index for load tests and demonstrations: West Midlands "
        "names of many origins, a share of them with duplicate records that differ as real records do "
        "(typos, nicknames, swapped names, missing or mistyped dates of birth, new addresses and phones). "
        "The same --seed always gives the same people. Never in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="how many records to write (duplicates included)")
        parser.add_argument(
            "--duplicate-rate",
            type=float,
            default=0.0,
            help="share of people (0 to 1) who get one to three duplicate records (default 0)",
        )
        parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same people (default 0)")
        parser.add_argument(
            "--owner", default=DEFAULT_OWNER, help=f"name of the organisation that holds them (default {DEFAULT_OWNER})"
        )
        parser.add_argument(
            "--balanced", action="store_true", help="as many people of each name origin (default: the region's mix)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        count, rate = options["count"], options["duplicate_rate"]
        if settings.MODE == "production":
            raise CommandError("synth_people adds made-up people to the index, so it never runs in production.")
        if count < 0:
            raise CommandError(f"--count must be 0 or more, not {count}.")
        if not 0.0 <= rate <= 1.0:
            raise CommandError(f"--duplicate-rate must be between 0 and 1 (for example 0.2 for 20%), not {rate}.")
        owner = self._owner(options["owner"])
        population = Population(
            seed=options["seed"], duplicate_rate=rate, origin_weights=BALANCED_WEIGHTS if options["balanced"] else None
        )
        with (
            tqdm(
                total=count,
                desc="Synthetic people",
                unit=" people",
                file=self.stderr._out,  # the raw stream: OutputWrapper would add a newline to each redraw
                disable=options["no_progress"] or options["verbosity"] < 1,
            ) as bar,
            acting_as(None, channel="command"),
        ):
            written = people_bulk_create(
                self._rows(population, count), owner=owner, progress=lambda done: bar.update(done - bar.n)
            )
        self.stdout.write(self.style.SUCCESS(f"Added {written:,} synthetic people to the index, held by {owner.name}."))

    @staticmethod
    def _rows(population: Population, count: int) -> Iterator[tuple[PersonDetails, dict[str, str]]]:
        for person in population.stream(count):
            yield person.details, person.profile

    @staticmethod
    def _owner(name: str) -> Organisation:
        owner = Organisation.objects.filter(name=name).first()
        if owner is not None:
            return owner
        known = list(Organisation.objects.order_by("name").values_list("name", flat=True)[:5])
        hint = (
            f" Organisations include: {', '.join(known)}."
            if known
            else " There are no organisations yet: run manage.py seed_demo first."
        )
        raise CommandError(f"No organisation is called '{name}'. Give an existing one with --owner.{hint}")
