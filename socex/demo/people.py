"""The demo's person index: about two hundred synthetic people, some known to several agencies.

People come from :mod:`socex.people.synth` with a fixed seed, so every run makes the same ones.
About one in seven has a second or third record held by another organisation, with the typos,
nicknames, new addresses and missing dates of birth real records have, so the duplicate review
queue and merging have something to show. Two records are the issue's own example: "Kieran
Smyth" known to the police and "Kiernan 'Ky' Smith" known to Walsall Early Help.

Every person is created through ``people.services`` by a user of the organisation that holds
them (so each is audited); some are held by a second agency, some police records carry warning
markers, and a few are shared with Walsall Early Help in the sharing ledger. Each record carries
a local reference ``DEMO-P-...`` on its holding, by which a later run knows it is already there.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from socex.accounts.models import Organisation, User
from socex.areas.models import LPA
from socex.people.details import PersonDetails
from socex.people.models import Holding, Person
from socex.people.services import part_add, person_create
from socex.people.synth import Population, SynthPerson
from socex.people.synth_data import BOROUGHS
from socex.sharing.models import LegalBasis
from socex.sharing.services import share_grant, shares_for

if TYPE_CHECKING:
    from socex.demo.seed import SeedSummary

SEED = 2026
RECORDS = 150
DUPLICATE_RATE = 0.15
REFERENCE_PREFIX = "DEMO-P-"
POLICE = "West Midlands Police"
POLICE_ACTOR = "hub.detective@demo.socex.example"
SHARED_WITH = "Walsall Council Early Help"
SHARED_COUNT = 6
SHARE_BASIS = "children-act-2004-s11"
MARKER_KINDS = ("cce", "missing", "weapons", "drugs", "violence")


@dataclass(frozen=True)
class DemoRecord:
    reference: str
    person: SynthPerson
    owner: str


def _showcase() -> list[DemoRecord]:
    """The issue's example: one child, two agencies, two slightly different records."""
    address = {"line_1": "14 Pelsall Lane", "town": "Walsall", "postcode": "WS2 8NT"}
    profile = {"gender": "male", "ethnicity": "W1", "nationality": "British"}
    police = SynthPerson(
        details=PersonDetails(
            given_name="Kieran",
            family_name="Smyth",
            date_of_birth=dt.date(2011, 2, 3),
            dob_precision="exact",
            gender="male",
            aliases=[("Ky", "")],
            postcodes=[address["postcode"]],
            phones=["+447700900998"],
        ),
        entity=-1,
        origin="english",
        profile=profile,
        lpa_code="E08000030",
        addresses=[address],
    )
    early_help = SynthPerson(
        details=PersonDetails(
            given_name="Kiernan",
            family_name="Smith",
            preferred_name="Ky",
            date_of_birth=dt.date(2011, 2, 3),
            dob_precision="exact",
            gender="male",
            postcodes=["WS2 8NT"],
        ),
        entity=-1,
        origin="english",
        copy=1,
        corruptions=("typo_given", "typo_family"),
        profile=profile,
        lpa_code="E08000030",
        addresses=[{"line_1": "14 Pelsall Ln", "town": "Walsall", "postcode": "WS2 8NT"}],
    )
    return [
        DemoRecord(f"{REFERENCE_PREFIX}K001", police, POLICE),
        DemoRecord(f"{REFERENCE_PREFIX}K002", early_help, SHARED_WITH),
    ]


def _holders(lpa_code: str, organisations: dict[str, Organisation], actors: dict[str, User]) -> list[str]:
    """Organisations in the person's borough (and the police) that have someone who may add people."""
    borough = BOROUGHS[lpa_code][0]
    local = [
        f"{borough} Council Early Help",
        "Sandwell Children's Trust" if borough == "Sandwell" else f"{borough} Children's Services",
        f"{borough} Community Health (demo)",
        *(org.name for org in organisations.values() if org.lpa is not None and org.lpa.code == lpa_code),
    ]
    # The police know most of the people the hubs deal with: three chances in (3 + local ones).
    return [POLICE] * 3 + [name for name in dict.fromkeys(local) if name in actors and name != POLICE]


def demo_records(organisations: dict[str, Organisation], actors: dict[str, User]) -> Iterator[DemoRecord]:
    """Every demo person record with the organisation that holds it, the same on every run."""
    yield from _showcase()
    population = Population(seed=SEED, duplicate_rate=DUPLICATE_RATE)
    owners: dict[int, str] = {}
    for n, person in enumerate(population.stream(RECORDS), start=1):
        rng = random.Random(SEED * 100_003 + person.entity * 7 + person.copy)  # noqa: S311 - reproducible synthetic data, not secrets
        holders = _holders(person.lpa_code, organisations, actors)
        if person.copy:  # another agency's record of the same person
            holders = [name for name in holders if name != owners[person.entity]] or holders
        owner = rng.choice(holders)
        owners.setdefault(person.entity, owner)
        yield DemoRecord(f"{REFERENCE_PREFIX}{n:04d}", person, owner)


def _actors(organisations: dict[str, Organisation]) -> dict[str, User]:
    """For each organisation, a user who may add people to the index (police: the hub detective)."""
    actors: dict[str, User] = {}
    users = User.objects.filter(organisation__in=organisations.values(), is_active=True).order_by("email")
    for user in users.select_related("organisation"):
        if user.organisation and user.organisation.name not in actors and user.has_cap("person.view"):
            actors[user.organisation.name] = user
    police = User.objects.filter(email=POLICE_ACTOR).first()
    if police is not None:
        actors[POLICE] = police
    return actors


def seed_demo_people(*, organisations: dict[str, Organisation], summary: SeedSummary) -> None:
    """Create whichever demo people are missing, through the people services (audited)."""
    summary.created.setdefault("people", 0)
    summary.existing.setdefault("people", 0)
    actors = _actors(organisations)
    existing = set(
        Holding.objects.filter(local_reference__startswith=REFERENCE_PREFIX).values_list("local_reference", flat=True)
    )
    lpas = {lpa.code: lpa for lpa in LPA.objects.filter(code__in=BOROUGHS)}
    created: list[tuple[DemoRecord, Person]] = []
    for record in demo_records(organisations, actors):
        if record.reference in existing:
            summary.existing["people"] += 1
            continue
        person = person_create(
            actor=actors[record.owner],
            details=record.person.details,
            owner=organisations[record.owner],
            lpa=lpas.get(record.person.lpa_code),
            profile=record.person.profile,
            holding_reference=record.reference,
            addresses=record.person.addresses,
        )
        created.append((record, person))
        summary.created["people"] += 1
    _add_markers_and_holdings(created, organisations, actors)
    _share_with_walsall(created, organisations, actors)
    _first_duplicate_check(summary)


def _first_duplicate_check(summary: SeedSummary) -> None:
    """Run the batch duplicate check once, so the demo's review queue has pairs to decide."""
    from socex.people.dedupe import execute_run
    from socex.people.models import DedupeRun
    from socex.people.tasks import dedupe_create

    summary.created.setdefault("duplicate checks", 0)
    summary.existing.setdefault("duplicate checks", 0)
    if DedupeRun.objects.exists():
        summary.existing["duplicate checks"] += 1
        return
    execute_run(dedupe_create(actor=None))
    summary.created["duplicate checks"] += 1


def _add_markers_and_holdings(
    created: list[tuple[DemoRecord, Person]], organisations: dict[str, Organisation], actors: dict[str, User]
) -> None:
    police = actors[POLICE]
    for record, person in created:
        rng = random.Random(f"{SEED}:{record.reference}")  # noqa: S311 - reproducible synthetic data, not secrets
        young = (record.person.details.date_of_birth or dt.date(1990, 1, 1)) > dt.date(2000, 1, 1)
        if record.owner == POLICE and young and rng.random() < 0.3:
            part_add(actor=police, person=person, kind="marker", **_marker(rng))
        if record.person.copy == 0 and rng.random() < 0.1:
            others = [name for name in actors if name != record.owner]
            holder = organisations[rng.choice(sorted(others))]
            part_add(actor=actors[record.owner], person=person, kind="holding", organisation=holder)


def _marker(rng: random.Random) -> dict[str, object]:
    return {
        "marker_kind": rng.choice(MARKER_KINDS),
        "detail": "Demo marker: synthetic record",
        "date_from": timezone.localdate() - dt.timedelta(days=rng.randrange(10, 400)),
    }


def _share_with_walsall(
    created: list[tuple[DemoRecord, Person]], organisations: dict[str, Organisation], actors: dict[str, User]
) -> None:
    walsall = organisations.get(SHARED_WITH)
    basis = LegalBasis.objects.filter(code=SHARE_BASIS).first()
    if walsall is None or basis is None:
        return
    police_people = [person for record, person in created if record.owner == POLICE and record.person.copy == 0]
    for person in police_people[:SHARED_COUNT]:
        if shares_for(person).filter(organisation=walsall).exists():
            continue
        share_grant(
            actor=actors[POLICE],
            obj=person,
            organisation=walsall,
            legal_basis=basis,
            scope="Identity and warning markers, for the Walsall Early Help assessment",
            until=timezone.localdate() + dt.timedelta(days=60),
        )
