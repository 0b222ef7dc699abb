"""The synthetic population: the same people for the same seed, duplicates at the asked rate with
the corruptions they claim, names of every origin, valid identifiers, and ``manage.py synth_people``
refusing bad arguments and writing people with one audit event."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from socex.accounts.models import Organisation
from socex.audit.models import Event
from socex.people.models import Person
from socex.people.normalise import (
    clean_email,
    clean_identifier,
    clean_phone,
    clean_postcode,
    fold_name,
    nhs_number_is_valid,
)
from socex.people.synth import (
    AS_OF,
    BALANCED_WEIGHTS,
    ORIGINS,
    Population,
    expected_records_per_person,
    mistype_date,
    synth_people,
    typo,
)


def first_records(records):
    return [r for r in records if r.copy == 0]


def test_the_same_seed_gives_the_same_people():
    first = list(synth_people(500, duplicate_rate=0.3, seed=7))
    again = list(synth_people(500, duplicate_rate=0.3, seed=7))
    other = list(synth_people(500, duplicate_rate=0.3, seed=8))

    assert first == again
    assert [r.details for r in first] != [r.details for r in other]


def test_a_person_is_the_same_whatever_the_count_or_duplicate_rate():
    few = first_records(synth_people(50, duplicate_rate=0.0, seed=3))
    many = first_records(synth_people(2_000, duplicate_rate=0.5, seed=3))

    assert [r.details for r in few] == [r.details for r in many[: len(few)]]


def test_count_is_the_number_of_records_duplicates_included():
    records = list(synth_people(1_234, duplicate_rate=0.4, seed=1))

    assert len(records) == 1_234
    assert any(r.is_duplicate for r in records)


def test_the_duplicate_rate_is_honoured_approximately():
    population = Population(seed=11, duplicate_rate=0.2)
    people = [population.records_of(i) for i in range(5_000)]

    duplicated = sum(len(records) > 1 for records in people) / len(people)
    per_person = sum(len(records) for records in people) / len(people)

    assert 0.18 <= duplicated <= 0.22
    assert abs(per_person - expected_records_per_person(0.2)) < 0.03
    assert all(len(records) == 1 for records in (Population(seed=11).records_of(i) for i in range(500)))


def test_duplicates_share_the_entity_and_differ_as_their_corruptions_say():
    population = Population(seed=5, duplicate_rate=1.0)
    seen: Counter[str] = Counter()
    for index in range(1_500):
        original, *duplicates = population.records_of(index)
        for duplicate in duplicates:
            assert duplicate.entity == original.entity
            assert duplicate.origin == original.origin
            assert 1 <= len(duplicate.corruptions) <= 3
            assert duplicate.details != original.details or "dropped_identifiers" in duplicate.corruptions
            check_corruptions(original.details, duplicate.details, duplicate.corruptions)
            seen.update(duplicate.corruptions)

    expected = {
        "typo_given",
        "typo_family",
        "nickname",
        "variant",
        "swapped_names",
        "dob_missing",
        "dob_typo",
        "dob_year_only",
        "new_address",
        "new_phone",
        "dropped_identifiers",
        "dropped_contact",
    }
    assert set(seen) == expected


def check_corruptions(original, duplicate, corruptions):
    names_changed = {"typo_given", "typo_family", "nickname", "variant", "swapped_names"} & set(corruptions)
    if not names_changed:
        assert (duplicate.given_name, duplicate.family_name) == (original.given_name, original.family_name)
    if "swapped_names" in corruptions and len(names_changed) == 1:
        assert (duplicate.given_name, duplicate.family_name) == (original.family_name, original.given_name)
    if "nickname" in corruptions and len(names_changed) == 1:
        assert fold_name(duplicate.given_name) != fold_name(original.given_name)
        assert duplicate.family_name == original.family_name
    if "dob_missing" in corruptions:
        assert duplicate.date_of_birth is None
    elif "dob_year_only" in corruptions:
        assert duplicate.dob_precision == "year"
        assert duplicate.date_of_birth.year == original.date_of_birth.year
    elif "dob_typo" in corruptions:
        assert duplicate.date_of_birth != original.date_of_birth
    else:
        assert duplicate.date_of_birth == original.date_of_birth
    if "new_address" in corruptions:
        assert duplicate.postcodes
        assert not set(duplicate.postcodes) & set(original.postcodes)
    else:
        assert duplicate.postcodes == original.postcodes
    if "dropped_identifiers" in corruptions:
        assert duplicate.identifiers == []
    else:
        assert duplicate.identifiers == original.identifiers
    if "new_phone" in corruptions and "dropped_contact" not in corruptions:
        assert duplicate.phones
        assert not set(duplicate.phones) & set(original.phones)


def test_every_origin_is_present_with_names_of_its_own():
    records = list(synth_people(3_000, seed=2))
    by_origin: dict[str, set[str]] = {}
    for record in records:
        by_origin.setdefault(record.origin, set()).add(record.details.family_name)

    assert set(by_origin) == set(ORIGINS)
    assert "Khan" in by_origin["pakistani"] or "Hussain" in by_origin["pakistani"]
    assert by_origin["english"].isdisjoint({"Wang", "Chen", "Warsame", "Kowalski"})
    share = Counter(r.origin for r in records)
    assert share["english"] > share["chinese"]  # the region's mix by default


def test_balanced_weights_give_each_origin_about_the_same_share():
    counts = Counter(r.origin for r in synth_people(6_500, seed=4, origin_weights=BALANCED_WEIGHTS))

    assert set(counts) == set(ORIGINS)
    assert max(counts.values()) < 1.3 * min(counts.values())


def test_details_are_valid_normal_and_unique():
    records = list(synth_people(3_000, duplicate_rate=0.0, seed=9))
    nhs, phones, upns = [], [], []
    for record in records:
        details = record.details
        for postcode in details.postcodes:
            assert clean_postcode(postcode) == postcode
            assert re.match(r"^(B|CV|WS|WV|DY)\d", postcode)
        for phone in details.phones:
            assert clean_phone(phone) == phone
            phones.append(phone)
        for email in details.emails:
            assert clean_email(email) == email
            assert email.endswith(".example")
        for kind, value in details.identifiers:
            assert clean_identifier(kind, value) == value
            if kind == "nhs":
                assert nhs_number_is_valid(value)
                assert value.startswith("999")
                nhs.append(value)
            if kind == "upn":
                upns.append(value)
        assert record.profile["ethnicity"]
        assert record.addresses[0]["postcode"] == details.postcodes[0]

    assert len(nhs) > 1_500
    assert len(set(nhs)) == len(nhs)
    assert len(set(phones)) == len(phones)
    assert len(set(upns)) == len(upns)
    assert all(phone.startswith("+447700900") for phone in phones[:100])


def test_children_and_young_people_are_common():
    records = list(synth_people(2_000, seed=6))
    ages = [(AS_OF - (r.details.date_of_birth or AS_OF)).days / 365.25 for r in records]

    young = sum(10 <= age < 26 for age in ages) / len(ages)
    assert 0.4 <= young <= 0.6
    assert any(age >= 40 for age in ages)
    upn_holders = [age for r, age in zip(records, ages, strict=True) if dict(r.details.identifiers).get("upn")]
    assert upn_holders
    assert all(4 <= age < 19 for age in upn_holders)


def test_a_query_copy_is_new_but_of_the_same_person():
    population = Population(seed=1, duplicate_rate=1.0)

    query = population.query(42)

    assert query.entity == 42
    assert query.copy == -1
    assert query.details not in [r.details for r in population.records_of(42)]
    assert population.query(42) == query


def test_typos_and_mistyped_dates_change_one_thing():
    import datetime as dt
    import random

    rng = random.Random(1)
    for name in ("Kieran", "Smith-Jones", "Li", "McKenzie"):
        for _ in range(50):
            changed = typo(name, rng)
            assert changed != name or len(name) < 3
            assert changed[0].isupper()
            assert abs(len(changed) - len(name)) <= 1
    dob = dt.date(2011, 2, 3)
    for _ in range(50):
        assert mistype_date(dob, rng, dt.date(2026, 1, 1)) != dob


# --- the command -------------------------------------------------------------------------------


def synth(*args: str) -> str:
    out = StringIO()
    call_command("synth_people", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_writes_people_with_one_audit_event(wmp):
    before = Event.objects.count()

    out = synth("--count", "120", "--duplicate-rate", "0.25", "--seed", "3")

    assert "Added 120 synthetic people to the index, held by West Midlands Police" in out
    assert Person.objects.filter(owner=wmp).count() == 120
    assert Event.objects.count() == before + 1
    event = Event.objects.get(action="import")
    assert event.object_type == "people.person"
    assert event.export_count == 120
    people = list(Person.objects.prefetch_related("phones", "identifiers", "match_keys"))
    assert all(person.match_keys.all() for person in people)
    expected = [r.details.family_name for r in synth_people(120, duplicate_rate=0.25, seed=3)]
    assert sorted(p.family_name for p in people) == sorted(expected)
    assert {p.ethnicity for p in people} - {"NS"}


@pytest.mark.django_db
def test_the_command_names_another_owner(wmp):
    from socex.core.testing.factories import OrganisationFactory

    OrganisationFactory(name="Dudley Park Academy")
    school = Organisation.objects.get(name="Dudley Park Academy")

    synth("--count", "5", "--owner", "Dudley Park Academy")

    assert Person.objects.filter(owner=school).count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--count", "-1"), "--count must be 0 or more, not -1"),
        (("--count", "10", "--duplicate-rate", "1.5"), "--duplicate-rate must be between 0 and 1"),
        (("--count", "10", "--duplicate-rate", "-0.1"), "--duplicate-rate must be between 0 and 1"),
        (("--count", "10", "--owner", "Nowhere Council"), "No organisation is called 'Nowhere Council'"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_written(wmp, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        synth(*args)

    assert Person.objects.count() == 0
    assert not Event.objects.filter(action="import").exists()


@pytest.mark.django_db
def test_the_command_never_runs_in_production(wmp):
    with override_settings(MODE="production"), pytest.raises(CommandError, match="never runs in production"):
        synth("--count", "10")

    assert Person.objects.count() == 0
