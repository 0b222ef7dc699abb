"""/api/v1/intelligence/network/: an entity's neighbourhood and connections, police tokens only."""

from __future__ import annotations

import pytest

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event

pytestmark = pytest.mark.django_db

BASE = "/api/v1/intelligence/network"


def bearer(user):
    _, secret = api_token_create(user=user, name="network tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def line(intel):
    """Ky runs a line with a deal-line phone; Jay was recruited by Ky; Jay uses a car."""
    ky, jay = intel.entities("Ky", "Jay")
    group = intel.entity("Ky line", kind="group")
    phone = intel.entity("07700 900123", kind="phone")
    car = intel.entity("AB12 CDE", kind="vehicle")
    intel.link(ky, group, "runs_line", report=intel.report("1B"))
    intel.link(group, phone, "uses_phone", report=intel.report("2A"))
    intel.link(jay, ky, "recruited_by", report=intel.report("3B"))
    intel.link(jay, car, "drives", report=intel.report(legacy="C33"))
    return {"ky": ky, "jay": jay, "group": group, "phone": phone, "car": car}


def neighbourhood_url(entity):
    return f"{BASE}/entities/{entity.pk}/neighbourhood"


def test_a_police_token_gets_the_neighbourhood_with_its_evidence(client, analyst, line):
    response = client.get(neighbourhood_url(line["ky"]), {"hops": 1}, **bearer(analyst))
    assert response.status_code == 200
    body = response.json()
    assert body["entity"]["label"] == "Ky"
    assert body["entity"]["chosen"] is True
    assert body["hops"] == 1
    assert {n["label"] for n in body["nodes"]} == {"Ky", "Jay", "Ky line"}
    recruited = next(link for link in body["links"] if link["link_type"] == "recruited_by")
    assert (recruited["source"], recruited["target"], recruited["label"]) == (
        line["jay"].pk,
        line["ky"].pk,
        "Recruited by",
    )
    [support] = recruited["supported_by"]
    assert support["kind"] == "report"
    assert support["grade"] == "3B P"
    assert support["legacy"] is False
    assert support["url"] == f"/intelligence/reports/{support['reference']}/"
    assert body["key_nodes"] == [line["ky"].pk]
    assert sum(c["size"] for c in body["communities"]) == 3
    assert body["truncated"] is False
    view = Event.objects.filter(action=Action.VIEW).latest("id")
    assert (view.object_type, view.object_id) == ("intelligence.entity", str(line["ky"].pk))


def test_filters_by_grade_type_and_time_are_applied_and_audited(client, analyst, line):
    query = {
        "hops": 2,
        "min_grade": "2b",
        "link_types": ["runs_line", "uses_phone", "drives"],
        "date_from": "2020-01-01",
    }
    body = client.get(neighbourhood_url(line["ky"]), query, **bearer(analyst)).json()
    assert {n["label"] for n in body["nodes"]} == {"Ky", "Ky line", "07700 900123"}
    assert body["filters"] == {
        "From": "1 January 2020",
        "Link types": "Drives, Runs line, Uses phone",
        "Minimum grading": "2B",
    }
    search = Event.objects.filter(action=Action.SEARCH).latest("id")
    assert search.search_terms.startswith("Network of: Ky; From: 1 January 2020")
    legacy = client.get(neighbourhood_url(line["jay"]), {"min_grade": "3E", "include_legacy": True}, **bearer(analyst))
    car = next(link for link in legacy.json()["links"] if link["link_type"] == "drives")
    assert car["supported_by"][0]["grade"] == "C33 (5x5x5)"
    assert car["supported_by"][0]["legacy"] is True


def test_expanding_through_the_api(client, analyst, line):
    body = client.get(neighbourhood_url(line["jay"]), {"hops": 1, "expand": [line["ky"].pk]}, **bearer(analyst)).json()
    assert {n["label"] for n in body["nodes"]} == {"Jay", "Ky", "AB12 CDE", "Ky line"}


@pytest.mark.parametrize(
    ("query", "loc", "message"),
    [
        ({"min_grade": "2F"}, "min_grade", "(3x5x2 grading scheme rule)"),
        ({"min_grade": "B24"}, "min_grade", "Minimum grading must be a 3x5x2 grade"),
        ({"link_types": ["married"]}, "link_types", "married is not one of them"),
        ({"date_from": "yesterday"}, "date_from", "Linked from must be a real date"),
        ({"date_from": "2025-06-01", "date_to": "2025-01-01"}, "date_to", "the same as or after"),
        ({"hops": 4}, "hops", "hops must be 1 to 3."),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, analyst, line, query, loc, message):
    response = client.get(neighbourhood_url(line["ky"]), query, **bearer(analyst))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", loc]
    assert message in error["msg"]
    assert not Event.objects.filter(action=Action.SEARCH).exists()


def test_hops_must_be_a_small_whole_number(client, analyst, line):
    assert client.get(neighbourhood_url(line["ky"]), {"hops": 0}, **bearer(analyst)).status_code == 422
    assert client.get(neighbourhood_url(line["ky"]), {"hops": "two"}, **bearer(analyst)).status_code == 422


@pytest.mark.parametrize("persona", ["walsall_partner", "school_outsider", "vrp_officer", "hub_officer", "mace_chair"])
def test_only_police_intelligence_readers_get_anything(request, client, line, persona):
    headers = bearer(request.getfixturevalue(persona))
    assert client.get(neighbourhood_url(line["ky"]), **headers).status_code == 404
    assert client.get(f"{BASE}/connect", {"between": [line["ky"].pk, line["jay"].pk]}, **headers).status_code == 404


def test_no_token_is_refused_and_an_unknown_entity_is_not_found(client, analyst, line):
    assert client.get(neighbourhood_url(line["ky"])).status_code == 401
    assert client.get(f"{BASE}/entities/999999/neighbourhood", **bearer(analyst)).status_code == 404


def test_restricted_links_stay_with_their_team(client, analyst, hub_detective, intel, line):
    secret = intel.entity("Secret")
    intel.link(line["ky"], secret, report=intel.report(restricted_team=hub_detective.team))
    outsider = client.get(neighbourhood_url(line["ky"]), {"hops": 1}, **bearer(analyst)).json()
    assert "Secret" not in {n["label"] for n in outsider["nodes"]}
    member = client.get(neighbourhood_url(line["ky"]), {"hops": 1}, **bearer(hub_detective)).json()
    assert "Secret" in {n["label"] for n in member["nodes"]}


def test_how_entities_are_connected(client, analyst, line):
    response = client.get(f"{BASE}/connect", {"between": [line["phone"].pk, line["car"].pk]}, **bearer(analyst))
    assert response.status_code == 200
    body = response.json()
    assert body["pairs"] == [{"a": line["phone"].pk, "b": line["car"].pk, "links_apart": 4}]
    assert {n["label"] for n in body["nodes"]} == {"07700 900123", "Ky line", "Ky", "Jay", "AB12 CDE"}
    assert body["exact"] is True
    assert body["max_hops"] == 6
    assert all(link["supported_by"] for link in body["links"])
    too_few = client.get(f"{BASE}/connect", {"between": [line["phone"].pk]}, **bearer(analyst))
    assert too_few.status_code == 422
    assert too_few.json()["detail"][0]["msg"] == "Give between 2 and 8 different entity ids."
