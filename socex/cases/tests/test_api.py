"""/api/v1/cases/: the cases shared with the caller's agency, one case with its subjects and
chronology, and the chronology list, with the same rules as the pages."""

import pytest

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event
from socex.cases.services import chronology_note_add, risk_review_add

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def bearer(user):
    _, secret = api_token_create(user=user, name="cases tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _last(action):
    return Event.objects.filter(action=action).order_by("-id").first()


@pytest.mark.parametrize(
    ("persona", "count"), [("hub_detective", 1), ("walsall_partner", 1), ("school_outsider", 0), ("analyst", 1)]
)
def test_the_list_holds_only_the_cases_the_callers_agency_may_see(client, request, shared_case, persona, count):
    response = client.get(CASES, **bearer(request.getfixturevalue(persona)))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == count
    if count:
        [item] = body["items"]
        assert item["reference"] == shared_case.reference
        assert item["subjects"][0]["display_name"] == "Kieran Smith"
        assert item["lead_agency"]["name"] == "West Midlands Police"
    export = _last(Action.EXPORT)
    assert (export.object_type, export.export_count, export.detail["channel"]) == ("cases.case", count, "api")


def test_someone_without_a_cases_role_is_refused(client, vrp_officer, shared_case):
    response = client.get(CASES, **bearer(vrp_officer))
    assert response.status_code == 403
    assert response.json()["detail"] == "Your roles do not include cases."
    assert client.get(f"{CASES}{shared_case.pk}", **bearer(vrp_officer)).status_code == 404


def test_list_filters_and_a_bad_one_named(client, hub_detective, shared_case):
    headers = bearer(hub_detective)
    assert client.get(CASES, {"exploitation_type": "cse"}, **headers).json()["count"] == 0
    assert client.get(CASES, {"exploitation_type": "cce"}, **headers).json()["count"] == 1
    assert _last(Action.EXPORT).search_terms == "Type of exploitation: Child criminal exploitation"
    bad = client.get(CASES, {"risk_level": "grave"}, **headers)
    assert bad.status_code == 422
    assert "risk_level: Choose one of the options for risk level" in bad.json()["detail"]


def test_one_case_with_subjects_agencies_risk_and_chronology_and_its_read_audited(
    client, walsall_partner, hub_officer, shared_case
):
    from django.utils import timezone

    risk_review_add(
        actor=hub_officer, case=shared_case, level="significant", reviewed_on=timezone.localdate(), reason="Why"
    )
    response = client.get(f"{CASES}{shared_case.pk}", **bearer(walsall_partner))
    assert response.status_code == 200
    body = response.json()
    assert body["risk_level"] == "significant"
    assert body["participants"][0]["organisation"]["name"] == "Walsall Council Early Help"
    assert body["participants"][0]["legal_basis"]
    assert body["risk_reviews"][0]["reason"] == "Why"
    assert [entry["category"] for entry in body["chronology"]] == ["risk_review", "case"]
    view = _last(Action.VIEW)
    assert (view.object_type, view.object_id, view.actor_id) == ("cases.case", str(shared_case.pk), walsall_partner.pk)


def test_a_case_not_shared_is_a_404_for_a_partner(client, school_outsider, shared_case):
    assert client.get(f"{CASES}{shared_case.pk}", **bearer(school_outsider)).status_code == 404
    assert client.get(f"{CASES}{shared_case.pk}/chronology", **bearer(school_outsider)).status_code == 404


def test_the_chronology_pages_are_audited_exports_with_filters(client, walsall_partner, shared_case):
    from django.utils import timezone

    chronology_note_add(
        actor=walsall_partner, case=shared_case, category="home_visit", occurred_at=timezone.now(), summary="Visit"
    )
    headers = bearer(walsall_partner)
    response = client.get(f"{CASES}{shared_case.pk}/chronology", {"kind": "practitioner"}, **headers)
    assert response.status_code == 200
    body = response.json()
    assert [item["summary"] for item in body["items"]] == ["Visit"]
    assert body["items"][0]["agency"] == "Walsall Council Early Help"
    export = _last(Action.EXPORT)
    assert export.search_terms == f"Case: {shared_case.reference}; Entered by: Practitioner entry"
    bad = client.get(
        f"{CASES}{shared_case.pk}/chronology", {"date_from": "2026-02-01", "date_to": "2026-01-01"}, **headers
    )
    assert bad.status_code == 422
    assert "Date to must be the same as or after date from" in bad.json()["detail"]
