"""Create the first administrator of a new installation (or another one later).

The Django admin is read-only and ``createsuperuser`` grants no roles, so this is how a new
force gets its first person who can manage users in the app. It goes through the same
audited services as the administration pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from socex.accounts.models import Organisation, OrganisationType, Role
from socex.accounts.services import organisation_create, user_create
from socex.core.context import acting_as

ADMINISTRATOR_ROLE = "administrator"


class Command(BaseCommand):
    help = "Create an administrator, printing a one-time password they must change when they first sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="Their work email address; they sign in with it.")
        parser.add_argument("--name", required=True, help="Their full name, e.g. 'Chris Evans'.")
        parser.add_argument(
            "--organisation",
            required=True,
            help="The organisation they work for. Created (as a police force) if it does not exist yet.",
        )

    def handle(self, *args: Any, email: str, name: str, organisation: str, **options: Any) -> None:
        role = Role.objects.filter(code=ADMINISTRATOR_ROLE).first()
        if role is None:
            raise CommandError("There is no 'administrator' role. Run `manage.py migrate` first.")
        try:
            with acting_as(None, channel="command"), transaction.atomic():
                org = self._organisation(organisation)
                user, password = user_create(email=email, full_name=name, organisation=org, roles=[role])
        except ValidationError as exc:
            raise CommandError(" ".join(_messages(exc))) from exc
        self.stdout.write(self.style.SUCCESS(f"Created administrator {user.email} at {org.name}."))
        self.stdout.write(f"One-time password: {password}")
        self.stdout.write("Give it to them securely. They must choose their own password when they first sign in.")

    def _organisation(self, name: str) -> Organisation:
        existing = Organisation.objects.filter(name__iexact=name.strip()).first()
        if existing is not None:
            return existing
        return organisation_create(name=name, org_type=OrganisationType.POLICE)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [f"{field}: {message}" for field, messages in exc.message_dict.items() for message in messages]
    return list(exc.messages)
