"""The rules of the safeguarding services: actions, MACE meetings, locations and peer groups.

Each test names the rule it checks; each change must also write its audit event and, where the
issue says so, an entry in the case's chronology.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socex.audit.models import Action as AuditAction
from socex.audit.models import Event
from socex.cases.models import CaseStatus, ChronologyEntry
from socex.core.testing.factories import in_days
from socex.safeguarding import services
from socex.safeguarding.models import ActionStatus, LocationKind, MeetingStatus
from socex.safeguarding.tests.conftest import make_person, share_case

pytestmark = pytest.mark.django_db


def _entries(case, category):
    return list(ChronologyEntry.objects.filter(case=case, category=category).order_by("id"))


def _messages(error):
    return error.value.message_dict


# --- Creating actions -----------------------------------------------------------------------------


def test_an_action_goes_into_the_plan_the_chronology_and_the_audit_log(hub_officer, walsall_partner, case):
    action = services.action_create(
        actor=hub_officer,
        case=case,
        description="Home visit with mum",
        owner_agency=walsall_partner.organisation,
        owner=walsall_partner,
        due_date=in_days(7),
    )
    assert action.reference.startswith(f"ACT-{timezone.localdate().year}-")
    assert (action.status, action.version, action.created_by) == (ActionStatus.OPEN, 1, hub_officer)
    [entry] = _entries(case, "action")
    assert entry.summary.startswith(f"Action {action.reference} agreed: Home visit with mum.")
    assert "Owned by Walsall Council Early Help (Jo Bennett)" in entry.summary
    # The entry's agency is the one that wrote it (the hub), as the chronology's byline shows.
    assert (entry.source_type, entry.source_id, entry.author, entry.agency) == (
        "safeguarding.action",
        str(action.pk),
        hub_officer,
        hub_officer.organisation,
    )
    created = Event.objects.get(action=AuditAction.CREATE, object_type="safeguarding.action")
    assert created.changes["owner_agency"] == [None, "Walsall Council Early Help"]


def test_only_someone_who_may_change_the_case_adds_an_action_directly(walsall_partner, analyst, case):
    for actor in (walsall_partner, analyst):
        with pytest.raises(PermissionDenied):
            services.action_create(
                actor=actor, case=case, description="x", owner_agency=walsall_partner.organisation, due_date=in_days(1)
            )


def test_the_owning_agency_must_take_part_in_the_case(hub_officer, school_outsider, case):
    with pytest.raises(ValidationError) as error:
        services.action_create(
            actor=hub_officer, case=case, description="Check attendance", owner_agency=school_outsider.organisation,
            due_date=in_days(5),
        )  # fmt: skip
    assert "Dudley Park Academy does not take part in" in _messages(error)["owner_agency"][0]
    share_case(case, hub_officer, school_outsider.organisation)
    action = services.action_create(
        actor=hub_officer, case=case, description="Check attendance", owner_agency=school_outsider.organisation,
        due_date=in_days(5),
    )  # fmt: skip
    assert action.owner_agency == school_outsider.organisation


def test_the_owning_person_must_work_for_the_owning_agency(hub_officer, walsall_partner, mace_chair, case):
    with pytest.raises(ValidationError) as error:
        services.action_create(
            actor=hub_officer, case=case, description="Visit", owner_agency=walsall_partner.organisation,
            owner=mace_chair, due_date=in_days(5),
        )  # fmt: skip
    assert _messages(error)["owner"] == [
        "Ruth Adeyemi does not work for Walsall Council Early Help. "
        "Choose someone from the agency, or leave the person blank."
    ]


@pytest.mark.parametrize(
    ("description", "due", "field", "message"),
    [
        ("  ", 3, "description", "Enter what needs to be done"),
        ("Visit", -1, "due_date", "The due date must be today or in the future."),
    ],
)
def test_bad_input_names_the_rule(hub_officer, wmp, case, description, due, field, message):
    with pytest.raises(ValidationError) as error:
        services.action_create(
            actor=hub_officer, case=case, description=description, owner_agency=wmp, due_date=in_days(due)
        )
    assert _messages(error)[field][0].startswith(message)
    assert not ChronologyEntry.objects.filter(category="action").exists()


def test_a_decision_recorded_late_may_be_due_before_today(hub_officer, wmp, case):
    agreed = timezone.now() - dt.timedelta(days=30)
    action = services.action_create(
        actor=hub_officer, case=case, description="Strategy", owner_agency=wmp, due_date=in_days(-10), created_at=agreed
    )
    assert action.is_overdue
    assert _entries(case, "action")[0].occurred_at == agreed


def test_a_closed_case_takes_no_new_actions(hub_officer, wmp, case):
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save()
    with pytest.raises(ValidationError) as error:
        services.action_create(actor=hub_officer, case=case, description="Visit", owner_agency=wmp, due_date=in_days(1))
    assert "is closed: a closed case takes no new actions." in error.value.messages[0]


# --- Updating, completing, cancelling -------------------------------------------------------------


def test_the_owning_agency_updates_status_and_adds_a_note(walsall_partner, action):
    updated = services.action_update(
        actor=walsall_partner, action=action, version=1, status=ActionStatus.IN_PROGRESS, note="Visit booked for Friday"
    )
    assert (updated.status, updated.version) == (ActionStatus.IN_PROGRESS, 2)
    entry = _entries(action.case, "action")[-1]
    assert entry.summary == f"Action {action.reference} updated: now in progress"
    assert (entry.detail, entry.author) == ("Visit booked for Friday", walsall_partner)
    event = Event.objects.filter(action=AuditAction.UPDATE, object_id=str(action.pk)).get()
    assert event.changes == {"status": ["open", "in_progress"]}
    assert event.detail == {"note": "Visit booked for Friday"}


def test_a_note_alone_is_a_change_and_nothing_at_all_is_refused(walsall_partner, action):
    services.action_update(actor=walsall_partner, action=action, version=1, note="Mum did not answer")
    assert _entries(action.case, "action")[-1].summary.endswith("note added: Mum did not answer")
    with pytest.raises(ValidationError, match="Nothing to save"):
        services.action_update(actor=walsall_partner, action=action, version=2)


def test_the_owning_agency_may_not_change_what_the_action_asks_or_when_it_is_due(walsall_partner, action):
    with pytest.raises(PermissionDenied, match="description, due date or agency"):
        services.action_update(actor=walsall_partner, action=action, version=1, due_date=in_days(60))
    action.refresh_from_db()
    assert action.due_date == in_days(10)


def test_a_case_editor_changes_everything_and_a_new_agency_clears_the_person(hub_officer, mace_chair, action):
    updated = services.action_update(
        actor=hub_officer, action=action, version=1, owner_agency=mace_chair.organisation, due_date=in_days(20)
    )
    assert (updated.owner_agency, updated.owner, updated.due_date) == (mace_chair.organisation, None, in_days(20))
    assert "moved to Sandwell Children's Trust" in _entries(action.case, "action")[-1].summary


def test_others_may_not_change_an_action(school_outsider, analyst, mace_chair, action):
    for actor in (school_outsider, analyst, mace_chair):
        with pytest.raises(PermissionDenied):
            services.action_update(actor=actor, action=action, version=1, note="x")


def test_a_concurrent_change_is_refused_not_overwritten(hub_officer, walsall_partner, action):
    services.action_update(actor=walsall_partner, action=action, version=1, status=ActionStatus.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        services.action_update(actor=hub_officer, action=action, version=1, description="Something else")
    assert "Someone else changed" in _messages(error)["version"][0]
    action.refresh_from_db()
    assert (action.description, action.version) == ("Home visit with mum to discuss the plan", 2)


def test_completing_needs_a_note_and_closes_the_action(walsall_partner, action):
    with pytest.raises(ValidationError) as error:
        services.action_complete(actor=walsall_partner, action=action, version=1, note=" ")
    assert _messages(error)["note"] == ["Say what was done to complete the action."]
    done = services.action_complete(actor=walsall_partner, action=action, version=1, note="Visited; mum agreed")
    assert (done.status, done.completed_by, done.completion_note) == (
        ActionStatus.DONE,
        walsall_partner,
        "Visited; mum agreed",
    )
    entry = _entries(action.case, "action")[-1]
    assert entry.summary.startswith(f"Action {action.reference} done by Walsall Council Early Help")
    with pytest.raises(ValidationError) as again:
        services.action_update(actor=walsall_partner, action=done, version=2, note="more")
    assert "a done or cancelled action cannot be changed" in _messages(again)["status"][0]


def test_only_a_case_editor_cancels_and_must_say_why(hub_officer, walsall_partner, action):
    with pytest.raises(PermissionDenied, match="cancel"):
        services.action_cancel(actor=walsall_partner, action=action, version=1, reason="Not needed")
    with pytest.raises(ValidationError):
        services.action_cancel(actor=hub_officer, action=action, version=1, reason="")
    cancelled = services.action_cancel(actor=hub_officer, action=action, version=1, reason="Family moved away")
    assert cancelled.status == ActionStatus.CANCELLED
    assert _entries(action.case, "action")[-1].detail == "Family moved away"


def test_status_done_is_not_set_by_update(walsall_partner, action):
    with pytest.raises(ValidationError) as error:
        services.action_update(actor=walsall_partner, action=action, version=1, status=ActionStatus.DONE)
    assert "complete it" in _messages(error)["status"][0]


# --- MACE meetings --------------------------------------------------------------------------------


def test_setting_up_a_meeting_invites_the_chair_and_organiser_and_is_audited(mace_chair, walsall_partner):
    meeting = services.meeting_create(
        actor=mace_chair, title="Walsall MACE", meeting_date=in_days(5), chair=mace_chair,
        agencies=[walsall_partner.organisation],
    )  # fmt: skip
    assert meeting.reference.startswith("MACE-")
    assert set(meeting.agencies.all()) == {walsall_partner.organisation, mace_chair.organisation}
    assert Event.objects.filter(action=AuditAction.CREATE, object_type="safeguarding.meeting").exists()


def test_only_mace_managers_set_up_meetings_and_the_chair_must_be_one(hub_officer, walsall_partner, mace_chair):
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=hub_officer, title="x", meeting_date=in_days(1), chair=mace_chair, agencies=[])
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=mace_chair, title="x", meeting_date=in_days(1), chair=walsall_partner, agencies=[]
        )
    assert "their roles do not include running MACE meetings" in _messages(error)["chair"][0]


def test_the_agenda_holds_visible_cases_once_and_tells_the_chronology(mace_chair, meeting, case, other_case):
    item = services.agenda_item_add(actor=mace_chair, meeting=meeting, case=case)
    assert item.position == 1
    [entry] = _entries(case, "mace")
    assert entry.summary.startswith("Put on the agenda of MACE meeting Black Country MACE on")
    with pytest.raises(ValidationError) as twice:
        services.agenda_item_add(actor=mace_chair, meeting=meeting, case=case)
    assert "already on this agenda, as item 1" in _messages(twice)["case"][0]
    with pytest.raises(ValidationError) as hidden:
        services.agenda_item_add(actor=mace_chair, meeting=meeting, case=other_case)  # not shared with Sandwell
    assert _messages(hidden)["case"] == ["There is no case with that reference that you can see."]


def test_only_the_chair_or_organiser_runs_the_meeting(walsall_partner, hub_officer, meeting, case):
    for actor in (walsall_partner, hub_officer):
        with pytest.raises(PermissionDenied):
            services.agenda_item_add(actor=actor, meeting=meeting, case=case)


def test_decisions_and_actions_flow_into_the_case(mace_chair, walsall_partner, meeting, case):
    item = services.agenda_item_add(actor=mace_chair, meeting=meeting, case=case)
    with pytest.raises(ValidationError):
        services.agenda_item_record(actor=mace_chair, item=item, discussion="", decisions=" ")
    services.agenda_item_record(
        actor=mace_chair, item=item, discussion="School reports missing episodes", decisions="Risk stays at risk"
    )
    action = services.action_create(
        actor=mace_chair, case=case, agenda_item=item, description="Return home interview",
        owner_agency=walsall_partner.organisation, due_date=in_days(7),
    )  # fmt: skip
    summaries = [entry.summary for entry in ChronologyEntry.objects.filter(case=case).order_by("id")]
    assert any(
        s.startswith("Discussed at MACE meeting Black Country MACE") and "Decided: Risk stays at risk" in s
        for s in summaries
    )
    assert any(s.startswith(f"Action {action.reference} agreed at MACE meeting {meeting.reference}") for s in summaries)
    assert action.agenda_item == item


def test_final_minutes_need_every_item_recorded_and_then_nothing_changes(mace_chair, walsall_partner, meeting, case):
    item = services.agenda_item_add(actor=mace_chair, meeting=meeting, case=case)
    with pytest.raises(ValidationError, match=r"not yet: item 1"):
        services.meeting_finalise(actor=mace_chair, meeting=meeting, version=meeting.version)
    services.agenda_item_record(actor=mace_chair, item=item, discussion="", decisions="Close")
    final = services.meeting_finalise(actor=mace_chair, meeting=meeting, version=meeting.version)
    assert final.status == MeetingStatus.HELD
    with pytest.raises(ValidationError, match="are final"):
        services.agenda_item_record(actor=mace_chair, item=item, discussion="", decisions="Changed")
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="are final"):
        services.action_create(
            actor=mace_chair, case=case, agenda_item=item, description="Late",
            owner_agency=walsall_partner.organisation, due_date=in_days(2),
        )  # fmt: skip


def test_attendees_must_come_from_agencies_invited(mace_chair, walsall_partner, school_outsider, meeting):
    services.meeting_set_attendees(actor=mace_chair, meeting=meeting, attendees=[mace_chair, walsall_partner])
    assert set(meeting.attendees.all()) == {mace_chair, walsall_partner}
    with pytest.raises(ValidationError) as error:
        services.meeting_set_attendees(actor=mace_chair, meeting=meeting, attendees=[school_outsider])
    assert "Not from an agency invited to the meeting: Alex Morgan" in _messages(error)["attendees"][0]


def test_changing_a_meeting_checks_its_version(mace_chair, meeting):
    changed = services.meeting_update(
        actor=mace_chair, meeting=meeting, version=1, title="Sandwell MACE", meeting_date=meeting.meeting_date,
        chair=mace_chair, agencies=meeting.agencies.all(),
    )  # fmt: skip
    assert (changed.title, changed.version) == ("Sandwell MACE", 2)
    with pytest.raises(ValidationError) as error:
        services.meeting_update(
            actor=mace_chair, meeting=meeting, version=1, title="Old", meeting_date=meeting.meeting_date,
            chair=mace_chair, agencies=[],
        )  # fmt: skip
    assert "version" in _messages(error)


# --- Locations and peer groups --------------------------------------------------------------------


def _location(actor, **values):
    base = {"name": "Bus station underpass", "kind": LocationKind.TRANSPORT_HUB, "lpa": actor.lpa or _walsall()}
    return services.location_create(actor=actor, **(base | values))


def _walsall():
    from socex.areas.models import LPA

    return LPA.objects.get(name="Walsall")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({}, "address", "Enter an address, a postcode or a point on the map"),
        ({"postcode": "WS99 ZZZZ"}, "postcode", "Enter a real UK postcode"),
        ({"latitude": Decimal("52.58")}, "longitude", "Enter both the latitude and the longitude"),
        ({"latitude": Decimal("-1.98"), "longitude": Decimal("52.58")}, "latitude", "The latitude must be in the UK"),
        ({"name": " ", "postcode": "WS1 1QL"}, "name", "Enter what the place is called"),
    ],
)
def test_a_location_needs_somewhere_real(walsall_partner, values, field, message):
    with pytest.raises(ValidationError) as error:
        _location(walsall_partner, **values)
    assert _messages(error)[field][0].startswith(message)


def test_a_location_keeps_a_clean_postcode_or_point_and_links_cases(walsall_partner, case):
    location = _location(walsall_partner, postcode="ws11ql", cases=[case])
    assert (location.postcode, location.owner) == ("WS1 1QL", walsall_partner.organisation)
    assert _entries(case, "contextual")[0].summary == (
        "Linked to location of concern (transport hub): Bus station underpass"
    )
    point = _location(walsall_partner, name="Arboretum", latitude=Decimal("52.5891234"), longitude=Decimal("-1.9754"))
    assert (point.latitude, point.longitude) == (Decimal("52.589123"), Decimal("-1.975400"))


def test_a_location_links_only_cases_the_recorder_can_see(school_outsider, case):
    with pytest.raises(ValidationError) as error:
        _location(school_outsider, postcode="DY1 1AA", cases=[case])
    assert "There is no case you can see with the reference" in _messages(error)["cases"][0]


def test_only_the_recording_agency_changes_a_location(walsall_partner, mace_chair, hub_officer, case):
    location = _location(walsall_partner, postcode="WS1 1QL", cases=[case])
    with pytest.raises(PermissionDenied):
        services.location_update(
            actor=mace_chair, location=location, version=1, name="x", kind="park", lpa=_walsall(), postcode="WS1 1QL"
        )
    changed = services.location_update(
        actor=hub_officer, location=location, version=1, name="Bridge Street underpass", kind="transport_hub",
        lpa=_walsall(), postcode="WS1 1QL",
    )  # fmt: skip
    assert (changed.name, changed.version) == ("Bridge Street underpass", 2)


def test_peer_group_members_are_people_the_recorder_can_see(walsall_partner, hub_officer, case):
    known = make_person(walsall_partner, "Tyler", "Green", dt.date(2010, 1, 1))
    unknown = make_person(hub_officer, "Jay", "Ward", dt.date(2010, 2, 2))  # a police record, not Walsall's
    group = services.peer_group_create(
        actor=walsall_partner, name="Caldmore Green group", members=[known], cases=[case]
    )
    assert list(group.members.all()) == [known]
    assert _entries(case, "contextual")[0].summary == "Linked to peer group: Caldmore Green group"
    with pytest.raises(ValidationError) as error:
        services.peer_group_add_member(actor=walsall_partner, group=group, person=unknown)
    assert "that you can see in the person index" in _messages(error)["person"][0]
    with pytest.raises(ValidationError, match="already a member"):
        services.peer_group_add_member(actor=walsall_partner, group=group, person=known)


def test_linking_a_case_twice_is_refused_and_unlinking_is_noted(walsall_partner, case):
    group = services.peer_group_create(actor=walsall_partner, name="Group", cases=[case])
    with pytest.raises(ValidationError, match="already linked"):
        services.context_link_case(actor=walsall_partner, obj=group, case=case)
    services.context_unlink_case(actor=walsall_partner, obj=group, case=case)
    assert not group.cases.exists()
    assert _entries(case, "contextual")[-1].summary == "No longer linked to peer group: Group"
