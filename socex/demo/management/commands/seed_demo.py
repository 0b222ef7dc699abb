"""manage.py seed_demo [--sign-ins]: build the synthetic West Midlands demo, or list its sign-ins."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socex.accounts.models import User
from socex.core.context import acting_as
from socex.demo.seed import SeedRefused, check_can_seed, demo_password, seed_demo, sign_in_rows


class Command(BaseCommand):
    help = (
        "Create the synthetic West Midlands demo (organisations, teams, a user for each persona and "
        "further staff). Safe to run again: only what is missing is created. Needs the reference data "
        "(manage.py load_reference) and refuses to run in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sign-ins", action="store_true", help="only print the demo sign-ins and password; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        try:
            if options["sign_ins"]:
                check_can_seed()
            else:
                with acting_as(None, channel="command"):
                    summary = seed_demo(password=password)
                for line in summary.lines():
                    self.stdout.write(line)
                if summary.total_created:
                    self.stdout.write(self.style.SUCCESS(f"Demo data created ({summary.total_created} records)."))
                else:
                    self.stdout.write(self.style.SUCCESS("Nothing to do: the demo data is already in place."))
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(
                f"The demo password from SOCEX_DEMO_PASSWORD is not allowed: {' '.join(exc.messages)} "
                "Choose another, or unset it to use the default. Nothing was created."
            ) from exc
        self._print_sign_ins(password)

    def _print_sign_ins(self, password: str) -> None:
        rows = [("Persona", "Email", "Organisation"), *sign_in_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (synthetic people; demo only):")
        for n, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        self.stdout.write(f"Password for every demo account: {password}")
        if not User.objects.filter(email__in=[row[1] for row in rows[1:]]).exists():
            self.stdout.write(self.style.WARNING("These accounts do not exist yet: run manage.py seed_demo first."))
