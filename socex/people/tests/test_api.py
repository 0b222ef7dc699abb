"""/api/v1/people/: search, match, create and get, with the same rules as the pages."""

import datetime as dt

import pytest

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event
from socex.people.details import PersonDetails
from socex.people.models import Person
from socex.people.services import person_create

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"
MATCH = "/api/v1/people/match"


def bearer(user):
    _, secret = api_token_create(user=user, name="people tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def kieran(hub_officer):
    details = PersonDetails(
        given_name="Kieran",
        family_name="Smith",
        date_of_birth=dt.date(2011, 2, 3),
        postcodes=["WS2 8AA"],
        phones=["07700 900123"],
        identifiers=[("nhs", "9434765919")],
    )
    return person_create(actor=hub_officer, details=details, holding_reference="WMP-77")


def _last_search():
    return Event.objects.filter(action=Action.SEARCH).order_by("-id").first()


# --- Search ------------------------------------------------------------------------------------


def test_search_by_name_and_date_of_birth_ranks_candidates_with_reasons(client, hub_detective, kieran):
    response = client.get(PEOPLE, {"q": "Kiernan Smyth", "date_of_birth": "03/02/2011"}, **bearer(hub_detective))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["person"]["reference"] == kieran.reference
    assert item["person"]["url"] == f"/people/{kieran.pk}/"
    assert item["person"]["postcodes"] == ["WS2 8AA"]
    assert 0 < item["probability"] <= 1
    assert item["band"] in ("Very likely", "Likely", "Possible")
    assert {"field": "date_of_birth", "outcome": "agree", "text": "date of birth matches exactly (03/02/2011)"} in (
        item["reasons"]
    )
    search = _last_search()
    assert search.search_terms == "First name: Kiernan; Last name: Smyth; Date of birth: 03/02/2011"
    assert (search.detail["results"], search.actor_id) == (1, hub_detective.pk)


def test_search_needs_a_detail_and_names_a_bad_one(client, hub_detective):
    headers = bearer(hub_detective)
    nothing = client.get(PEOPLE, **headers)
    assert nothing.status_code == 422
    assert nothing.json()["detail"][0]["msg"] == "Give at least one detail to search for."
    bad = client.get(PEOPLE, {"family_name": "Smith", "date_of_birth": "30/02/2011"}, **headers)
    assert bad.status_code == 422
    assert bad.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["query", "date_of_birth"],
            "msg": "Date of birth must be a real date: 30/02/2011 does not exist.",
        }
    ]
    assert not Event.objects.filter(action=Action.SEARCH).exists()


def test_a_partner_searches_only_the_people_they_may_see(client, school_outsider, kieran):
    pupil = person_create(
        actor=school_outsider,
        details=PersonDetails(given_name="Kieran", family_name="Smith", date_of_birth=dt.date(2010, 9, 9)),
    )
    response = client.get(PEOPLE, {"q": "Kieran Smith"}, **bearer(school_outsider))
    assert [item["person"]["id"] for item in response.json()["items"]] == [pupil.pk]


def test_no_person_index_role_is_refused(client, vrp_officer):
    assert client.get(PEOPLE, {"q": "Kieran Smith"}, **bearer(vrp_officer)).status_code == 403
    assert (
        client.post(MATCH, {"family_name": "Smith"}, content_type="application/json", **bearer(vrp_officer)).status_code
        == 403
    )


def test_no_token_is_refused(client):
    assert client.get(PEOPLE, {"q": "Kieran Smith"}).status_code == 401


# --- Match -------------------------------------------------------------------------------------


def test_match_finds_the_child_by_nhs_number_whatever_else_differs(client, hub_detective, kieran):
    payload = {"given_name": "Ky", "family_name": "Smyth", "identifiers": [{"kind": "nhs", "value": "943 476 5919"}]}
    response = client.post(MATCH, payload, content_type="application/json", **bearer(hub_detective))
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["person"]["id"] == kieran.pk
    assert {"field": "nhs", "outcome": "agree", "text": "NHS number matches"} in item["reasons"]
    search = _last_search()
    assert search.search_terms == "First name: Ky; Last name: Smyth; Identifier: nhs 943 476 5919"


@pytest.mark.parametrize(
    ("payload", "loc", "message"),
    [
        ({"date_of_birth": "30/02/2011"}, ["date_of_birth"], "30/02/2011 does not exist"),
        ({"date_of_birth": "01/01/2099"}, ["date_of_birth"], "must be today or in the past"),
        (
            {"identifiers": [{"kind": "nhs", "value": "9434765918"}]},
            ["identifiers", 0, "value"],
            "check digit is wrong",
        ),
        ({"postcodes": ["WS2 8AA", "nowhere"]}, ["postcodes", 1], "Enter a real UK postcode"),
        ({"phones": ["12"]}, ["phones", 0], "is not a valid phone number"),
        ({"dob_precision": "year", "date_of_birth": "11"}, ["date_of_birth"], "4 digits"),
    ],
)
def test_match_names_each_bad_field(client, hub_detective, payload, loc, message):
    response = client.post(
        MATCH, {"family_name": "Smith", **payload}, content_type="application/json", **bearer(hub_detective)
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "payload", *loc]
    assert message in error["msg"]
    assert not Event.objects.filter(action=Action.SEARCH).exists()


def test_match_with_a_year_of_birth_compares_years(client, hub_detective, kieran):
    payload = {"given_name": "Kieran", "family_name": "Smith", "date_of_birth": "2011", "dob_precision": "year"}
    response = client.post(MATCH, payload, content_type="application/json", **bearer(hub_detective))
    [item] = response.json()["items"]
    assert any(r["text"] == "year of birth is close (about 2011)" for r in item["reasons"])


def test_match_limit_is_checked(client, hub_detective):
    response = client.post(
        MATCH, {"family_name": "Smith", "limit": 500}, content_type="application/json", **bearer(hub_detective)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "limit"]


# --- Create ------------------------------------------------------------------------------------


def test_create_adds_a_person_held_by_the_callers_organisation(client, walsall_partner):
    payload = {
        "given_name": "Amara",
        "family_name": "Okonkwo",
        "date_of_birth": "14/09/2010",
        "gender": "female",
        "ethnicity": "B1",
        "aliases": [{"given_name": "Mara"}],
        "phones": ["07700 900456"],
        "emails": ["amara@family.example"],
        "identifiers": [{"kind": "upn", "value": "a123456789012"}],
        "addresses": [{"line_1": "12 Park Road", "town": "Walsall", "postcode": "ws2 8aa", "date_from": "01/09/2023"}],
        "holding_reference": "EH-2291",
    }
    response = client.post(PEOPLE, payload, content_type="application/json", **bearer(walsall_partner))
    assert response.status_code == 201
    body = response.json()
    person = Person.objects.get()
    assert body["reference"] == person.reference
    assert body["owner"] == "Walsall Council Early Help"
    assert body["date_of_birth"] == "2010-09-14"
    assert body["ethnicity_label"] == "Black, Black British, Black Welsh, Caribbean or African: African"
    assert body["addresses"] == [
        {"line_1": "12 Park Road", "line_2": "", "town": "Walsall", "postcode": "WS2 8AA",
         "date_from": "2023-09-01", "date_to": None, "current": True},
    ]  # fmt: skip
    assert body["phones"] == [{"number": "+447700900456", "display": "07700 900456", "label": ""}]
    assert body["identifiers"] == [{"kind": "upn", "value": "A123456789012", "issued_by": ""}]
    assert body["holdings"] == [{"organisation": "Walsall Council Early Help", "local_reference": "EH-2291"}]
    create = Event.objects.get(action=Action.CREATE, object_type="people.person")
    assert create.actor_id == walsall_partner.pk


def test_create_refuses_bad_input_field_by_field_and_writes_nothing(client, hub_officer):
    payload = {
        "given_name": "Amara",
        "date_of_birth": "31/04/2011",
        "identifiers": [{"kind": "nhs", "value": "1234567890"}],
        "addresses": [{"postcode": "WS99 ZZZZ"}],
        "ethnicity": "ZZ",
    }
    response = client.post(PEOPLE, payload, content_type="application/json", **bearer(hub_officer))
    assert response.status_code == 422
    locs = {tuple(error["loc"][2:]): error["msg"] for error in response.json()["detail"]}
    assert "31/04/2011 does not exist" in locs[("date_of_birth",)]
    assert "check digit is wrong" in locs[("identifiers", 0, "value")]
    assert "Enter a real UK postcode" in locs[("addresses", 0, "postcode")]
    assert not Person.objects.exists()
    ethnicity = client.post(
        PEOPLE, {"family_name": "Okonkwo", "ethnicity": "ZZ"}, content_type="application/json", **bearer(hub_officer)
    )
    assert ethnicity.status_code == 422
    assert ethnicity.json()["detail"][0]["loc"] == ["body", "payload", "ethnicity"]
    assert not Person.objects.exists()


def test_create_needs_a_name(client, hub_officer):
    response = client.post(
        PEOPLE, {"date_of_birth": "03/02/2011"}, content_type="application/json", **bearer(hub_officer)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "family_name"]


def test_create_is_refused_without_the_index(client, vrp_officer):
    response = client.post(PEOPLE, {"family_name": "Smith"}, content_type="application/json", **bearer(vrp_officer))
    assert response.status_code == 403
    assert not Person.objects.exists()


# --- One person --------------------------------------------------------------------------------


def test_get_returns_every_detail_and_the_read_is_audited(client, hub_detective, kieran):
    response = client.get(f"{PEOPLE}{kieran.pk}", **bearer(hub_detective))
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["display_name"], body["dob_precision"]) == (
        kieran.reference,
        "Kieran Smith",
        "exact",
    )
    assert body["identifiers"] == [{"kind": "nhs", "value": "9434765919", "issued_by": ""}]
    assert body["holdings"] == [{"organisation": "West Midlands Police", "local_reference": "WMP-77"}]
    assert body["merged_into"] is None
    view = Event.objects.get(action=Action.VIEW)
    assert (view.object_type, view.object_id, view.actor_id) == ("people.person", str(kieran.pk), hub_detective.pk)


def test_get_is_404_for_people_the_caller_may_not_see_and_for_no_one(client, school_outsider, hub_detective, kieran):
    assert client.get(f"{PEOPLE}{kieran.pk}", **bearer(school_outsider)).status_code == 404
    assert client.get(f"{PEOPLE}{kieran.pk + 100}", **bearer(hub_detective)).status_code == 404
    assert not Event.objects.filter(action=Action.VIEW).exists()


def test_the_schema_documents_the_people_endpoints_with_examples(signed_in, walsall_partner):
    schema = signed_in(walsall_partner).get("/api/v1/openapi.json").json()
    assert {"/api/v1/people/", "/api/v1/people/match", "/api/v1/people/{person_id}"} <= set(schema["paths"])
    details = schema["components"]["schemas"]["MatchIn"]["properties"]
    assert details["date_of_birth"]["examples"] == ["03/02/2011"]
