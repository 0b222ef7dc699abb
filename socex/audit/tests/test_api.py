"""GET /api/v1/audit/events: auditors only, same filters as the page, searches logged."""

import pytest

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event
from socex.audit.services import record

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/audit/events"


def bearer(user):
    _, secret = api_token_create(user=user, name="audit tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def viewed(hub_detective, walsall_partner):
    record(Action.VIEW, actor=hub_detective, object_type="areas.hub", object_id="7", justification="MACE prep")
    record(Action.VIEW, actor=walsall_partner, object_type="areas.hub", object_id="7")
    return "7"


def test_auditor_lists_events_with_filters(client, auditor, viewed):
    response = client.get(
        EVENTS, {"object_type": "areas.hub", "object_id": viewed, "user": "walsall"}, **bearer(auditor)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["actor_label"] == "earlyhelp@walsall.example"
    assert item["action"] == "view"
    assert len(item["hash"]) == 64


def test_each_page_is_logged_as_an_export_with_its_filters(client, auditor, viewed):
    body = client.get(EVENTS, {"action": "view", "limit": 1}, **bearer(auditor)).json()
    assert (body["count"], len(body["items"])) == (2, 1)
    export = Event.objects.filter(action=Action.EXPORT).order_by("-id").first()
    assert export.actor_id == auditor.pk
    assert (export.object_type, export.search_terms, export.export_count) == ("audit.event", "Action: Viewed", 1)
    assert export.detail == {"channel": "api", "filters": {"Action": "Viewed"}, "offset": 0, "limit": 1, "total": 2}


def test_the_export_event_is_not_in_the_page_it_describes(client, auditor, viewed):
    body = client.get(EVENTS, **bearer(auditor)).json()
    assert Action.EXPORT not in {item["action"] for item in body["items"]}


@pytest.mark.parametrize("persona", ["hub_detective", "school_outsider"])
def test_non_auditors_are_refused(client, request, persona, viewed):
    response = client.get(EVENTS, **bearer(request.getfixturevalue(persona)))
    assert response.status_code == 403
    assert "audit.view" in response.json()["detail"]


def test_no_token_no_events(client, viewed):
    assert client.get(EVENTS).status_code == 401


def test_a_bad_filter_is_named(client, auditor):
    response = client.get(EVENTS, {"action": "teleport"}, **bearer(auditor))
    assert response.status_code == 422
    assert "action" in response.json()["detail"]
    impossible = client.get(EVENTS, {"date_from": "2024-02-30"}, **bearer(auditor))
    assert impossible.status_code == 422


def test_one_event_for_an_auditor_and_its_read_is_logged(client, auditor, viewed):
    event = Event.objects.filter(action=Action.VIEW).order_by("id").first()
    response = client.get(f"{EVENTS}/{event.pk}", **bearer(auditor))
    assert response.status_code == 200
    assert response.json()["justification"] == "MACE prep"
    read = Event.objects.order_by("-id").first()
    assert (read.action, read.object_id, read.actor_id) == (Action.VIEW, str(event.pk), auditor.pk)


def test_one_event_is_a_404_for_anyone_else(client, hub_detective, viewed):
    event = Event.objects.filter(action=Action.VIEW).first()
    assert client.get(f"{EVENTS}/{event.pk}", **bearer(hub_detective)).status_code == 404
