"""Investigations add their links to the intelligence network: suspect and victim, co-suspects,
and suspects to the lines the investigation targets, citing the investigation; investigators only."""

import datetime as dt

import pytest

from socex.intelligence.models import Entity, EntityKind, Group, GroupKind
from socex.intelligence.network.filters import NetworkFilters
from socex.intelligence.network.sources import EdgeRequest, extra_edges
from socex.investigations import services
from socex.investigations.models import PersonRole
from socex.investigations.network import CO_SUSPECTS, SUSPECT_VICTIM, TARGETED
from socex.people.details import PersonDetails
from socex.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(hub_detective, investigation, child):
    line = Group.objects.create(kind=GroupKind.COUNTY_LINE, name="BLUE line")
    investigation.targets.add(line)
    runner = person_create(actor=hub_detective, details=PersonDetails(given_name="Dwayne", family_name="Holder"))
    helper = person_create(actor=hub_detective, details=PersonDetails(given_name="Marcus", family_name="Reid"))
    services.investigation_add_person(
        actor=hub_detective, investigation=investigation, person=runner, role=PersonRole.SUSPECT
    )
    services.investigation_add_person(
        actor=hub_detective, investigation=investigation, person=helper, role=PersonRole.SUSPECT
    )
    services.investigation_add_person(
        actor=hub_detective, investigation=investigation, person=child, role=PersonRole.VICTIM
    )
    entities = {
        "runner": Entity.objects.create(
            kind=EntityKind.PERSON, key=str(runner.pk), label="Dwayne Holder", person=runner
        ),
        "helper": Entity.objects.create(kind=EntityKind.PERSON, key=str(helper.pk), label="Marcus Reid", person=helper),
        "child": Entity.objects.create(kind=EntityKind.PERSON, key=str(child.pk), label="Kieran Smith", person=child),
        "line": Entity.objects.create(kind=EntityKind.GROUP, key=str(line.pk), label="BLUE line", group=line),
    }
    return {name: entity.pk for name, entity in entities.items()}


def _edges(user, ids=None, **filters):
    request = EdgeRequest(entity_ids=frozenset(ids) if ids is not None else None, filters=NetworkFilters(**filters))
    return {(e.source, e.target, e.link_type) for e in extra_edges(user, request) if e.support.kind == "investigation"}


def test_investigation_links_join_suspects_victims_and_targeted_lines(hub_detective, network, investigation):
    n = network
    assert _edges(hub_detective) == {
        (n["runner"], n["child"], SUSPECT_VICTIM),
        (n["helper"], n["child"], SUSPECT_VICTIM),
        (n["runner"], n["helper"], CO_SUSPECTS),
        (n["runner"], n["line"], TARGETED),
        (n["helper"], n["line"], TARGETED),
    }
    (edge,) = [
        e
        for e in extra_edges(hub_detective, EdgeRequest(entity_ids=frozenset({n["line"]}), filters=NetworkFilters()))
        if e.source == n["runner"] and e.target == n["line"]
    ]
    assert edge.support.reference == investigation.reference


def test_only_edges_touching_the_asked_entities_and_the_window(hub_detective, network):
    n = network
    assert {link for *_, link in _edges(hub_detective, ids=[n["child"]])} == {SUSPECT_VICTIM}
    assert _edges(hub_detective, date_to=dt.date(2026, 3, 1)) == set()  # opened 2 March 2026


def test_people_who_cannot_read_investigations_get_no_such_edges(analyst, network):
    assert _edges(analyst) == set()
