"""Person pages through the test client: search with reasons, the person page, adding and changing
people and their details, live matching, sharing, merging and undoing a merge.

Each page covers the three cases: it works, someone who may not see the person gets 404, and
someone who may see but not change them gets 403.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from socex.audit.models import Action, Event
from socex.core.testing.factories import in_days
from socex.people.access import markers_visible_to
from socex.people.details import PersonDetails
from socex.people.links import register_link, unregister_link
from socex.people.models import Alias, DobPrecision, Merge, Person, Phone
from socex.people.services import merge_people, part_add, part_remove, person_create
from socex.sharing.models import LegalBasis
from socex.sharing.services import share_grant
from tests.linked_records.models import CaseFile

pytestmark = pytest.mark.django_db

SEARCH = reverse("people:search")
CREATE = reverse("people:create")
MATCH = reverse("people:match")
DOB = dt.date(2011, 2, 3)


def _person(actor, **values):
    base = {"given_name": "Kieran", "family_name": "Smith", "date_of_birth": DOB, "postcodes": ["WS2 8AA"]}
    return person_create(actor=actor, details=PersonDetails(**(base | values)))


def _page(person):
    return reverse("people:person", args=[person.pk])


def _last(action):
    return Event.objects.filter(action=action).order_by("-id").first()


@pytest.fixture
def kieran(hub_officer):
    """Kieran Smith, 3 February 2011, WS2 8AA, added by a Coventry hub officer (police)."""
    return _person(hub_officer, phones=["07700 900123"], identifiers=[("nhs", "9434765919")])


def _share_with(person, partner, sharer):
    return share_grant(
        actor=sharer,
        obj=person,
        organisation=partner.organisation,
        legal_basis=LegalBasis.objects.get(code="children-act-1989-s47"),
        scope="For the Walsall MACE meeting",
        until=in_days(30),
    )


# --- Search ------------------------------------------------------------------------------------


def test_search_ranks_a_variant_spelling_with_reasons_and_logs_the_search(signed_in, hub_detective, kieran):
    response = signed_in(hub_detective).get(
        SEARCH, {"given_name": "Kiernan", "family_name": "Smyth", "date_of_birth": "03/02/2011"}
    )
    assert response.status_code == 200
    [candidate] = response.context["candidates"]
    assert candidate.person == kieran
    html = response.content.decode()
    assert f"{candidate.band}: {candidate.percent}%" in html
    assert "date of birth matches exactly (03/02/2011)" in html
    assert "(Kiernan/Kieran)" in html  # the matcher's reason about the first names, in its words
    for reason in candidate.reasons:
        assert (reason.text in html) == (reason.outcome != "missing")
    search = _last(Action.SEARCH)
    assert search.object_type == "people.person"
    assert search.search_terms == "First name: Kiernan; Last name: Smyth; Date of birth: 03/02/2011"
    assert search.detail["results"] == 1


def test_a_year_of_birth_alone_is_searched_as_a_year(signed_in, hub_detective, kieran):
    response = signed_in(hub_detective).get(SEARCH, {"family_name": "Smith", "date_of_birth": "2011"})
    [candidate] = response.context["candidates"]
    assert "year of birth is close (about 2011)" in candidate.summary


def test_a_partner_finds_only_the_people_their_organisation_holds(signed_in, school_outsider, kieran):
    own = _person(school_outsider, given_name="Kieran", family_name="Smyth")
    response = signed_in(school_outsider).get(SEARCH, {"given_name": "Kieran", "family_name": "Smith"})
    assert [c.person for c in response.context["candidates"]] == [own]
    assert kieran.reference.encode() not in response.content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "30/02/2011", "Date of birth must be a real date: 30/02/2011 does not exist."),
        ("date_of_birth", "01/01/2099", "Date of birth must be today or in the past."),
        ("postcode", "WS99 ZZZZ", "Enter a real UK postcode, like WS2 8AA. &#x27;WS99 ZZZZ&#x27; is not one."),
        ("phone", "12", "&#x27;12&#x27; is not a valid phone number."),
    ],
)
def test_bad_search_input_gets_a_field_level_message_and_no_search(signed_in, hub_detective, field, value, message):
    response = signed_in(hub_detective).get(SEARCH, {"family_name": "Smith", field: value})
    html = response.content.decode()
    assert response.context["candidates"] is None
    assert "govuk-error-summary" in html
    assert f'href="#id_{field}"' in html
    assert message in html
    assert not Event.objects.filter(action=Action.SEARCH).exists()


def test_an_identifier_needs_its_kind_and_a_valid_nhs_number(signed_in, hub_detective, kieran):
    client = signed_in(hub_detective)
    no_kind = client.get(SEARCH, {"identifier": "9434765919"})
    assert "Choose what kind of identifier you entered" in no_kind.content.decode()
    bad = client.get(SEARCH, {"identifier_kind": "nhs", "identifier": "943 476 5918"})
    assert "its check digit is wrong" in bad.content.decode()
    good = client.get(SEARCH, {"identifier_kind": "nhs", "identifier": "943 476 5919"})
    assert [c.person for c in good.context["candidates"]] == [kieran]


def test_an_empty_search_form_is_not_a_search(signed_in, hub_detective):
    response = signed_in(hub_detective).get(SEARCH)
    assert response.status_code == 200
    assert response.context["candidates"] is None
    assert not Event.objects.filter(action=Action.SEARCH).exists()


def test_people_without_the_index_are_refused_and_see_no_menu_entry(signed_in, vrp_officer, hub_officer):
    assert signed_in(vrp_officer).get(SEARCH).status_code == 403
    assert signed_in(vrp_officer).post(MATCH, {"family_name": "Smith"}).status_code == 403
    assert b'href="/people/"' not in signed_in(vrp_officer).get("/").content
    assert b'href="/people/"' in signed_in(hub_officer).get("/").content


# --- The person page ---------------------------------------------------------------------------


def test_the_person_page_shows_every_detail_and_its_view_is_audited(signed_in, hub_detective, hub_officer, kieran):
    part_add(actor=hub_officer, person=kieran, kind="marker", marker_kind="missing", detail="Missing 3 times in May")
    part_add(actor=hub_officer, person=kieran, kind="alias", alias_kind="nickname", given_name="Ky")
    response = signed_in(hub_detective).get(_page(kieran))
    assert response.status_code == 200
    html = response.content.decode()
    warning = html.index("govuk-warning-text")
    assert html.index("Goes missing") > warning  # the marker is shown at the top, as a warning
    assert html.index("Goes missing") < html.index('<h2 class="govuk-heading-m">Details</h2>')
    for shown in ("Kieran Smith", "3 February 2011", "07700 900123", "NHS number", "9434765919", "WS2 8AA", "Ky"):
        assert shown in html
    assert "Current</strong>" in html
    view = _last(Action.VIEW)
    assert (view.object_type, view.object_id, view.actor_id) == ("people.person", str(kieran.pk), hub_detective.pk)


def test_an_approximate_date_of_birth_says_about(signed_in, hub_detective, hub_officer):
    person = _person(hub_officer, date_of_birth=dt.date(2011, 7, 1), dob_precision=DobPrecision.YEAR)
    html = signed_in(hub_detective).get(_page(person)).content.decode()
    assert "about 2011" in html
    assert "Only the year is known" in html


def test_an_outsider_gets_404_and_nothing_is_logged_as_seen(signed_in, school_outsider, kieran):
    assert signed_in(school_outsider).get(_page(kieran)).status_code == 404
    assert not Event.objects.filter(action=Action.VIEW, object_type="people.person").exists()


def test_a_partner_it_was_shared_with_sees_but_may_not_change(signed_in, walsall_partner, hub_detective, kieran):
    _share_with(kieran, walsall_partner, hub_detective)
    client = signed_in(walsall_partner)
    page = client.get(_page(kieran))
    assert page.status_code == 200
    assert b"Change details" not in page.content
    assert client.get(reverse("people:edit", args=[kieran.pk])).status_code == 403
    assert (
        client.post(reverse("people:part_add", args=[kieran.pk, "phone"]), {"number": "07700900999"}).status_code == 403
    )
    assert client.get(reverse("people:share", args=[kieran.pk])).status_code == 403


@pytest.fixture
def case_files(kieran):
    """Three stand-in case files about Kieran; a rule says each organisation sees the files titled
    with its name (the real apps register their own access rules the same way)."""
    CaseFile.objects.create(title="West Midlands Police: county lines", subject=kieran)
    CaseFile.objects.create(title="Walsall Council Early Help: family support", subject=kieran)
    both = CaseFile.objects.create(title="West Midlands Police: MACE referral")
    both.participants.add(kieran)
    register_link(
        CaseFile,
        "subject",
        label="Case files",
        visible_to=lambda user: CaseFile.objects.filter(title__startswith=user.organisation.name),
    )
    register_link(
        CaseFile,
        "participants",
        label="Case files taking part in",
        visible_to=lambda user: CaseFile.objects.filter(title__startswith=user.organisation.name),
    )
    yield
    unregister_link(CaseFile, "subject")
    unregister_link(CaseFile, "participants")


def test_linked_records_are_grouped_by_type_and_only_those_the_viewer_may_see(
    signed_in, hub_detective, walsall_partner, kieran, case_files
):
    police = signed_in(hub_detective).get(_page(kieran))
    groups = {group.label: [str(r) for r in group.records] for group in police.context["linked_groups"]}
    assert groups == {
        "Case files": ["West Midlands Police: county lines"],
        "Case files taking part in": ["West Midlands Police: MACE referral"],
    }
    assert "Case files (1)" in police.content.decode()
    _share_with(kieran, walsall_partner, hub_detective)
    partner = signed_in(walsall_partner).get(_page(kieran))
    groups = {group.label: [str(r) for r in group.records] for group in partner.context["linked_groups"]}
    assert groups == {"Case files": ["Walsall Council Early Help: family support"]}
    assert b"county lines" not in partner.content


def test_a_merged_persons_page_points_to_the_survivor_with_undo_for_mergers(
    signed_in, hub_detective, hub_officer, kieran
):
    duplicate = _person(hub_officer, given_name="Kiernan", family_name="Smyth")
    merge = merge_people(actor=hub_detective, survivor=kieran, merged=duplicate, reason="Same NHS number")
    detective = signed_in(hub_detective).get(_page(duplicate)).content.decode()
    assert "This person was merged into <a" in detective
    assert f'href="{_page(kieran)}">{kieran.reference}</a>' in detective
    assert reverse("people:unmerge", args=[merge.pk]) in detective
    officer = signed_in(hub_officer).get(_page(duplicate)).content.decode()
    assert "This person was merged into" in officer
    assert reverse("people:unmerge", args=[merge.pk]) not in officer


# --- Adding and changing people ------------------------------------------------------------------


def _new_person_form(**values):
    form = {
        "given_name": "Amara",
        "family_name": "Okonkwo",
        "date_of_birth": "14/09/2010",
        "gender": "female",
        "ethnicity": "B1",
        "nationality": "British",
        "line_1": "12 Park Road",
        "town": "Walsall",
        "postcode": "ws2 8aa",
        "phone": "07700 900456",
        "email": "amara@family.example",
        "identifier_kind": "nhs",
        "identifier": "943 476 5919",
        "holding_reference": "EH-2291",
    }
    return form | values


def test_a_hub_officer_adds_a_person_with_clean_details(signed_in, hub_officer):
    response = signed_in(hub_officer).post(CREATE, _new_person_form())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _page(person)
    assert (person.given_name, person.date_of_birth, person.dob_precision) == ("Amara", dt.date(2010, 9, 14), "exact")
    assert person.addresses.get().postcode == "WS2 8AA"
    assert person.addresses.get().line_1 == "12 Park Road"
    assert person.phones.get().number == "+447700900456"
    assert person.identifiers.get().value == "9434765919"
    assert person.holdings.get().local_reference == "EH-2291"
    assert _last(Action.CREATE).object_id == str(person.pk)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date_of_birth": "30/02/2011"}, "date_of_birth", "30/02/2011 does not exist"),
        ({"date_of_birth": "01/01/2099"}, "date_of_birth", "Date of birth must be today or in the past."),
        ({"identifier": "943 476 5918"}, "identifier", "its check digit is wrong"),
        ({"postcode": "WS99 ZZZZ"}, "postcode", "Enter a real UK postcode"),
        ({"phone": "not a phone"}, "phone", "Enter a phone number, like 07700 900123"),
        ({"date_of_birth": "", "year_of_birth": "20x1"}, "year_of_birth", "Enter the year of birth as 4 digits"),
        ({"date_of_birth": "", "age": "ten"}, "age", "Enter their age as a whole number of years"),
        ({"given_name": "", "family_name": ""}, "family_name", "Enter a first name, last name or a name they are"),
        (
            {"year_of_birth": "2011"},
            "year_of_birth",
            "Enter only one of the date of birth, the year of birth or their age",
        ),
        ({"date_of_birth": "", "age_on": "01/09/2025"}, "age", "Enter their age on that date"),
    ],
)
def test_bad_input_is_named_beside_its_field_and_nothing_is_written(signed_in, hub_officer, values, field, message):
    response = signed_in(hub_officer).post(CREATE, _new_person_form(**values))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#id_{field}"' in html
    assert f'id="id_{field}-error"' in html
    assert message in html.replace("&#x27;", "'")
    assert not Person.objects.exists()


def test_age_at_a_date_is_stored_as_an_estimate(signed_in, hub_officer):
    signed_in(hub_officer).post(CREATE, _new_person_form(date_of_birth="", age="15", age_on="01/09/2025"))
    person = Person.objects.get()
    assert person.dob_precision == "age"
    assert person.date_of_birth.year in (2009, 2010)


def test_people_without_the_index_may_not_add_people(signed_in, vrp_officer):
    assert signed_in(vrp_officer).get(CREATE).status_code == 403
    assert signed_in(vrp_officer).post(CREATE, _new_person_form()).status_code == 403
    assert not Person.objects.exists()


def test_live_matching_shows_who_may_already_be_known_and_logs_the_search(signed_in, hub_detective, kieran):
    response = signed_in(hub_detective).post(
        MATCH, {"given_name": "Kiernan", "family_name": "Smyth", "date_of_birth": "3/2/2011"}
    )
    html = response.content.decode()
    assert "This person may already be known" in html
    assert _page(kieran) in html
    assert "(Smyth/Smith)" in html
    search = _last(Action.SEARCH)
    assert search.search_terms == "First name: Kiernan; Last name: Smyth; Date of birth: 3/2/2011"
    assert search.detail["results"] == 1


def test_live_matching_uses_the_valid_fields_only_and_hides_people_a_partner_may_not_see(
    signed_in, school_outsider, hub_detective, kieran
):
    response = signed_in(school_outsider).post(
        MATCH, {"given_name": "Kieran", "family_name": "Smith", "date_of_birth": "30/02/2011"}
    )
    assert response.context["candidates"] == []
    assert kieran.reference.encode() not in response.content
    # the impossible date is left out, not a reason to stop matching on the names
    police = signed_in(hub_detective).post(
        MATCH, {"given_name": "Kieran", "family_name": "Smith", "date_of_birth": "30/02/2011"}
    )
    assert [c.person for c in police.context["candidates"]] == [kieran]


def test_live_matching_with_nothing_typed_does_not_search(signed_in, hub_detective):
    response = signed_in(hub_detective).post(MATCH, {"gender": "unknown", "ethnicity": "NS"})
    assert response.context["candidates"] is None
    assert not Event.objects.filter(action=Action.SEARCH).exists()


def test_editing_changes_the_details_and_leaves_the_person_out_of_their_own_matches(signed_in, hub_officer, kieran):
    client = signed_in(hub_officer)
    edit = reverse("people:edit", args=[kieran.pk])
    form = client.get(edit)
    assert form.context["form"].initial["date_of_birth"] == "3/2/2011"
    matches = client.post(MATCH, {"given_name": "Kieran", "family_name": "Smith", "exclude": kieran.pk})
    assert matches.context["candidates"] == []
    response = client.post(
        edit,
        {"given_name": "Kieran", "family_name": "Smyth", "preferred_name": "Ky",
         "year_of_birth": "2011", "gender": "male", "ethnicity": "W1"},
    )  # fmt: skip
    assert response.status_code == 302
    kieran.refresh_from_db()
    assert (kieran.family_name, kieran.preferred_name, kieran.dob_precision) == ("Smyth", "Ky", "year")
    assert _last(Action.UPDATE).changes["family_name"] == ["Smith", "Smyth"]


def test_an_impossible_date_on_the_edit_page_is_refused(signed_in, hub_officer, kieran):
    response = signed_in(hub_officer).post(
        reverse("people:edit", args=[kieran.pk]),
        {"family_name": "Smith", "date_of_birth": "31/04/2011", "gender": "male",
         "ethnicity": "NS"},
    )  # fmt: skip
    assert "31/04/2011 does not exist" in response.content.decode()
    kieran.refresh_from_db()
    assert kieran.date_of_birth == DOB


# --- A person's details --------------------------------------------------------------------------


def test_details_are_added_and_removed_from_the_person_page(signed_in, hub_officer, kieran):
    client = signed_in(hub_officer)
    added = client.post(
        reverse("people:part_add", args=[kieran.pk, "alias"]),
        {"alias_kind": "nickname", "given_name": "Ky", "family_name": ""},
    )
    assert added.status_code == 302
    assert kieran.aliases.get().given_name == "Ky"
    client.post(
        reverse("people:part_add", args=[kieran.pk, "identifier"]), {"identifier_kind": "pnc", "value": "11/123A"}
    )
    assert kieran.identifiers.filter(kind="pnc").get().value == "11/0000123A"
    phone = kieran.phones.get()
    removed = client.post(reverse("people:part_remove", args=[kieran.pk, "phone", phone.pk]))
    assert removed.status_code == 302
    assert not Phone.objects.filter(pk=phone.pk).exists()
    assert _last(Action.UPDATE).changes == {"Phone": ["+447700900123", None]}


def test_a_bad_detail_is_refused_beside_its_field(signed_in, hub_officer, kieran):
    client = signed_in(hub_officer)
    bad_nhs = client.post(
        reverse("people:part_add", args=[kieran.pk, "identifier"]), {"identifier_kind": "nhs", "value": "1234567890"}
    )
    assert "its check digit is wrong" in bad_nhs.content.decode()
    bad_dates = client.post(
        reverse("people:part_add", args=[kieran.pk, "address"]),
        {"postcode": "WS1 1AA", "date_from": "01/05/2024", "date_to": "01/04/2024"},
    )
    assert "The date they left must be on or after 1 May 2024" in bad_dates.content.decode()
    assert kieran.identifiers.count() == 1
    assert kieran.addresses.count() == 1


def test_a_detail_of_someone_else_cannot_be_removed_through_this_person(signed_in, hub_officer, kieran):
    other = _person(hub_officer, given_name="Jade", family_name="Price", phones=["07700 900777"])
    phone = other.phones.get()
    response = signed_in(hub_officer).post(reverse("people:part_remove", args=[kieran.pk, "phone", phone.pk]))
    assert response.status_code == 404
    assert Phone.objects.filter(pk=phone.pk).exists()


def test_an_unknown_kind_of_detail_is_404(signed_in, hub_officer, kieran):
    assert signed_in(hub_officer).get(reverse("people:part_add", args=[kieran.pk, "shoe-size"])).status_code == 404


def test_the_share_form_is_embedded_for_people_who_manage_sharing(signed_in, hub_officer, analyst, kieran):
    url = reverse("people:share", args=[kieran.pk])
    page = signed_in(hub_officer).get(url)
    assert page.status_code == 200
    assert b"Share this record" in page.content
    assert signed_in(analyst).get(url).status_code == 403


# --- Merging -------------------------------------------------------------------------------------


@pytest.fixture
def duplicate(hub_officer):
    """The same child recorded again by a hub officer, with a street name and an approximate DOB."""
    person = _person(
        hub_officer,
        given_name="Kiernan",
        family_name="Smyth",
        date_of_birth=dt.date(2011, 7, 1),
        dob_precision="year",
        postcodes=["WS2 9BB"],
        phones=["07700 900555"],
    )
    Person.objects.filter(pk=person.pk).update(nationality="British")
    person.refresh_from_db()
    return person


def _merge_url(survivor, merged):
    return f"{reverse('people:merge')}?survivor={survivor.pk}&merged={merged.reference}"


def test_the_merge_preview_shows_both_records_and_the_result(signed_in, hub_detective, kieran, duplicate):
    response = signed_in(hub_detective).get(_merge_url(kieran, duplicate))
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.context["rows"]}
    assert rows["Date of birth"] == {
        "label": "Date of birth", "survivor": "3 February 2011", "merged": "about 2011", "result": "3 February 2011",
        "changes": "",
    }  # fmt: skip
    assert rows["Nationality"]["result"] == "British"
    assert rows["Nationality"]["changes"] == "yes"
    assert "1 phone number" in response.context["moving"]
    assert not Merge.objects.exists()


def test_merging_needs_a_reason_then_merges(signed_in, hub_detective, kieran, duplicate):
    client = signed_in(hub_detective)
    missing = client.post(_merge_url(kieran, duplicate), {"reason": ""})
    assert "Enter why these records are the same person" in missing.content.decode()
    assert not Merge.objects.exists()
    done = client.post(_merge_url(kieran, duplicate), {"reason": "Same child: school confirmed"})
    assert done.status_code == 302
    assert done["Location"] == _page(kieran)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kieran
    assert kieran.phones.count() == 2


def test_merging_twice_is_refused_with_a_message(signed_in, hub_detective, kieran, duplicate):
    merge_people(actor=hub_detective, survivor=kieran, merged=duplicate, reason="Same child")
    response = signed_in(hub_detective).post(_merge_url(kieran, duplicate), {"reason": "Again"})
    assert response.status_code == 200
    assert f"{duplicate.reference} has already been merged into another record." in response.content.decode()
    assert Merge.objects.count() == 1


@pytest.mark.parametrize("persona", ["hub_officer", "walsall_partner"])
def test_only_people_who_may_merge_see_the_merge_pages(signed_in, request, kieran, duplicate, persona):
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(_merge_url(kieran, duplicate)).status_code == 403
    assert client.post(_merge_url(kieran, duplicate), {"reason": "x"}).status_code == 403
    assert not Merge.objects.exists()


def test_a_missing_person_in_the_merge_address_is_404(signed_in, hub_detective, kieran):
    url = f"{reverse('people:merge')}?survivor={kieran.pk}&merged=P-9999999"
    assert signed_in(hub_detective).get(url).status_code == 404


def test_undoing_a_merge_needs_a_reason_and_restores_the_person(signed_in, hub_detective, kieran, duplicate):
    merge = merge_people(actor=hub_detective, survivor=kieran, merged=duplicate, reason="Same child")
    url = reverse("people:unmerge", args=[merge.pk])
    client = signed_in(hub_detective)
    assert b"Undo merge" in client.get(url).content
    missing = client.post(url, {"reason": ""})
    assert "Enter why the merge was wrong" in missing.content.decode()
    done = client.post(url, {"reason": "Twins: different NHS numbers"})
    assert done["Location"] == _page(duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert kieran.phones.count() == 1
    merge.refresh_from_db()
    assert merge.undo_reason == "Twins: different NHS numbers"
    page = client.get(url)
    assert b"This merge has already been undone." in page.content


def test_only_people_who_may_merge_may_undo_one(signed_in, hub_detective, hub_officer, kieran, duplicate):
    merge = merge_people(actor=hub_detective, survivor=kieran, merged=duplicate, reason="Same child")
    url = reverse("people:unmerge", args=[merge.pk])
    assert signed_in(hub_officer).post(url, {"reason": "No"}).status_code == 403
    assert signed_in(hub_detective).get(reverse("people:unmerge", args=[merge.pk + 1])).status_code == 404
    assert Alias.objects.filter(person=kieran, given_name="Kiernan").exists()  # still merged


def test_a_link_with_no_rule_for_who_may_see_it_is_never_shown(signed_in, hub_detective, kieran):
    CaseFile.objects.create(title="West Midlands Police: county lines", subject=kieran)
    response = signed_in(hub_detective).get(_page(kieran))
    assert response.context["linked_groups"] == []
    assert b"county lines" not in response.content
    assert b"No other records you can see are linked to this person." in response.content


def test_only_links_to_a_person_can_be_registered():
    with pytest.raises(ValueError, match="is not a ForeignKey or ManyToManyField to Person"):
        register_link(CaseFile, "title")
    with pytest.raises(ValueError, match="has no field 'owner'"):
        register_link(CaseFile, "owner")


# --- The home page panel -------------------------------------------------------------------------


def test_the_people_panel_counts_what_the_organisation_holds(walsall_partner, hub_detective, vrp_officer, kieran):
    from socex.people.dashboard import people_panel

    _person(walsall_partner, given_name="Amara", family_name="Okonkwo")
    partner = {figure.label: figure.value for figure in people_panel(walsall_partner).figures}
    assert partner == {
        "People your organisation holds a record about": "1",
        "Added by your organisation in the last 30 days": "1",
    }
    police = {figure.label: figure.value for figure in people_panel(hub_detective).figures}
    assert police["People your organisation holds a record about"] == "1"  # Kieran, added by the police
    assert police["Possible duplicates to review"] == "0"
    hrefs = {figure.label: figure.href for figure in people_panel(hub_detective).figures}
    assert hrefs["Possible duplicates to review"] == reverse("people:review_queue")
    assert people_panel(vrp_officer) is None


def test_the_new_person_form_shown_again_with_errors_still_shows_who_may_be_known(signed_in, hub_detective, kieran):
    response = signed_in(hub_detective).post(
        CREATE,
        _new_person_form(given_name="Kieran", family_name="Smith", date_of_birth="03/02/2011", postcode="nowhere"),
    )
    assert "Enter a real UK postcode" in response.content.decode()
    assert [c.person for c in response.context["candidates"]] == [kieran]
    assert not Person.objects.exclude(pk=kieran.pk).exists()


# --- Warning markers: police information, not shown to a partner unless shared ----------------------


def test_a_partner_sees_its_own_markers_but_police_markers_only_once_the_person_is_shared(
    signed_in, walsall_partner, hub_officer
):
    person = _person(walsall_partner, given_name="Amara", family_name="Okonkwo")
    police = part_add(actor=hub_officer, person=person, kind="marker", marker_kind="weapons", detail="Knife seen")
    own = part_add(
        actor=walsall_partner, person=person, kind="marker", marker_kind="missing", detail="Absent from school"
    )
    client = signed_in(walsall_partner)
    page = client.get(_page(person)).content.decode()
    assert "Absent from school" in page
    assert "Knife seen" not in page
    assert [m.detail for m in markers_visible_to(walsall_partner, person)] == ["Absent from school"]
    # a marker the partner cannot see cannot be removed by guessing its id
    refused = client.post(reverse("people:part_remove", args=[person.pk, "marker", police.pk]))
    assert refused.status_code == 404
    with pytest.raises(PermissionDenied):
        part_remove(actor=walsall_partner, part=police)
    assert person.markers.count() == 2
    _share_with(person, walsall_partner, hub_officer)
    shared_page = client.get(_page(person)).content.decode()
    assert "Knife seen" in shared_page
    assert own.pk in [m.pk for m in markers_visible_to(hub_officer, person)]
