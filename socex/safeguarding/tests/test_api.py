"""/api/v1/safeguarding/: list the actions the caller's agency owns; read one; update one
(status, note) with a version check. 404 for an action the caller cannot see, 403 for one that is
not theirs, 409 for a stale version, 422 naming the rule for bad input."""

import pytest

from socex.accounts.services import api_token_create
from socex.audit.models import Action as AuditAction
from socex.audit.models import Event
from socex.core.testing.factories import in_days
from socex.safeguarding import services
from socex.safeguarding.models import ActionStatus

pytestmark = pytest.mark.django_db

ACTIONS = "/api/v1/safeguarding/actions"


def bearer(user):
    _, secret = api_token_create(user=user, name="safeguarding tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def police_action(hub_officer, wmp, case):
    return services.action_create(
        actor=hub_officer, case=case, description="Police visit", owner_agency=wmp, due_date=in_days(3)
    )


def test_a_partner_lists_only_its_agencys_actions_and_each_page_is_audited(
    client, walsall_partner, action, police_action
):
    response = client.get(ACTIONS, **bearer(walsall_partner))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["reference"] == action.reference
    assert item["owner_agency"] == "Walsall Council Early Help"
    assert item["owner"] == walsall_partner.email
    assert (item["status"], item["version"], item["overdue"], item["url"]) == (
        "open", 1, False, f"/safeguarding/actions/{action.pk}/",
    )  # fmt: skip
    export = Event.objects.filter(action=AuditAction.EXPORT).latest("id")
    assert (export.object_type, export.export_count, export.detail["channel"]) == ("safeguarding.action", 1, "api")


def test_filters_work_and_a_bad_one_is_named(client, walsall_partner, action):
    headers = bearer(walsall_partner)
    assert client.get(ACTIONS, {"state": "done"}, **headers).json()["count"] == 0
    assert client.get(ACTIONS, {"state": "due_soon"}, **headers).json()["count"] == 0
    bad = client.get(ACTIONS, {"state": "late"}, **headers)
    assert bad.status_code == 422
    assert "state: Choose one of the options for status" in bad.json()["detail"]


def test_someone_without_safeguarding_roles_gets_403(client, vrp_officer):
    assert client.get(ACTIONS, **bearer(vrp_officer)).status_code == 403


def test_one_action_is_404_to_a_partner_not_on_the_case(client, walsall_partner, school_outsider, action):
    assert client.get(f"{ACTIONS}/{action.pk}", **bearer(walsall_partner)).status_code == 200
    assert client.get(f"{ACTIONS}/{action.pk}", **bearer(school_outsider)).status_code == 404
    assert Event.objects.filter(action=AuditAction.VIEW, object_id=str(action.pk)).count() == 1


def test_the_owner_updates_status_and_note_with_the_version(client, walsall_partner, action):
    headers = bearer(walsall_partner)
    response = client.patch(
        f"{ACTIONS}/{action.pk}",
        {"version": 1, "status": "in_progress", "note": "Visit booked"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("in_progress", 2)
    stale = client.patch(
        f"{ACTIONS}/{action.pk}", {"version": 1, "note": "Again"}, content_type="application/json", **headers
    )
    assert stale.status_code == 409
    assert "Someone else changed" in stale.json()["detail"]
    done = client.patch(
        f"{ACTIONS}/{action.pk}", {"version": 2, "status": "done", "note": "Visited"}, content_type="application/json",
        **headers,
    )  # fmt: skip
    assert (done.status_code, done.json()["status"], done.json()["completion_note"]) == (200, "done", "Visited")


def test_bad_updates_are_422_naming_the_rule(client, walsall_partner, action):
    headers = bearer(walsall_partner)
    no_note = client.patch(
        f"{ACTIONS}/{action.pk}", {"version": 1, "status": "done"}, content_type="application/json", **headers
    )
    assert no_note.status_code == 422
    assert no_note.json()["detail"] == [
        {"type": "value_error", "loc": ["body", "payload", "note"], "msg": "Say what was done to complete the action."}
    ]
    bad_status = client.patch(
        f"{ACTIONS}/{action.pk}", {"version": 1, "status": "finished"}, content_type="application/json", **headers
    )
    assert bad_status.status_code == 422
    assert "Choose open or in progress" in bad_status.json()["detail"][0]["msg"]


def test_others_may_not_update(client, mace_chair, school_outsider, walsall_partner, action, police_action):
    payload = {"version": 1, "note": "x"}
    assert (
        client.patch(
            f"{ACTIONS}/{action.pk}", payload, content_type="application/json", **bearer(mace_chair)
        ).status_code
        == 403
    )  # Sandwell sees the case, but the action is Walsall's
    assert (
        client.patch(
            f"{ACTIONS}/{action.pk}", payload, content_type="application/json", **bearer(school_outsider)
        ).status_code
        == 404
    )
    cancel = client.patch(
        f"{ACTIONS}/{action.pk}", {"version": 1, "status": "cancelled", "note": "No"}, content_type="application/json",
        **bearer(walsall_partner),
    )  # fmt: skip
    assert cancel.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
