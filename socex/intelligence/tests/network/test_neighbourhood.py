"""Reading the network from the database: hops, filters, who sees which links, case links, the
edge-source registry, paths between chosen entities, and the whole network as arrays."""

from __future__ import annotations

import datetime as dt
import itertools

import networkx as nx
import numpy as np
import pytest
from django.test import override_settings

from socex.accounts.models import Role
from socex.areas.models import LPA
from socex.cases.services import case_create
from socex.core.testing.factories import UserFactory
from socex.intelligence.network import sources
from socex.intelligence.network.analysis import connecting_network, neighbourhood, shortest_path, whole_network
from socex.intelligence.network.filters import NetworkFilters
from socex.intelligence.network.graph import whole_edges
from socex.intelligence.network.sources import EdgeRequest, ExtraEdge, Support, register_edge_source
from socex.intelligence.services import person_entity
from socex.people.details import PersonDetails
from socex.people.services import person_create

pytestmark = pytest.mark.django_db


def labels(network):
    return {node.label for node in network.nodes.values()}


def pairs(network):
    return {
        tuple(sorted((network.nodes[e.source].label, network.nodes[e.target].label))) for e in network.edges.values()
    }


# --- Hops -----------------------------------------------------------------------------------------


def test_each_hop_reaches_one_link_further(intel, hub_detective):
    a, b, c, d = intel.entities("A", "B", "C", "D")
    intel.chain([a, b, c, d])
    one = neighbourhood(hub_detective, a.pk, hops=1)
    two = neighbourhood(hub_detective, a.pk, hops=2)
    assert labels(one) == {"A", "B"}
    assert labels(two) == {"A", "B", "C"}
    assert {n.label: n.hop for n in two.nodes.values()} == {"A": 0, "B": 1, "C": 2}
    assert two.seeds == [a.pk]
    assert not two.truncated


def test_links_between_entities_of_the_outer_ring_are_shown(intel, hub_detective):
    a, b, c = intel.entities("A", "B", "C")
    intel.link(a, b)
    intel.link(a, c)
    intel.link(b, c, "family")
    network = neighbourhood(hub_detective, a.pk, hops=1)
    assert pairs(network) == {("A", "B"), ("A", "C"), ("B", "C")}


def test_expanding_a_node_adds_its_neighbours(intel, hub_detective):
    a, b, c, d = intel.entities("A", "B", "C", "D")
    intel.chain([a, b, c, d])
    network = neighbourhood(hub_detective, a.pk, hops=1, expanded=[b.pk])
    assert labels(network) == {"A", "B", "C"}
    assert network.nodes[c.pk].hop == 2
    ignored = neighbourhood(hub_detective, a.pk, hops=1, expanded=[d.pk])  # not in the network: ignored
    assert labels(ignored) == {"A", "B"}


@override_settings(SOCEX_NETWORK_MAX_HOPS=2)
def test_hops_are_capped_by_the_setting(intel, hub_detective):
    entities = intel.entities(*"ABCDE")
    intel.chain(entities)
    assert len(neighbourhood(hub_detective, entities[0].pk, hops=9).nodes) == 3


@override_settings(SOCEX_NETWORK_MAX_NODES=4)
def test_a_network_stops_at_the_node_limit_keeping_the_best_linked(intel, hub_detective):
    centre, *leaves = intel.entities("Centre", *(f"Leaf {n}" for n in range(6)))
    for leaf in leaves:
        intel.link(centre, leaf)
    intel.link(leaves[5], leaves[4])  # still one link each to the centre: ties go by id
    network = neighbourhood(hub_detective, centre.pk, hops=1)
    assert network.truncated
    assert labels(network) == {"Centre", "Leaf 0", "Leaf 1", "Leaf 2"}


# --- What supports a link -------------------------------------------------------------------------


def test_every_link_lists_its_reports_best_graded_first(intel, hub_detective):
    a, b = intel.entities("A", "B")
    weak = intel.report("3D")
    strong = intel.report("1A")
    old = intel.report(legacy="B24")
    ungraded = intel.report(grade="")
    for report in (weak, old, ungraded, strong):
        intel.link(a, b, report=report)
    [edge] = neighbourhood(hub_detective, a.pk, hops=1).edges.values()
    assert [(s.reference, s.grade) for s in edge.ordered_supports()] == [
        (strong.reference, "1A P"),
        (weak.reference, "3D P"),
        (old.reference, "B24 (5x5x5)"),
        (ungraded.reference, ""),
    ]
    assert edge.best.url == f"/intelligence/reports/{strong.reference}/"
    assert [s.legacy for s in edge.ordered_supports()] == [False, False, True, False]


def test_links_of_different_types_or_directions_are_separate_edges(intel, hub_detective):
    a, b = intel.entities("A", "B")
    intel.link(a, b, "associate")
    intel.link(a, b, "family")
    intel.link(b, a, "recruited_by")
    network = neighbourhood(hub_detective, a.pk, hops=1)
    assert sorted(e.link_type for e in network.edges.values()) == ["associate", "family", "recruited_by"]
    assert network.pairs() == [(a.pk, b.pk)]


# --- Filters --------------------------------------------------------------------------------------


def test_the_time_window_keeps_links_true_at_some_time_in_it(intel, hub_detective):
    seed, old, current, open_ended, undated_old, undated_new = intel.entities(
        "Seed", "Old", "Current", "Open", "Undated old", "Undated new"
    )
    intel.link(seed, old, valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2020, 6, 30))
    intel.link(seed, current, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 12, 31))
    intel.link(seed, open_ended, valid_from=dt.date(2018, 1, 1))
    # No dates: the link counts from the day its report was obtained.
    intel.link(seed, undated_old, report=intel.report(obtained_on=dt.date(2017, 5, 1)))
    intel.link(seed, undated_new, report=intel.report(obtained_on=dt.date(2025, 3, 1)))
    window = NetworkFilters(date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30))
    assert labels(neighbourhood(hub_detective, seed.pk, hops=1, filters=window)) == {
        "Seed",
        "Current",
        "Open",
        "Undated old",
        "Undated new",
    }
    before = NetworkFilters(date_to=dt.date(2018, 12, 31))
    assert labels(neighbourhood(hub_detective, seed.pk, hops=1, filters=before)) == {"Seed", "Open", "Undated old"}


def test_only_the_chosen_link_types_are_followed(intel, hub_detective):
    person, phone, friend, friends_car = intel.entities("Person", "Phone", "Friend", "Car")
    intel.link(person, phone, "uses_phone")
    intel.link(person, friend, "associate")
    intel.link(friend, friends_car, "drives")
    network = neighbourhood(
        hub_detective, person.pk, hops=2, filters=NetworkFilters(link_types=frozenset({"associate", "drives"}))
    )
    assert labels(network) == {"Person", "Friend", "Car"}


def test_a_minimum_grading_keeps_grades_at_least_as_good_on_both_axes(intel, hub_detective):
    seed = intel.entity("Seed")
    grades = ["1A", "1B", "1C", "2A", "2B", "2C", "3A", "3E"]
    for grade in grades:
        intel.link(seed, intel.entity(f"Graded {grade}"), report=intel.report(grade))
    intel.link(seed, intel.entity("Legacy"), report=intel.report(legacy="A11"))
    intel.link(seed, intel.entity("Ungraded"), report=intel.report(grade=""))
    at_least_2b = NetworkFilters(min_grade="2B")
    assert labels(neighbourhood(hub_detective, seed.pk, hops=1, filters=at_least_2b)) == {
        "Seed",
        "Graded 1A",
        "Graded 1B",
        "Graded 2A",
        "Graded 2B",
    }
    with_legacy = NetworkFilters(min_grade="2B", include_legacy=True)
    assert "Legacy" in labels(neighbourhood(hub_detective, seed.pk, hops=1, filters=with_legacy))
    everything = neighbourhood(hub_detective, seed.pk, hops=1)
    assert {"Legacy", "Ungraded", "Graded 3E"} <= labels(everything)


def test_a_link_passes_the_grading_filter_on_any_one_good_report(intel, hub_detective):
    a, b = intel.entities("A", "B")
    intel.link(a, b, report=intel.report("3C"))
    intel.link(a, b, report=intel.report("1A"))
    [edge] = neighbourhood(hub_detective, a.pk, hops=1, filters=NetworkFilters(min_grade="1B")).edges.values()
    assert [s.grade for s in edge.supports] == ["1A P"]  # only the reports that pass are cited


# --- Who sees what --------------------------------------------------------------------------------


def test_links_from_a_restricted_report_show_only_to_its_team(intel, hub_detective, analyst):
    a, b, c = intel.entities("A", "B", "C")
    intel.link(a, b)
    intel.link(a, c, report=intel.report(restricted_team=hub_detective.team))
    assert labels(neighbourhood(hub_detective, a.pk, hops=1)) == {"A", "B", "C"}
    assert labels(neighbourhood(analyst, a.pk, hops=1)) == {"A", "B"}
    assert whole_edges(analyst, NetworkFilters()).links_read == 1
    assert whole_edges(hub_detective, NetworkFilters()).links_read == 2


def test_partners_and_readers_of_nothing_get_no_links(intel, walsall_partner, hub_officer):
    a, b = intel.entities("A", "B")
    intel.link(a, b)
    for user in (walsall_partner, hub_officer):  # hub_officer may submit intelligence, not read it
        assert labels(neighbourhood(user, a.pk, hops=2)) == {"A"}
        assert whole_edges(user, NetworkFilters()).links_read == 0


# --- Links from cases -----------------------------------------------------------------------------


@pytest.fixture
def case_pair(hub_detective):
    """Two children on one case, each with an intelligence entity, and a third child elsewhere."""
    people = [
        person_create(actor=hub_detective, details=PersonDetails(given_name=given, family_name="Case"))
        for given in ("Kai", "Lee", "Mo")
    ]
    entities = [person_entity(actor=hub_detective, person=person) for person in people]
    case_create(
        actor=hub_detective,
        subjects=people[:2],
        lead_agency=hub_detective.organisation,
        lpa=LPA.objects.get(name="Walsall"),
    )
    return entities


def test_subjects_of_the_same_case_are_linked_for_those_who_may_see_the_case(intel, hub_detective, case_pair):
    kai, lee, mo = case_pair
    network = neighbourhood(hub_detective, kai.pk, hops=2)
    assert set(network.nodes) == {kai.pk, lee.pk}
    [edge] = network.edges.values()
    assert edge.link_type == "same_case"
    [support] = edge.supports
    assert (support.kind, support.reference.startswith("CASE-"), support.url.startswith("/cases/")) == (
        "case",
        True,
        True,
    )
    assert neighbourhood(hub_detective, mo.pk, hops=2).edges == {}


def test_case_links_ignore_the_grading_filter_but_not_the_type_filter(intel, hub_detective, case_pair):
    kai, lee, _ = case_pair
    graded = neighbourhood(hub_detective, kai.pk, hops=1, filters=NetworkFilters(min_grade="1A"))
    assert set(graded.nodes) == {kai.pk, lee.pk}
    other_types = neighbourhood(hub_detective, kai.pk, hops=1, filters=NetworkFilters(link_types=frozenset({"family"})))
    assert set(other_types.nodes) == {kai.pk}


def test_no_case_links_for_a_reader_who_cannot_see_cases(intel, wmp, case_pair):
    Role.objects.create(code="intel-reader", name="Intelligence reader", capabilities=["intel.view"], police_only=True)
    reader = UserFactory(email="reader@police.example", organisation=wmp, roles=["intel-reader"])
    kai, _, _ = case_pair
    assert set(neighbourhood(reader, kai.pk, hops=2).nodes) == {kai.pk}
    assert whole_edges(reader, NetworkFilters()).links_read == 0


def test_whole_network_includes_case_links(intel, hub_detective, case_pair):
    arrays = whole_edges(hub_detective, NetworkFilters())
    assert sorted(arrays.entity_ids.tolist()) == sorted(e.pk for e in case_pair[:2])


# --- The edge-source registry ---------------------------------------------------------------------


@pytest.fixture
def operation_source():
    """An edge source like the one the investigations app can register."""
    calls = []

    def operation_edges(user, request: EdgeRequest):
        calls.append(request)
        return [
            ExtraEdge(source=a, target=b, link_type="same_operation", support=Support("operation", "OP-1", "/op/1/"))
            for a, b in operation_source.pairs
            if request.entity_ids is None or a in request.entity_ids or b in request.entity_ids
        ]

    operation_source.pairs = []
    register_edge_source(operation_edges, link_types={"same_operation": "Suspects in the same operation"})
    yield operation_source, calls
    sources._sources.pop(f"{operation_edges.__module__}.{operation_edges.__qualname__}")


def test_a_registered_source_adds_its_edges_and_link_type(intel, hub_detective, operation_source):
    registry, calls = operation_source
    a, b, c = intel.entities("A", "B", "C")
    intel.link(a, b)
    registry.pairs.append((b.pk, c.pk))
    assert pairs(neighbourhood(hub_detective, a.pk, hops=2)) == {("A", "B"), ("B", "C")}
    assert sources.extra_link_types()["same_operation"] == "Suspects in the same operation"
    only_intel = NetworkFilters(link_types=frozenset({"associate"}))
    calls.clear()
    assert pairs(neighbourhood(hub_detective, a.pk, hops=2, filters=only_intel)) == {("A", "B")}
    assert calls == []  # a source whose types are all filtered out is not asked


# --- Paths between chosen entities ----------------------------------------------------------------


def test_the_shortest_path_and_the_reports_along_it(intel, hub_detective):
    a, b, c, d, e, x = intel.entities("A", "B", "C", "D", "E", "X")
    intel.chain([a, b, c, d, e])
    intel.link(b, x)
    intel.link(x, d, report=intel.report("1A"))  # A-B-X-D-E is as short as A-B-C-D-E
    intel.link(a, intel.entity("Loner"))
    result = shortest_path(hub_detective, a.pk, e.pk)
    assert result.distances == {(a.pk, e.pk): 4}
    assert len(result.network.edges) == 4
    assert {a.pk, b.pk, d.pk, e.pk} <= set(result.network.nodes)
    assert len(result.network.nodes) == 5
    assert "Loner" not in labels(result.network)
    assert all(edge.supports for edge in result.network.edges.values())


def test_entities_too_far_apart_or_unconnected_say_so(intel, hub_detective):
    chain = intel.entities(*(f"C{n}" for n in range(8)))
    intel.chain(chain)
    island = intel.entity("Island")
    far = shortest_path(hub_detective, chain[0].pk, chain[7].pk, max_hops=6)
    assert far.distances == {(chain[0].pk, chain[7].pk): None}
    assert far.unconnected == [(chain[0].pk, chain[7].pk)]
    near = shortest_path(hub_detective, chain[0].pk, chain[7].pk, max_hops=7)
    assert near.distances == {(chain[0].pk, chain[7].pk): 7}
    assert shortest_path(hub_detective, chain[0].pk, island.pk).distances == {(chain[0].pk, island.pk): None}


def test_three_entities_are_joined_through_the_hub_between_them(intel, hub_detective):
    # A spider: three legs of two links from a hub H; the legs' ends are what we connect.
    hub = intel.entity("H")
    ends = []
    for leg in "PQR":
        middle, end = intel.entities(f"{leg}1", f"{leg}2")
        intel.chain([hub, middle, end])
        ends.append(end)
    result = connecting_network(hub_detective, [e.pk for e in ends])
    assert set(result.distances.values()) == {4}
    assert labels(result.network) == {"H", "P1", "P2", "Q1", "Q2", "R1", "R2"}
    assert len(result.network.edges) == 6  # the tree, not three separate paths


def test_shortest_paths_match_networkx_on_a_random_network(intel, hub_detective):
    entities = intel.entities(*(f"R{n}" for n in range(30)))
    rng = np.random.default_rng(11)
    graph = nx.Graph()
    graph.add_nodes_from(e.pk for e in entities)
    report = intel.report()
    for i, j in rng.integers(0, 30, size=(38, 2)):
        if i != j and not graph.has_edge(entities[i].pk, entities[j].pk):
            graph.add_edge(entities[i].pk, entities[j].pk)
            intel.link(entities[i], entities[j], report=report)
    for a, b in itertools.islice(itertools.combinations(entities, 2), 0, 435, 29):
        expected = nx.shortest_path_length(graph, a.pk, b.pk) if nx.has_path(graph, a.pk, b.pk) else None
        if expected is not None and expected > 6:
            expected = None
        key = (min(a.pk, b.pk), max(a.pk, b.pk))
        assert shortest_path(hub_detective, a.pk, b.pk).distances[key] == expected


def test_whole_network_components_and_pagerank(intel, hub_detective):
    first = intel.entities("A", "B", "C")
    second = intel.entities("D", "E")
    intel.chain(first)
    intel.chain(second)
    result = whole_network(hub_detective, top=3)
    assert (result.vertices, result.links, result.components, result.largest_component) == (5, 3, 2, 3)
    assert result.pagerank[0].entity_id == first[1].pk  # the middle of A-B-C
    assert {"read", "build", "components", "pagerank"} <= set(result.timings)
