"""manage.py synth_intel --reports N --entities N --links N [--seed S] [--owner ORG]"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from tqdm import tqdm

from socex.accounts.models import Organisation, OrganisationType, Team, User
from socex.areas.models import LPA
from socex.audit.models import Action
from socex.audit.services import record
from socex.core.context import acting_as
from socex.intelligence import conf
from socex.intelligence.network.synth import ReportContext, generate

DEFAULT_OWNER = "West Midlands Police"
AUTHOR_EMAIL = "synthetic.author@police.invalid"
EVALUATOR_EMAIL = "synthetic.evaluator@police.invalid"


class Command(BaseCommand):
    help = (
        "Add synthetic intelligence for load tests and benchmarks: reports with made-up West Midlands "
        "text (graded 3x5x2, some legacy 5x5x5, some restricted to a team), entities of every kind and "
        "typed, dated links between them, written in bulk (COPY on PostgreSQL). The search index keeps "
        "up by itself. The same --seed gives the same data. Never in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, required=True, help="how many reports")
        parser.add_argument("--entities", type=int, required=True, help="how many entities (people, phones, ...)")
        parser.add_argument("--links", type=int, required=True, help="how many links between entities")
        parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same data (default 0)")
        parser.add_argument(
            "--owner", default=DEFAULT_OWNER, help=f"the police organisation that holds them (default {DEFAULT_OWNER})"
        )
        parser.add_argument("--batch", type=int, default=20_000, help="rows per write (default 20,000)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MODE == "production":
            raise CommandError("synth_intel adds made-up intelligence, so it never runs in production.")
        reports, entities, links = options["reports"], options["entities"], options["links"]
        for name, value in (("--reports", reports), ("--entities", entities), ("--links", links)):
            if value < 0:
                raise CommandError(f"{name} must be 0 or more, not {value}.")
        if links and (reports < 1 or entities < 2):
            raise CommandError("Links need at least 1 report and 2 entities to join (--reports and --entities).")
        if options["batch"] < 1:
            raise CommandError(f"--batch must be 1 or more, not {options['batch']}.")
        context = self._context(options["owner"])
        quiet = options["no_progress"] or options["verbosity"] < 1
        bars = {
            phase: tqdm(total=total, desc=f"Synthetic {phase}", unit=" rows", file=self.stderr._out, disable=quiet)
            for phase, total in (("reports", reports), ("entities", entities), ("links", links))
        }
        try:
            with acting_as(None, channel="command"):
                counts = generate(
                    reports=reports,
                    entities=entities,
                    links=links,
                    context=context,
                    seed=options["seed"],
                    batch=options["batch"],
                    progress=lambda phase, rows: bars[phase].update(rows),
                )
                with transaction.atomic():
                    record(
                        Action.IMPORT,
                        object_type="intelligence.report",
                        export_count=counts.reports,
                        detail={
                            "source": "synth_intel (synthetic data)",
                            "reports": counts.reports,
                            "entities": counts.entities,
                            "groups": counts.groups,
                            "links": counts.links,
                            "seed": options["seed"],
                        },
                    )
        finally:
            for bar in bars.values():
                bar.close()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE intelligence_report, intelligence_entity, intelligence_link")
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {counts.reports:,} synthetic reports, {counts.entities:,} entities "
                f"({counts.groups:,} lines and groups) and {counts.links:,} links."
            )
        )

    @staticmethod
    def _context(owner_name: str) -> ReportContext:
        owner = Organisation.objects.filter(name=owner_name).first()
        if owner is None:
            raise CommandError(f"There is no organisation called {owner_name!r}: name one with --owner.")
        if owner.org_type != OrganisationType.POLICE:
            raise CommandError(f"{owner_name} is not a police organisation: intelligence is police-only.")
        lpa_ids = list(LPA.objects.values_list("pk", flat=True))
        if not lpa_ids:
            raise CommandError("There are no local policing areas yet: load the areas first (manage.py seed_demo).")
        # Two accounts that cannot sign in write and evaluate the reports (never the same person).
        author = _synthetic_user(AUTHOR_EMAIL, "Synthetic intelligence author", owner)
        evaluator = _synthetic_user(EVALUATOR_EMAIL, "Synthetic intelligence evaluator", owner)
        group = conf.retention_schedule().default
        prep_user = User._meta.pk.get_db_prep_value  # type: ignore[union-attr]
        prep_team = Team._meta.pk.get_db_prep_value  # type: ignore[union-attr]
        teams = Team.objects.filter(organisation=owner).values_list("pk", flat=True)
        return ReportContext(
            author_id=prep_user(author.pk, connection),
            evaluator_id=prep_user(evaluator.pk, connection),
            owner_id=Organisation._meta.pk.get_db_prep_value(owner.pk, connection),  # type: ignore[union-attr]
            lpa_ids=lpa_ids,
            team_ids=[prep_team(pk, connection) for pk in teams],
            retention_group=group.code,
            review_years=group.review_years,
        )


def _synthetic_user(email: str, name: str, owner: Organisation) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=name, organisation=owner, is_active=False)
        user.set_unusable_password()
        user.save()
    return user
