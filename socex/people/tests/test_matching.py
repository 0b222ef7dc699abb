"""Live matching: the issue's own example, nicknames, swapped names, typos, missing DOB, moves,
explanations, visibility, and that candidates come through the blocking keys."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socex.people.details import PersonDetails
from socex.people.keys import index_keys, query_keys
from socex.people.matching import match_person
from socex.people.services import person_create

pytestmark = pytest.mark.django_db

DOB = dt.date(2011, 2, 3)


def _add(actor, given, family, dob=DOB, postcode="WS2 8AA", **extra):
    details = PersonDetails(
        given_name=given, family_name=family, date_of_birth=dob, postcodes=[postcode] if postcode else [], **extra
    )
    return person_create(actor=actor, details=details)


@pytest.fixture
def kieran(hub_detective):
    return _add(hub_detective, "Kieran", "Smyth", aliases=[("Ky", "")], phones=["+447700900123"])


@pytest.fixture
def crowd(hub_detective):
    """Other people who share some details with Kieran but are not him."""
    return [
        _add(hub_detective, "Kieran", "Smyth", dob=dt.date(1980, 6, 1), postcode="CV1 2AB"),
        _add(hub_detective, "Amira", "Hussain", postcode="WS2 8AA"),
        _add(hub_detective, "Jakub", "Kowalczyk", dob=dt.date(2010, 5, 5), postcode="B11 1AA"),
    ]


def _best(query, user=None):
    found = match_person(query, user=user)
    assert found, "expected at least one candidate"
    return found[0]


def test_the_issue_example_finds_kieran_and_explains_why(kieran, crowd):
    best = _best(PersonDetails(given_name="Kiernan", family_name="Smith", date_of_birth=DOB, postcodes=["WS2 9ZZ"]))
    assert best.person == kieran
    assert best.probability > 0.95
    texts = [reason.text for reason in best.reasons]
    assert "date of birth matches exactly (03/02/2011)" in texts
    assert "surname sounds alike (Smith/Smyth)" in texts
    assert "first name is spelt similarly (Kiernan/Kieran)" in texts
    assert "postcode district matches (WS2)" in texts
    assert best.summary.startswith("First name is spelt similarly")


def test_a_nickname_from_the_published_list_is_a_known_variant(hub_detective):
    robert = _add(hub_detective, "Robert", "Okafor", postcode="")
    best = _best(PersonDetails(given_name="Bob", family_name="Okafor", date_of_birth=DOB))
    assert best.person == robert
    assert "first name is a known variant (Bob/Robert)" in [r.text for r in best.reasons]


def test_names_the_wrong_way_round_are_found(kieran, crowd):
    best = _best(PersonDetails(given_name="Smyth", family_name="Kieran", date_of_birth=DOB))
    assert best.person == kieran
    assert "first and last names are the other way round" in [r.text for r in best.reasons]


def test_missing_date_of_birth_still_finds_by_name_and_postcode(kieran, crowd):
    best = _best(PersonDetails(given_name="Kieran", family_name="Smyth", postcodes=["WS2 8AA"]))
    assert best.person == kieran
    assert best.probability > 0.9
    assert "no date of birth to compare" in [r.text for r in best.reasons if r.outcome == "missing"]


def test_someone_who_moved_is_found_and_the_move_costs_little(kieran, crowd):
    best = _best(PersonDetails(given_name="Kieran", family_name="Smyth", date_of_birth=DOB, postcodes=["DY1 1AA"]))
    assert best.person == kieran
    assert best.probability > 0.99
    assert "postcodes are different (they may have moved)" in [r.text for r in best.reasons]


def test_day_and_month_typed_the_other_way_round(kieran, crowd):
    best = _best(PersonDetails(given_name="Kieran", family_name="Smyth", date_of_birth=dt.date(2011, 3, 2)))
    assert best.person == kieran
    assert any("other way round" in r.text for r in best.reasons if r.field == "date_of_birth")


def test_a_street_name_matches_through_the_alias_and_a_phone(kieran, crowd):
    best = _best(PersonDetails(given_name="Ky", phones=["+447700900123"]))
    assert best.person == kieran
    texts = [r.text for r in best.reasons]
    assert "phone number matches" in texts


def test_a_different_person_with_the_same_name_ranks_below_the_real_one(kieran, crowd):
    query = PersonDetails(given_name="Kieran", family_name="Smyth", date_of_birth=DOB)
    assert [c.person for c in match_person(query)] == [kieran]  # the namesake is too unlikely to show
    found = match_person(query, min_probability=0)
    assert found[0].person == kieran
    namesake = next(c for c in found if c.person == crowd[0])
    assert namesake.probability < 0.05
    assert "date of birth is different (01/06/1980)" in [r.text for r in namesake.reasons]


def test_different_nhs_numbers_count_strongly_against(hub_detective):
    a = _add(hub_detective, "Lena", "Novak", identifiers=[("nhs", "9434765919")])
    found = match_person(
        PersonDetails(given_name="Lena", family_name="Novak", date_of_birth=DOB, identifiers=[("nhs", "9434765870")])
    )
    candidate = next(c for c in found if c.person == a)
    assert candidate.probability < 0.9
    assert "NHS number is different" in [r.text for r in candidate.reasons]


def test_nothing_to_match_on_returns_nothing(kieran):
    assert match_person(PersonDetails()) == []


def test_a_partner_only_gets_candidates_they_may_see(kieran, walsall_partner, hub_detective):
    query = PersonDetails(given_name="Kieran", family_name="Smyth", date_of_birth=DOB)
    assert match_person(query, user=walsall_partner) == []
    assert _best(query, user=hub_detective).person == kieran


def test_merged_away_people_are_not_candidates(kieran, hub_detective):
    from socex.people.services import merge_people

    twin = _add(hub_detective, "Kieran", "Smyth", postcode="WS2 8AA")
    merge_people(actor=hub_detective, survivor=kieran, merged=twin, reason="Same child")
    found = match_person(PersonDetails(given_name="Kieran", family_name="Smyth", date_of_birth=DOB))
    assert [c.person for c in found] == [kieran]


def test_candidates_come_from_one_indexed_key_lookup_not_a_scan(kieran, crowd):
    with CaptureQueriesContext(connection) as queries:
        match_person(PersonDetails(given_name="Kieran", family_name="Smyth", date_of_birth=DOB))
    key_queries = [q["sql"] for q in queries.captured_queries if "people_matchkey" in q["sql"]]
    assert len(key_queries) == 1
    assert "WHERE" in key_queries[0]
    assert "LIMIT" in key_queries[0]
    # the key lookup, the candidates, all their details in one UNION ALL, and the people returned
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip("( ").upper().startswith("SELECT")]
    assert len(selects) == 4


def test_query_keys_cover_every_index_key_of_the_same_details():
    details = PersonDetails(given_name="Bob", family_name="Okafor", date_of_birth=DOB, postcodes=["B1 1AA"])
    assert index_keys(details) <= query_keys(details)
    swapped = PersonDetails(given_name="Okafor", family_name="Bob", date_of_birth=DOB)
    assert index_keys(details) & query_keys(swapped)
