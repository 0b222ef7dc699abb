"""The access matrix for every safeguarding page, as tables.

Who's who (see conftest.py): hub staff (``hub_officer``), a participating partner
(``walsall_partner``: the case is shared with Walsall Early Help), a non-participating partner
(``school_outsider``), an outsider with no safeguarding roles (``vrp_officer``), police who only
read (``analyst``) and the MACE chair (``mace_chair``, Sandwell, the case shared with it too).

It works (200, or 302 after a change), a record the user may not see is 404, one they may see
but not change is 403, and a page of an area their roles do not include is 403.
"""

import pytest
from django.urls import reverse

from socex.safeguarding import services
from socex.safeguarding.models import LocationKind

pytestmark = pytest.mark.django_db

PEOPLE = ("hub_officer", "walsall_partner", "school_outsider", "vrp_officer", "analyst", "mace_chair")


@pytest.fixture
def records(action, meeting, mace_chair, walsall_partner, case, wmp):
    item = services.agenda_item_add(actor=mace_chair, meeting=meeting, case=case)
    location = services.location_create(
        actor=walsall_partner, name="Arboretum", kind=LocationKind.PARK, lpa=case.lpa, postcode="WS1 2AB", cases=[case]
    )
    group = services.peer_group_create(actor=walsall_partner, name="Caldmore Green group", cases=[case])
    return {
        "action": action.pk,
        "case": case.pk,
        "meeting": meeting.pk,
        "item": item.pk,
        "location": location.pk,
        "group": group.pk,
        "walsall": walsall_partner.organisation_id,
        "wmp": wmp.pk,
        "lpa": case.lpa.code,
    }


def _url(name, records, *keys, query=""):
    return reverse(f"safeguarding:{name}", args=[records[key] for key in keys]) + query


# (url name, record keys for its arguments, {persona: expected status})
GET_MATRIX = [
    ("tray", (), {"hub_officer": 200, "walsall_partner": 200, "school_outsider": 200, "vrp_officer": 403}),
    ("agency_tray", (), {"hub_officer": 200, "walsall_partner": 200, "vrp_officer": 403}),
    ("actions", (), {"hub_officer": 200, "analyst": 200, "school_outsider": 200, "vrp_officer": 403}),
    ("overdue", (), {"hub_officer": 200, "walsall_partner": 200, "vrp_officer": 403}),
    (
        "action",
        ("action",),
        {"hub_officer": 200, "walsall_partner": 200, "analyst": 200, "school_outsider": 404, "vrp_officer": 404},
    ),
    (
        "action_update",
        ("action",),
        {
            "hub_officer": 200,
            "walsall_partner": 200,
            "analyst": 403,
            "mace_chair": 403,
            "school_outsider": 404,
            "vrp_officer": 404,
        },
    ),
    (
        "action_complete",
        ("action",),
        {"hub_officer": 200, "walsall_partner": 200, "analyst": 403, "school_outsider": 404, "vrp_officer": 404},
    ),
    (
        "action_cancel",
        ("action",),
        {"hub_officer": 200, "walsall_partner": 403, "analyst": 403, "school_outsider": 404, "vrp_officer": 404},
    ),
    (
        "action_new",
        ("case",),
        {"hub_officer": 200, "walsall_partner": 403, "analyst": 403, "school_outsider": 404, "vrp_officer": 404},
    ),
    ("meetings", (), {"mace_chair": 200, "walsall_partner": 200, "hub_officer": 200, "vrp_officer": 403}),
    ("meeting_new", (), {"mace_chair": 200, "hub_officer": 403, "walsall_partner": 403, "vrp_officer": 403}),
    (
        "meeting",
        ("meeting",),
        {"mace_chair": 200, "walsall_partner": 200, "hub_officer": 200, "school_outsider": 404, "vrp_officer": 404},
    ),
    (
        "meeting_edit",
        ("meeting",),
        {"mace_chair": 200, "walsall_partner": 403, "hub_officer": 403, "school_outsider": 404},
    ),
    ("meeting_attendees", ("meeting",), {"mace_chair": 200, "walsall_partner": 403, "school_outsider": 404}),
    ("agenda_add", ("meeting",), {"mace_chair": 200, "walsall_partner": 403, "school_outsider": 404}),
    (
        "agenda_item",
        ("meeting", "item"),
        {"mace_chair": 200, "walsall_partner": 200, "hub_officer": 200, "school_outsider": 404, "vrp_officer": 404},
    ),
    ("agenda_action_new", ("meeting", "item"), {"mace_chair": 200, "walsall_partner": 403, "school_outsider": 404}),
    ("locations", (), {"walsall_partner": 200, "school_outsider": 200, "vrp_officer": 403}),
    ("location_new", (), {"walsall_partner": 200, "hub_officer": 200, "vrp_officer": 403}),
    ("location_map", ("lpa",), {"walsall_partner": 200, "school_outsider": 200, "vrp_officer": 403}),
    (
        "location",
        ("location",),
        {"walsall_partner": 200, "mace_chair": 200, "analyst": 200, "school_outsider": 404, "vrp_officer": 404},
    ),
    (
        "location_edit",
        ("location",),
        {"walsall_partner": 200, "hub_officer": 200, "mace_chair": 403, "analyst": 403, "school_outsider": 404},
    ),
    ("peer_groups", (), {"walsall_partner": 200, "school_outsider": 200, "vrp_officer": 403}),
    ("peer_group_new", (), {"walsall_partner": 200, "vrp_officer": 403}),
    ("peer_group", ("group",), {"walsall_partner": 200, "mace_chair": 200, "school_outsider": 404, "vrp_officer": 404}),
    (
        "peer_group_edit",
        ("group",),
        {"walsall_partner": 200, "hub_officer": 200, "mace_chair": 403, "school_outsider": 404},
    ),
]


@pytest.mark.parametrize(("name", "keys", "expected"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_who_may_open_each_page(request, signed_in, records, name, keys, expected):
    url = _url(name, records, *keys)
    for persona, status in expected.items():
        response = signed_in(request.getfixturevalue(persona)).get(url)
        assert response.status_code == status, f"{persona} on {url}: {response.status_code}, expected {status}"


def test_an_unknown_area_has_no_map(signed_in, walsall_partner):
    assert signed_in(walsall_partner).get(reverse("safeguarding:location_map", args=["E99999999"])).status_code == 404


def test_the_minutes_go_to_each_agency_its_own_copy(signed_in, records, walsall_partner, mace_chair, school_outsider):
    own = _url("minutes", records, "meeting", query=f"?agency={records['walsall']}")
    other = _url("minutes", records, "meeting", query=f"?agency={records['wmp']}")
    partner = signed_in(walsall_partner)
    response = partner.get(own)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert partner.get(_url("minutes", records, "meeting")).status_code == 200  # their own agency's by default
    assert partner.get(other).status_code == 403
    chair = signed_in(mace_chair)
    assert chair.get(other).status_code == 200  # the chair sends each agency its copy
    assert chair.get(_url("minutes", records, "meeting", query="?agency=not-an-agency")).status_code == 404
    assert signed_in(school_outsider).get(own).status_code == 404


# (url name, record keys, POST data, {persona: expected status})
POST_MATRIX = [
    ("action_complete", ("action",), {"version": 1, "note": "Done"}, {"school_outsider": 404, "analyst": 403}),
    ("action_cancel", ("action",), {"version": 1, "reason": "No"}, {"walsall_partner": 403, "school_outsider": 404}),
    ("agenda_add", ("meeting",), {"case": "CASE-X"}, {"walsall_partner": 403, "hub_officer": 403, "vrp_officer": 404}),
    ("meeting_finalise", ("meeting",), {"version": 1}, {"walsall_partner": 403, "school_outsider": 404}),
    ("location_link", ("location",), {"case": "CASE-X"}, {"mace_chair": 403, "school_outsider": 404}),
    ("peer_group_member_add", ("group",), {"person": "P-1"}, {"mace_chair": 403, "school_outsider": 404}),
]


@pytest.mark.parametrize(("name", "keys", "data", "expected"), POST_MATRIX, ids=[row[0] for row in POST_MATRIX])
def test_who_may_change_things(request, signed_in, records, name, keys, data, expected):
    url = _url(name, records, *keys)
    for persona, status in expected.items():
        response = signed_in(request.getfixturevalue(persona)).post(url, data)
        assert response.status_code == status, f"{persona} posting to {url}: {response.status_code}"


def test_an_agenda_item_of_a_case_not_shared_with_a_partner_is_withheld(
    signed_in, hub_officer, walsall_partner, mace_chair, meeting, case, other_case
):
    from socex.safeguarding.tests.conftest import share_case

    share_case(other_case, hub_officer, mace_chair.organisation)  # the chair sees it; Walsall does not
    services.agenda_item_add(actor=mace_chair, meeting=meeting, case=case)
    hidden = services.agenda_item_add(actor=mace_chair, meeting=meeting, case=other_case)
    page = signed_in(walsall_partner).get(reverse("safeguarding:meeting", args=[meeting.pk]))
    html = page.content.decode()
    assert case.reference in html
    assert other_case.reference not in html
    assert "Item 2 withheld: not shared with your agency" in html
    url = reverse("safeguarding:agenda_item", args=[meeting.pk, hidden.pk])
    assert signed_in(walsall_partner).get(url).status_code == 404
