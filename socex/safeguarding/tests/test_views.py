"""What the safeguarding pages show and do, through the test client: work trays with overdue
and due-soon alerts, filters (audited), adding and working actions, version clashes, MACE
meetings, locations on a map with a table, peer groups, the case-page panels and the home panel."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from socex.audit.models import Action as AuditAction
from socex.audit.models import Event
from socex.cases.models import ChronologyEntry
from socex.core.testing.factories import in_days
from socex.safeguarding import services
from socex.safeguarding.models import Action, ActionStatus, Location
from socex.safeguarding.tests.conftest import make_person

pytestmark = pytest.mark.django_db

TRAY = reverse("safeguarding:tray")
AGENCY = reverse("safeguarding:agency_tray")
ALL = reverse("safeguarding:actions")


def _late(actor, case, agency, *, due, owner=None, text="Late action"):
    """An action agreed 60 days ago (so its due date may be past)."""
    return services.action_create(
        actor=actor, case=case, description=text, owner_agency=agency, owner=owner, due_date=in_days(due),
        created_at=timezone.now() - dt.timedelta(days=60),
    )  # fmt: skip


@pytest.fixture
def tray_actions(hub_officer, walsall_partner, case, wmp):
    org = walsall_partner.organisation
    return {
        "overdue": _late(hub_officer, case, org, due=-3, owner=walsall_partner, text="Overdue visit"),
        "soon": _late(hub_officer, case, org, due=2, owner=walsall_partner, text="Soon visit"),
        "later": _late(hub_officer, case, org, due=30, owner=walsall_partner, text="Later visit"),
        "agency": _late(hub_officer, case, org, due=-1, text="Unassigned overdue"),
        "police": _late(hub_officer, case, wmp, due=-5, text="Police action"),
    }


def test_my_tray_lists_my_open_actions_soonest_first_with_alerts(signed_in, walsall_partner, tray_actions):
    response = signed_in(walsall_partner).get(TRAY)
    listed = [a.reference for a in response.context["page_obj"].object_list]
    assert listed == [tray_actions[k].reference for k in ("overdue", "soon", "later")]
    assert (response.context["overdue_count"], response.context["due_soon_count"]) == (1, 1)
    html = response.content.decode()
    assert "1 action overdue" in html
    assert "1 action due in the next 7 days" in html
    assert 'govuk-tag--red">Overdue' in html


def test_the_agency_tray_holds_the_agencys_actions_including_unassigned(signed_in, walsall_partner, tray_actions):
    response = signed_in(walsall_partner).get(AGENCY)
    listed = {a.reference for a in response.context["page_obj"].object_list}
    assert tray_actions["agency"].reference in listed
    assert tray_actions["police"].reference not in listed
    assert response.context["overdue_count"] == 2


def test_due_soon_days_is_a_setting(settings, signed_in, walsall_partner, tray_actions):
    settings.SOCEX_ACTION_DUE_SOON_DAYS = 40
    response = signed_in(walsall_partner).get(TRAY, {"state": "due_soon"})
    assert [a.reference for a in response.context["page_obj"].object_list] == [
        tray_actions["soon"].reference,
        tray_actions["later"].reference,
    ]
    assert "Due within 40 days" in response.content.decode()


def test_filters_are_audited_and_a_bad_case_reference_is_a_field_error(signed_in, walsall_partner, case, tray_actions):
    client = signed_in(walsall_partner)
    response = client.get(ALL, {"state": "overdue", "case": case.reference.lower()})
    assert {a.reference for a in response.context["page_obj"].object_list} == {
        tray_actions[k].reference for k in ("overdue", "agency", "police")
    }
    search = Event.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert search.search_terms == f"Status: Overdue; Case reference: {case.reference}"
    assert search.detail["results"] == 3
    bad = client.get(ALL, {"case": "CASE-1999-000001"}).content.decode()
    assert "There is no case CASE-1999-000001 that you can see" in bad
    assert 'value="CASE-1999-000001"' in bad


def test_a_partner_sees_no_actions_of_cases_not_shared_with_them(signed_in, school_outsider, tray_actions):
    response = signed_in(school_outsider).get(ALL)
    assert response.context["page_obj"].paginator.count == 0


def test_the_tray_pages_at_fifty(signed_in, hub_officer, case, wmp):
    for number in range(55):
        _late(hub_officer, case, wmp, due=number, owner=hub_officer, text=f"Action {number}")
    response = signed_in(hub_officer).get(TRAY, {"page": 2})
    assert len(response.context["page_obj"].object_list) == 5
    assert "Page 2 of 2" in response.content.decode()


def test_adding_an_action_from_the_case_keeps_what_was_typed_on_error(signed_in, hub_officer, walsall_partner, case):
    url = reverse("safeguarding:action_new", args=[case.pk])
    client = signed_in(hub_officer)
    page = client.get(url).content.decode()
    assert "Walsall Council Early Help" in page
    assert "Dudley Park Academy" not in page
    bad = client.post(
        url, {"description": "Home visit", "owner_agency": walsall_partner.organisation_id, "due_date": "1/1/2020"}
    )
    html = bad.content.decode()
    assert "The due date must be today or in the future." in html
    assert "Home visit</textarea>" in html
    due = in_days(5).strftime("%d/%m/%Y")
    done = client.post(
        url,
        {
            "description": "Home visit",
            "owner_agency": walsall_partner.organisation_id,
            "owner": walsall_partner.pk,
            "due_date": due,
        },
    )
    action = Action.objects.get()
    assert done.status_code == 302
    assert done["Location"] == case.get_absolute_url()
    assert (action.owner, action.due_date) == (walsall_partner, in_days(5))


def test_the_owning_agency_updates_then_completes_through_the_pages(signed_in, walsall_partner, action):
    client = signed_in(walsall_partner)
    update = reverse("safeguarding:action_update", args=[action.pk])
    form = client.get(update).content.decode()
    assert 'name="due_date"' not in form  # only the hub changes what and when
    client.post(update, {"version": 1, "status": "in_progress", "owner": walsall_partner.pk, "note": "Booked"})
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    complete = reverse("safeguarding:action_complete", args=[action.pk])
    missing = client.post(complete, {"version": 2, "note": ""}).content.decode()
    assert "Say what was done to complete the action" in missing
    client.post(complete, {"version": 2, "note": "Visited on Friday"})
    action.refresh_from_db()
    assert (action.status, action.completion_note) == (ActionStatus.DONE, "Visited on Friday")
    detail = client.get(action.get_absolute_url()).content.decode()
    assert "Visited on Friday" in detail
    assert "Mark as done</a>" not in detail


def test_a_version_clash_is_shown_and_the_form_takes_the_new_version(signed_in, hub_officer, walsall_partner, action):
    services.action_update(actor=hub_officer, action=action, version=1, note="Changed by the hub")
    response = signed_in(walsall_partner).post(
        reverse("safeguarding:action_update", args=[action.pk]), {"version": 1, "status": "in_progress", "note": "Mine"}
    )
    html = response.content.decode()
    assert "Someone else changed" in html
    assert 'name="version" value="2"' in html
    assert "Mine</textarea>" in html
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_the_case_page_shows_the_plan_and_context(signed_in, hub_officer, walsall_partner, action, case):
    services.location_create(
        actor=walsall_partner, name="Arboretum", kind="park", lpa=case.lpa, postcode="WS1 2AB", cases=[case]
    )
    html = signed_in(hub_officer).get(case.get_absolute_url()).content.decode()
    assert "Safeguarding plan" in html
    assert action.reference in html
    assert reverse("safeguarding:action_new", args=[case.pk]) in html
    assert "Arboretum" in html
    partner = signed_in(walsall_partner).get(case.get_absolute_url()).content.decode()
    assert action.reference in partner
    assert reverse("safeguarding:action_new", args=[case.pk]) not in partner  # partners do not add actions


def test_the_home_page_panel_counts_and_links(signed_in, walsall_partner, tray_actions):
    html = signed_in(walsall_partner).get("/").content.decode()
    assert "Safeguarding actions" in html
    assert f"{TRAY}?state=overdue" in html
    assert "Overdue actions by agency" in html
    assert 'href="/safeguarding/"' in html  # the navigation entry


def test_the_overdue_page_counts_by_agency(signed_in, hub_officer, tray_actions):
    response = signed_in(hub_officer).get(reverse("safeguarding:overdue"))
    rows = {
        row["owner_agency__name"]: (row["overdue"], row["due_soon"], row["open"]) for row in response.context["rows"]
    }
    assert rows == {"Walsall Council Early Help": (2, 1, 4), "West Midlands Police": (1, 0, 1)}


def test_no_safeguarding_entry_for_people_without_the_roles(signed_in, vrp_officer):
    assert 'href="/safeguarding/"' not in signed_in(vrp_officer).get("/").content.decode()


# --- MACE meetings --------------------------------------------------------------------------------


def test_a_chair_runs_a_meeting_through_the_pages(signed_in, mace_chair, walsall_partner, case, wmp):
    client = signed_in(mace_chair)
    response = client.post(
        reverse("safeguarding:meeting_new"),
        {"title": "Walsall MACE", "meeting_date": in_days(2).strftime("%d/%m/%Y"), "chair": mace_chair.pk,
         "agencies": [walsall_partner.organisation_id, wmp.pk]},
    )  # fmt: skip
    meeting = mace_chair.chaired_meetings.get()
    assert response["Location"] == meeting.get_absolute_url()
    bad = client.post(reverse("safeguarding:agenda_add", args=[meeting.pk]), {"case": "CASE-2000-000009"})
    assert "There is no case CASE-2000-000009 that you can see" in bad.content.decode()
    client.post(reverse("safeguarding:agenda_add", args=[meeting.pk]), {"case": case.reference})
    item = meeting.items.get()
    client.post(item.get_absolute_url(), {"discussion": "Missing again", "decisions": "Return home interview"})
    client.post(
        reverse("safeguarding:agenda_action_new", args=[meeting.pk, item.pk]),
        {"description": "Return home interview", "owner_agency": walsall_partner.organisation_id,
         "due_date": in_days(4).strftime("%d/%m/%Y")},
    )  # fmt: skip
    client.post(reverse("safeguarding:meeting_finalise", args=[meeting.pk]), {"version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert Action.objects.get().agenda_item == item
    categories = list(ChronologyEntry.objects.filter(case=case).values_list("category", flat=True))
    assert categories.count("mace") == 2
    assert categories.count("action") == 1


def test_finalising_too_early_says_which_items_are_missing(signed_in, mace_chair, meeting, case):
    services.agenda_item_add(actor=mace_chair, meeting=meeting, case=case)
    response = signed_in(mace_chair).post(
        reverse("safeguarding:meeting_finalise", args=[meeting.pk]), {"version": meeting.version}, follow=True
    )
    assert "not yet: item 1" in response.content.decode()


def test_meeting_form_errors_keep_what_was_typed(signed_in, mace_chair):
    response = signed_in(mace_chair).post(
        reverse("safeguarding:meeting_new"), {"title": "Dudley MACE", "meeting_date": "31/02/2027"}
    )
    html = response.content.decode()
    assert "Date of the meeting must be a real date" in html
    assert "Choose the chair" in html
    assert 'value="Dudley MACE"' in html


# --- Locations and peer groups --------------------------------------------------------------------


def test_the_map_page_has_markers_and_a_table_of_every_place(signed_in, walsall_partner, case):
    services.location_create(
        actor=walsall_partner, name="Arboretum", kind="park", lpa=case.lpa, latitude=Decimal("52.5891"),
        longitude=Decimal("-1.9754"),
    )  # fmt: skip
    services.location_create(
        actor=walsall_partner, name="Chicken shop", kind="takeaway", lpa=case.lpa, postcode="WS1 1QL"
    )
    response = signed_in(walsall_partner).get(reverse("safeguarding:location_map", args=[case.lpa.code]))
    html = response.content.decode()
    markers = json.loads(re.search(r'id="markers-json"[^>]*>(.*?)</script>', html).group(1))
    assert [(m["name"], m["lat"], m["lng"]) for m in markers] == [("Arboretum", 52.5891, -1.9754)]
    assert "Chicken shop" in html
    assert "Not on the map: no point recorded" in html
    assert 'data-boundaries="/areas/boundaries/lpas.geojson"' in html
    search = Event.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert (search.search_terms, search.detail["results"]) == ("Local policing area: Walsall", 2)


def test_recording_a_location_names_each_problem_and_keeps_the_input(signed_in, walsall_partner, case):
    url = reverse("safeguarding:location_new")
    client = signed_in(walsall_partner)
    response = client.post(
        url,
        {"name": "Underpass", "kind": "transport_hub", "lpa": case.lpa.pk, "latitude": "52.5", "case": case.reference},
    )
    html = response.content.decode()
    assert "Enter both the latitude and the longitude of the point, or neither." in html
    assert 'value="Underpass"' in html
    assert 'value="52.5"' in html
    ok = client.post(
        url,
        {"name": "Underpass", "kind": "transport_hub", "lpa": case.lpa.pk, "latitude": "52.5", "longitude": "-1.98",
         "case": case.reference},
    )  # fmt: skip
    location = Location.objects.get()
    assert ok["Location"] == location.get_absolute_url()
    assert list(location.cases.all()) == [case]


def test_a_peer_group_shows_members_the_viewer_can_see_and_counts_the_rest(
    signed_in, walsall_partner, hub_officer, mace_chair, case
):
    walsall_child = make_person(walsall_partner, "Tyler", "Green", dt.date(2010, 1, 1))
    group = services.peer_group_create(
        actor=walsall_partner, name="Caldmore Green group", members=[walsall_child], cases=[case]
    )
    police_child = make_person(hub_officer, "Jay", "Ward", dt.date(2010, 2, 2))
    services.peer_group_add_member(actor=hub_officer, group=group, person=police_child)
    html = signed_in(mace_chair).get(group.get_absolute_url()).content.decode()  # Sandwell sees neither child
    assert "Tyler" not in html
    assert "Jay" not in html
    assert "And 2 other members you cannot see in the person index." in html
    partner = signed_in(walsall_partner).get(group.get_absolute_url()).content.decode()
    assert "Tyler Green" in partner
    assert "Jay Ward" not in partner


def test_adding_an_unknown_member_shows_the_error_beside_the_box(signed_in, walsall_partner):
    group = services.peer_group_create(actor=walsall_partner, name="Group")
    response = signed_in(walsall_partner).post(
        reverse("safeguarding:peer_group_member_add", args=[group.pk]), {"person": "P-0099999"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no one with the reference P-0099999 that you can see" in html
    assert 'value="P-0099999"' in html


def test_the_peer_group_appears_on_the_person_page(signed_in, walsall_partner):
    child = make_person(walsall_partner, "Tyler", "Green", dt.date(2010, 1, 1))
    group = services.peer_group_create(actor=walsall_partner, name="Caldmore Green group", members=[child])
    html = signed_in(walsall_partner).get(reverse("people:person", args=[child.pk])).content.decode()
    assert "Peer groups of concern" in html
    assert group.get_absolute_url() in html
