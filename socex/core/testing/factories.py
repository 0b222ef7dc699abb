"""factory_boy factories shared by every app's tests (en_GB, synthetic people only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from socex.accounts.models import Organisation, OrganisationType, Role, Team, User
from socex.areas.models import LPA, Force, Hub

factory.Faker._DEFAULT_LOCALE = "en_GB"

# The seven West Midlands LPAs with their ONS codes and Census 2021 usual residents (the same
# figures as socex/areas/reference/west_midlands/lpas.csv).
WEST_MIDLANDS_LPAS = [
    ("E08000025", "Birmingham", 1144925),
    ("E08000026", "Coventry", 345312),
    ("E08000027", "Dudley", 323484),
    ("E08000028", "Sandwell", 341849),
    ("E08000029", "Solihull", 216233),
    ("E08000030", "Walsall", 284129),
    ("E08000031", "Wolverhampton", 263730),
]
HUBS = {
    "Birmingham": ["Birmingham", "Solihull"],
    "Coventry": ["Coventry"],
    "Wolverhampton": ["Wolverhampton", "Walsall", "Dudley", "Sandwell"],
}

TEST_PASSWORD = "correct-horse-battery-staple"


def make_west_midlands() -> Force:
    """The force, its seven LPAs and three hubs: enough geography for access tests."""
    force, _ = Force.objects.get_or_create(code="E23000014", defaults={"name": "West Midlands Police"})
    lpas = {}
    for code, name, population in WEST_MIDLANDS_LPAS:
        lpas[name], _ = LPA.objects.get_or_create(
            code=code,
            defaults={"force": force, "name": name, "population": population, "population_source": "Census 2021"},
        )
    for hub_name, served in HUBS.items():
        hub, created = Hub.objects.get_or_create(
            code=hub_name.lower(),
            defaults={"force": force, "name": f"{hub_name} SOCEX Hub", "base_lpa": lpas[hub_name]},
        )
        if created:
            hub.lpas_served.set([lpas[n] for n in served])
    return force


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    org_type = OrganisationType.OTHER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # type: ignore[misc]
        if create and extracted:
            self.roles.set(Role.objects.filter(code__in=extracted))
        if create:
            self.save()


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)
