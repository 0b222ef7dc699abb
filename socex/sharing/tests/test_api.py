"""GET /api/v1/sharing/shares and /shares/{id}: the same rules as the ledger pages."""

import pytest

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event

pytestmark = pytest.mark.django_db

SHARES = "/api/v1/sharing/shares"


def bearer(user):
    _, secret = api_token_create(user=user, name="sharing tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_recipient_lists_the_share(client, walsall_partner, share):
    response = client.get(SHARES, **bearer(walsall_partner))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["reference"] == share.reference
    assert item["shared_with"]["name"] == "Walsall Council Early Help"
    assert item["shared_by_organisation"]["name"] == "West Midlands Police"
    assert item["record_type"] == "areas.hub"
    assert item["legal_basis_code"] == "children-act-1989-s47"
    assert item["status"] == "Active"


def test_an_unrelated_school_lists_nothing_and_gets_404_for_the_share(client, school_outsider, share):
    headers = bearer(school_outsider)
    assert client.get(SHARES, **headers).json()["count"] == 0
    assert client.get(f"{SHARES}/{share.pk}", **headers).status_code == 404


def test_no_ledger_role_is_refused(client, vrp_officer, share):
    assert client.get(SHARES, **bearer(vrp_officer)).status_code == 403


def test_filters_and_their_search_is_logged(client, hub_detective, share):
    headers = bearer(hub_detective)
    assert client.get(SHARES, {"status": "revoked"}, **headers).json()["count"] == 0
    assert client.get(SHARES, {"status": "active", "direction": "made"}, **headers).json()["count"] == 1
    search = Event.objects.filter(action=Action.SEARCH).order_by("-id").first()
    assert search.search_terms == "Direction: Shared by your organisation; Status: Active"


def test_a_bad_filter_is_a_422_naming_it(client, hub_detective, share):
    response = client.get(SHARES, {"status": "forever"}, **bearer(hub_detective))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("status:")


def test_one_share_and_its_read_is_audited(client, walsall_partner, share):
    response = client.get(f"{SHARES}/{share.pk}", **bearer(walsall_partner))
    assert response.status_code == 200
    assert response.json()["scope"] == "Hub contact list for the MACE meeting"
    view = Event.objects.filter(action=Action.VIEW).order_by("-id").first()
    assert (view.object_id, view.actor_id) == (str(share.pk), walsall_partner.pk)


def test_no_token_is_401(client, share):
    assert client.get(SHARES).status_code == 401
