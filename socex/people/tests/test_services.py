"""Creating, changing, merging and unmerging people through the services: validation messages,
audit events, blocking keys kept in step, survivorship, links moved and put back exactly."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socex.audit.models import Action, Event
from socex.people.details import PersonDetails
from socex.people.models import Alias, CandidatePair, Decision, DedupeRun, Ethnicity, MatchKey, Person
from socex.people.services import merge_people, part_add, part_remove, person_create, person_update, unmerge
from tests.linked_records.models import CaseFile

pytestmark = pytest.mark.django_db

DOB = dt.date(2011, 2, 3)


def _create(actor, **values):
    base = {"given_name": "Kieran", "family_name": "Smyth", "date_of_birth": DOB, "postcodes": ["ws2 8aa"]}
    return person_create(actor=actor, details=PersonDetails(**(base | values)))


def _errors(excinfo):
    return excinfo.value.message_dict


# --- creating ----------------------------------------------------------------------------------


def test_create_normalises_details_writes_keys_and_audits(hub_officer):
    person = _create(hub_officer, phones=["07700 900123"], identifiers=[("nhs", "943 476 5919")])
    assert person.addresses.get().postcode == "WS2 8AA"
    assert person.phones.get().number == "+447700900123"
    assert person.identifiers.get().value == "9434765919"
    assert person.dob_precision == "exact"
    assert person.holdings.get().organisation == hub_officer.organisation
    assert MatchKey.objects.filter(person=person, key="id:nhs:9434765919").exists()
    event = Event.objects.filter(action=Action.CREATE, object_type="people.person").get()
    assert event.object_id == str(person.pk)
    assert event.changes["family_name"] == [None, "Smyth"]
    assert "Phone: +447700900123" in event.detail["details"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date_of_birth": dt.date(2099, 1, 1)}, "date_of_birth", "Date of birth must be today or in the past."),
        ({"identifiers": [("nhs", "9434765918")]}, "nhs", "check digit is wrong"),
        ({"postcodes": ["WS99 ZZZZ"]}, "postcode", "Enter a real UK postcode"),
        ({"phones": ["not a phone"]}, "phone", "Enter a phone number"),
        ({"given_name": "", "family_name": ""}, "family_name", "Enter at least a first name or a last name."),
        ({"given_name": "1234"}, "given_name", "First name must contain letters"),
    ],
)
def test_bad_details_are_refused_field_by_field_and_nothing_is_written(hub_officer, values, field, message):
    with pytest.raises(ValidationError) as excinfo:
        _create(hub_officer, **values)
    assert message in " ".join(_errors(excinfo)[field])
    assert not Person.objects.exists()
    assert not Event.objects.filter(action=Action.CREATE, object_type="people.person").exists()


def test_people_without_the_index_cannot_create(vrp_officer):
    with pytest.raises(PermissionDenied):
        _create(vrp_officer)


# --- changing ----------------------------------------------------------------------------------


def test_update_records_old_and_new_values_and_rekeys(hub_officer):
    person = _create(hub_officer)
    person_update(actor=hub_officer, person=person, family_name="Smith", ethnicity=Ethnicity.WHITE_IRISH)
    event = Event.objects.filter(action=Action.UPDATE).latest("id")
    assert event.changes == {"family_name": ["Smyth", "Smith"], "ethnicity": ["NS", "W2"]}
    assert MatchKey.objects.filter(person=person, key__startswith="nm:SM0:").exists()


def test_update_refuses_an_impossible_date(hub_officer):
    person = _create(hub_officer)
    with pytest.raises(ValidationError) as excinfo:
        person_update(actor=hub_officer, person=person, date_of_birth=dt.date(2199, 1, 1))
    assert "date_of_birth" in _errors(excinfo)
    person.refresh_from_db()
    assert person.date_of_birth == DOB


def test_parts_are_added_and_removed_with_the_person_as_the_audited_record(hub_officer):
    person = _create(hub_officer)
    phone = part_add(actor=hub_officer, person=person, kind="phone", number="0121 496 0000", label="Home")
    assert MatchKey.objects.filter(person=person, key="ph:+441214960000").exists()
    part_remove(actor=hub_officer, part=phone)
    assert not MatchKey.objects.filter(person=person, key="ph:+441214960000").exists()
    changes = [e.changes for e in Event.objects.filter(action=Action.UPDATE, object_id=str(person.pk)).order_by("id")]
    assert changes == [{"Phone": [None, "+441214960000"]}, {"Phone": ["+441214960000", None]}]


def test_a_partner_may_not_change_a_person_held_only_by_the_police(hub_officer, walsall_partner):
    person = _create(hub_officer)
    with pytest.raises(PermissionDenied):
        part_add(actor=walsall_partner, person=person, kind="alias", given_name="Ky")


def test_an_address_that_ends_before_it_starts_is_refused(hub_officer):
    person = _create(hub_officer)
    with pytest.raises(ValidationError) as excinfo:
        part_add(
            actor=hub_officer,
            person=person,
            kind="address",
            postcode="B1 1AA",
            date_from="01/05/2024",
            date_to="01/04/2024",
        )
    assert _errors(excinfo)["date_to"] == ["The date moved out must be on or after the date moved in."]


# --- merging -----------------------------------------------------------------------------------


@pytest.fixture
def pair(hub_detective, walsall_partner):
    survivor = _create(hub_detective, dob_precision="year", date_of_birth=dt.date(2011, 7, 1), phones=["07700900111"])
    merged = person_create(
        actor=walsall_partner,
        details=PersonDetails(
            given_name="Kiernan", family_name="Smith", date_of_birth=DOB, postcodes=["WS3 1AA"], phones=["07700900222"]
        ),
        profile={"ethnicity": Ethnicity.WHITE_BRITISH, "notes": "Known to Early Help."},
        holding_reference="EH-1234",
    )
    return survivor, merged


@pytest.fixture
def links(pair):
    survivor, merged = pair
    subject_case = CaseFile.objects.create(title="Case A", subject=merged)
    both = CaseFile.objects.create(title="Case B")
    both.participants.add(survivor, merged)
    only_merged = CaseFile.objects.create(title="Case C")
    only_merged.participants.add(merged)
    return subject_case, both, only_merged


def test_merge_applies_survivorship_and_moves_details_and_links(hub_detective, pair, links):
    survivor, merged = pair
    subject_case, both, only_merged = links
    merge = merge_people(actor=hub_detective, survivor=survivor, merged=merged, reason="Same DOB, school and phone")
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert merged.merged_into == survivor
    # an exact date of birth beats a year; a blank ethnicity is filled; notes kept under a heading
    assert (survivor.date_of_birth, survivor.dob_precision) == (DOB, "exact")
    assert survivor.ethnicity == Ethnicity.WHITE_BRITISH
    assert f"From {merged.reference}:\nKnown to Early Help." in survivor.notes
    # the survivor keeps its own name; the other becomes an alias
    assert (survivor.given_name, survivor.family_name) == ("Kieran", "Smyth")
    assert survivor.aliases.filter(given_name="Kiernan", family_name="Smith").exists()
    assert sorted(survivor.phones.values_list("number", flat=True)) == ["+447700900111", "+447700900222"]
    assert survivor.holdings.count() == 2
    # links from other apps now point at the survivor
    subject_case.refresh_from_db()
    assert subject_case.subject == survivor
    assert list(both.participants.all()) == [survivor]
    assert list(only_merged.participants.all()) == [survivor]
    # keys: the merged record has none; the survivor is found by the merged record's phone
    assert not MatchKey.objects.filter(person=merged).exists()
    assert MatchKey.objects.filter(person=survivor, key="ph:+447700900222").exists()
    events = Event.objects.filter(action=Action.MERGE).order_by("id")
    assert [e.object_id for e in events] == [str(survivor.pk), str(merged.pk)]
    assert events[0].justification == "Same DOB, school and phone"
    assert events[0].changes["date_of_birth"] == ["2011-07-01", "2011-02-03"]
    assert merge.undo["moved_parts"]["phone"]


def test_unmerge_restores_the_exact_previous_state(hub_detective, pair, links):
    survivor, merged = pair
    subject_case, both, only_merged = links

    def state():
        people = {p.pk: p for p in Person.objects.filter(pk__in=[survivor.pk, merged.pk])}
        return {
            "people": {
                pk: (
                    p.given_name,
                    p.family_name,
                    p.date_of_birth,
                    p.dob_precision,
                    p.ethnicity,
                    p.notes,
                    p.merged_into_id,
                )
                for pk, p in people.items()
            },
            "parts": {
                name: sorted(model.objects.filter(person__in=people).values_list("pk", "person_id"))
                for name, model in (("alias", Alias),)
            }
            | {
                kind: sorted(getattr(people[pk], f"{kind}").values_list("pk", flat=True))
                for pk in people
                for kind in ("phones", "holdings", "addresses")
            },
            "keys": sorted(MatchKey.objects.filter(person__in=people).values_list("person_id", "key")),
            "subject": CaseFile.objects.get(pk=subject_case.pk).subject_id,
            "both": sorted(both.participants.values_list("pk", flat=True)),
            "only": sorted(only_merged.participants.values_list("pk", flat=True)),
        }

    before = state()
    merge = merge_people(actor=hub_detective, survivor=survivor, merged=merged, reason="Looked the same")
    assert state() != before
    unmerge(actor=hub_detective, merge=merge, reason="Different children: twins")
    assert state() == before
    merge.refresh_from_db()
    assert merge.is_undone
    assert merge.undone_by == hub_detective
    assert Event.objects.filter(action=Action.UNMERGE).count() == 2


def test_unmerge_keeps_a_change_made_since_the_merge(hub_detective, pair):
    survivor, merged = pair
    merge = merge_people(actor=hub_detective, survivor=survivor, merged=merged, reason="Same")
    person_update(actor=hub_detective, person=survivor, ethnicity=Ethnicity.MIXED_OTHER)
    unmerge(actor=hub_detective, merge=merge, reason="Wrong")
    survivor.refresh_from_db()
    assert survivor.ethnicity == Ethnicity.MIXED_OTHER
    assert survivor.dob_precision == "year"
    assert Event.objects.filter(action=Action.UNMERGE).first().detail["kept_later_changes"] == ["ethnicity"]


def test_merge_settles_a_pending_duplicate_pair(hub_detective, pair):
    survivor, merged = pair
    low, high = sorted((survivor, merged), key=lambda p: p.pk)
    run = DedupeRun.objects.create(threshold=0.9)
    CandidatePair.objects.create(person_a=low, person_b=high, run=run, probability=0.97, match_weight=5)
    merge_people(actor=hub_detective, survivor=survivor, merged=merged, reason="Same")
    assert CandidatePair.objects.get().decision == Decision.SAME


@pytest.mark.parametrize(
    ("who", "error"),
    [("hub_officer", PermissionDenied), ("walsall_partner", PermissionDenied)],
)
def test_only_holders_of_person_merge_may_merge(request, pair, who, error):
    survivor, merged = pair
    with pytest.raises(error):
        merge_people(actor=request.getfixturevalue(who), survivor=survivor, merged=merged, reason="Same")
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_merge_refuses_the_same_person_a_missing_reason_and_a_merged_record(hub_detective, pair):
    survivor, merged = pair
    with pytest.raises(ValidationError, match="two different people"):
        merge_people(actor=hub_detective, survivor=survivor, merged=survivor, reason="x")
    with pytest.raises(ValidationError) as excinfo:
        merge_people(actor=hub_detective, survivor=survivor, merged=merged, reason="  ")
    assert _errors(excinfo)["reason"] == ["Say why these records are the same person."]
    merge = merge_people(actor=hub_detective, survivor=survivor, merged=merged, reason="Same")
    with pytest.raises(ValidationError, match="already been merged"):
        merge_people(actor=hub_detective, survivor=merged, merged=survivor, reason="Again")
    unmerge(actor=hub_detective, merge=merge, reason="Wrong")
    with pytest.raises(ValidationError, match="already been undone"):
        unmerge(actor=hub_detective, merge=merge, reason="Again")


def test_an_earlier_merge_cannot_be_undone_while_the_survivor_is_merged_away(hub_detective, pair):
    survivor, merged = pair
    third = _create(hub_detective, given_name="Kieran", family_name="Smyth")
    first = merge_people(actor=hub_detective, survivor=survivor, merged=merged, reason="Same")
    merge_people(actor=hub_detective, survivor=third, merged=survivor, reason="Same again")
    with pytest.raises(ValidationError, match="undo that merge first"):
        unmerge(actor=hub_detective, merge=first, reason="Wrong")
