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


def test_filters_work_and_each_page_is_logged_as_an_export_with_them(client, hub_detective, share):
    headers = bearer(hub_detective)
    assert client.get(SHARES, {"status": "revoked"}, **headers).json()["count"] == 0
    assert client.get(SHARES, {"status": "active", "direction": "made"}, **headers).json()["count"] == 1
    export = Event.objects.filter(action=Action.EXPORT).order_by("-id").first()
    assert export.search_terms == "Direction: Shared by your organisation; Status: Active"
    assert (export.object_type, export.export_count, export.actor_id) == ("sharing.share", 1, hub_detective.pk)
    assert export.detail == {
        "channel": "api",
        "filters": {"Direction": "Shared by your organisation", "Status": "Active"},
        "offset": 0,
        "limit": 100,
        "total": 1,
    }


def test_an_unfiltered_page_is_logged_too_so_paging_through_the_ledger_leaves_a_trail(client, walsall_partner, share):
    headers = bearer(walsall_partner)
    assert client.get(SHARES, {"offset": 1}, **headers).json() == {"items": [], "count": 1}
    export = Event.objects.get(action=Action.EXPORT)
    assert (export.export_count, export.search_terms, export.detail["offset"]) == (0, "", 1)


def test_a_page_larger_than_the_limit_is_refused(client, hub_detective, share):
    response = client.get(SHARES, {"limit": 501}, **bearer(hub_detective))
    assert response.status_code == 422
    assert not Event.objects.filter(action=Action.EXPORT).exists()


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
