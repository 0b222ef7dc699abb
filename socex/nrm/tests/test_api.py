"""/api/v1/nrm/: start a referral, record the submission and decisions, read the status; with the same
rules and access as the pages."""

import datetime as dt

import pytest

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event
from socex.core.testing.factories import in_days
from socex.nrm.models import DutyToNotify, NrmReferral
from socex.nrm.tests.helpers import make_person, start, submitted

pytestmark = pytest.mark.django_db

API = "/api/v1/nrm"


def bearer(user):
    _, secret = api_token_create(user=user, name="nrm tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _payload(person, **values):
    base = {
        "person_id": person.pk,
        "under_18": "yes",
        "lpa": "E08000030",
        "exploitation_types": ["forced-to-commit-crime"],
        "location": "uk",
        "uk_locations": ["Walsall"],
        "county_lines": True,
    }
    return base | values


def _post(client, url, payload, headers):
    return client.post(url, payload, content_type="application/json", **headers)


def test_create_submit_decide_and_read_the_status(client, hub_officer, first_responders, child, walsall):
    headers = bearer(hub_officer)
    created = _post(client, f"{API}/referrals", _payload(child, referred_on="2024-12-20"), headers)
    assert created.status_code == 201
    body = created.json()
    assert body["kind"] == "referral"
    assert body["reference"].startswith("NRM-")
    url = f"{API}/referrals/{body['id']}"
    submitted_ = _post(client, f"{url}/submission", {"submitted_on": "2024-12-20", "ho_reference": "HO-9"}, headers)
    assert submitted_.status_code == 200
    status = submitted_.json()
    assert (status["status"], status["rg_due"], status["ho_reference"]) == ("awaiting_rg", "2024-12-31", "HO-9")
    assert status["rg_overdue"] is True  # long past
    decided = _post(
        client,
        f"{url}/decisions",
        {"stage": "rg", "outcome": "positive", "decided_on": "2025-01-03", "decision_maker": "sca"},
        headers,
    )
    assert decided.status_code == 201
    status = client.get(url, **headers).json()
    assert status["status"] == "awaiting_cg"
    assert status["recovery_period_end"] == "2025-02-02"
    assert status["decisions"][0]["decision_maker_label"] == "Single Competent Authority"
    assert status["rg_working_days"] == 7
    assert Event.objects.filter(action=Action.VIEW, object_id=body["id"]).exists()


def test_a_cg_inside_the_recovery_period_is_a_422_naming_the_rule(
    client, hub_officer, first_responders, child, walsall
):
    referral = submitted(hub_officer, child, walsall, dt.date(2022, 12, 1))
    headers = bearer(hub_officer)
    url = f"{API}/referrals/{referral.pk}/decisions"
    _post(
        client,
        url,
        {"stage": "rg", "outcome": "positive", "decided_on": "2022-12-12", "decision_maker": "sca"},
        headers,
    )
    refused = _post(
        client,
        url,
        {"stage": "cg", "outcome": "positive", "decided_on": "2023-01-25", "decision_maker": "sca"},
        headers,
    )
    assert refused.status_code == 422
    [detail] = refused.json()["detail"]
    assert detail["loc"] == ["body", "payload", "decided_on"]
    assert detail["msg"].startswith("Minimum recovery period:")
    assert "26 January 2023" in detail["msg"]


def test_an_adult_without_consent_is_a_422_and_a_refusal_makes_a_dtn(client, hub_officer, first_responders, adult):
    headers = bearer(hub_officer)
    refused = _post(client, f"{API}/referrals", _payload(adult, under_18="no"), headers)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"].startswith("Consent: an adult must give informed consent")
    created = _post(client, f"{API}/referrals", _payload(adult, under_18="no", consent="refused"), headers)
    assert created.status_code == 201
    assert created.json()["kind"] == "dtn"
    report = DutyToNotify.objects.get()
    read = client.get(f"{API}/dtn/{report.pk}", **headers).json()
    assert read["reference"] == report.reference
    assert "person_id" not in read
    assert not NrmReferral.objects.exists()


def test_a_non_first_responder_is_a_422(client, school_outsider, first_responders):
    from socex.accounts.models import Role

    school_outsider.roles.add(Role.objects.get(code="partner-practitioner"))
    role = Role.objects.create(code="nrm-only", name="NRM only", capabilities=["nrm.manage", "person.view"])
    school_outsider.roles.add(role)
    pupil = make_person(school_outsider, dob=dt.date(2011, 5, 5), given="Jay", family="Brown")
    refused = _post(client, f"{API}/referrals", _payload(pupil), bearer(school_outsider))
    assert refused.status_code == 422
    assert "First responder list" in refused.json()["detail"][0]["msg"]


def test_access_works_outsider_404_read_only_403(
    client, hub_detective, walsall_nrm_lead, walsall_partner, school_outsider, walsall
):
    from socex.accounts.models import Role

    person = make_person(walsall_nrm_lead, dob=dt.date(2011, 4, 4), given="Mia", family="Jones")
    referral = submitted(walsall_nrm_lead, person, walsall, in_days(-2))
    url = f"{API}/referrals/{referral.pk}"
    decision = {"stage": "rg", "outcome": "positive", "decided_on": in_days(0).isoformat(), "decision_maker": "sca"}
    # Works: the hub and the referring first responder read and change it.
    assert client.get(url, **bearer(hub_detective)).status_code == 200
    assert _post(client, f"{url}/decisions", decision, bearer(walsall_nrm_lead)).status_code == 201
    # Read only: the referring organisation's case worker reads it but cannot change it.
    partner = bearer(walsall_partner)
    assert client.get(url, **partner).status_code == 200
    cg = decision | {"stage": "cg", "outcome": "withdrawn"}
    assert _post(client, f"{url}/decisions", cg, partner).status_code == 403
    assert _post(client, f"{url}/submission", {"submitted_on": "2024-01-01"}, partner).status_code == 403
    # Outsider: another organisation, even one holding the NRM role, gets a 404.
    school_outsider.roles.add(Role.objects.create(code="nrm-only", name="NRM only", capabilities=["nrm.manage"]))
    outsider = bearer(school_outsider)
    assert client.get(url, **outsider).status_code == 404
    assert _post(client, f"{url}/decisions", cg, outsider).status_code == 404
    assert _post(client, f"{url}/submission", {"submitted_on": "2024-01-01"}, outsider).status_code == 404
    assert referral.decisions.count() == 1


def test_the_list_is_paged_from_what_the_user_may_see_and_audited(
    client, hub_officer, walsall_nrm_lead, first_responders, child, walsall
):
    start(hub_officer, child, walsall)
    mine = start(walsall_nrm_lead, make_person(walsall_nrm_lead, dob=dt.date(2011, 4, 4), given="Mia"), walsall)
    body = client.get(f"{API}/referrals", **bearer(walsall_nrm_lead)).json()
    assert body["count"] == 1
    assert body["items"][0]["reference"] == mine.reference
    export = Event.objects.filter(action=Action.EXPORT).latest("id")
    assert export.detail["channel"] == "api"
    assert export.export_count == 1
    assert client.get(f"{API}/referrals", {"status": "draft"}, **bearer(hub_officer)).json()["count"] == 2


def test_a_person_the_user_may_not_see_is_a_404(client, walsall_nrm_lead, child):
    assert _post(client, f"{API}/referrals", _payload(child), bearer(walsall_nrm_lead)).status_code == 404


def test_no_nrm_role_403_and_no_token_401(client, vrp_officer, child):
    assert _post(client, f"{API}/referrals", _payload(child), bearer(vrp_officer)).status_code == 403
    assert client.get(f"{API}/referrals").status_code == 401
