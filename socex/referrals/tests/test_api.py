"""/api/v1/referrals/: a council system sends a referral and reads its outcome, with the rules of
the form; bad input is a 422 naming each field and rule, and writes nothing."""

import pytest
from django.utils import timezone

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event
from socex.people.models import Person
from socex.referrals.models import Referral
from socex.referrals.services import referral_triage

from .conftest import answers

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


def bearer(user):
    _, secret = api_token_create(user=user, name="council system")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def body(**changes):
    base = {
        "subjects": [{"given_name": "Mason", "family_name": "Reid", "date_of_birth": "2011", "postcode": "ws2 8aa"}],
        "lpa": "E08000030",
        "exploitation_types": ["cce"],
        "concern_summary": "Found in Shrewsbury with cash and two phones.",
        "screening_answers": answers(missing_episodes="current"),
        "child_aware": "yes",
        "family_aware": "not_known",
        "immediate_risks": "None known",
    }
    return base | changes


def post(client, user, payload):
    return client.post(URL, payload, content_type="application/json", **bearer(user))


def test_a_council_system_sends_a_referral_and_gets_its_reference(client, walsall_partner):
    response = post(client, walsall_partner, body())
    assert response.status_code == 201
    data = response.json()
    assert data["reference"] == f"REF-{timezone.localdate().year}-000001"
    assert (data["status"], data["suggested_level"], data["confirmed_level"]) == (
        "submitted",
        "significant",
        "significant",
    )
    assert (data["tool_version"], data["lpa"], data["referrer_agency"]) == (
        "1",
        "E08000030",
        "Walsall Council Early Help",
    )
    [subject] = data["subjects"]
    person = Person.objects.get(given_name="Mason")
    assert subject == {"name": "Mason Reid", "person_reference": person.reference}
    assert person.addresses.get().postcode == "WS2 8AA"
    assert Referral.objects.get().submitted_at is not None


def test_a_person_from_the_index_is_referred_by_id(client, walsall_partner, leah):
    response = post(client, walsall_partner, body(subjects=[{"person_id": leah.pk}]))
    assert response.json()["subjects"] == [{"name": "Leah Ward", "person_reference": leah.reference}]


def test_someone_the_caller_cannot_see_is_refused_as_if_unknown(client, walsall_partner, kieran):
    response = post(client, walsall_partner, body(subjects=[{"person_id": kieran.pk}]))
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["body", "payload", "subjects", 0, "person_id"],
            "msg": f"There is no person {kieran.pk} that you can see.",
        }
    ]
    assert not Referral.objects.exists()


def test_every_bad_field_is_named_and_nothing_is_written(client, walsall_partner):
    screening = answers()
    del screening["drug_misuse"]
    response = post(
        client,
        walsall_partner,
        body(
            exploitation_types=["cce", "knife_crime"],
            screening_answers=screening,
            child_aware="maybe",
            immediate_risks="",
        ),
    )
    assert response.status_code == 422
    errors = {tuple(item["loc"][2:]): item["msg"] for item in response.json()["detail"]}
    assert errors[("exploitation_types",)] == "Unknown exploitation concern: knife_crime."
    assert (
        errors[("screening_answers", "drug_misuse")] == "Say whether 'Drug misuse' is current, earlier or not present."
    )
    assert "Answer yes, no or not known" in errors[("child_aware",)]
    assert not Referral.objects.exists()
    assert not Person.objects.exists()


def test_bad_subject_details_and_area_are_named(client, walsall_partner):
    response = post(
        client,
        walsall_partner,
        body(subjects=[{"given_name": "Mason", "date_of_birth": "31/02/2011"}, {"postcode": "WS2 8AA"}], lpa="W99"),
    )
    errors = {tuple(item["loc"][2:]): item["msg"] for item in response.json()["detail"]}
    assert "31/02/2011 does not exist" in errors[("subjects", 0, "date_of_birth")]
    assert "Give the person's first or last name" in errors[("subjects", 1)]
    assert errors[("lpa",)] == "There is no local policing area with the ONS code 'W99'."


def test_a_level_other_than_the_suggestion_needs_a_reason(client, walsall_partner):
    refused = post(client, walsall_partner, body(confirmed_level="at_risk"))
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["loc"] == ["body", "payload", "override_reason"]
    assert "a changed level needs a reason" in error["msg"]
    accepted = post(client, walsall_partner, body(confirmed_level="at_risk", override_reason="Known and settled."))
    assert accepted.json()["confirmed_level"] == "at_risk"
    assert accepted.json()["override_reason"] == "Known and settled."


def test_the_referrer_reads_the_outcome_and_reason(client, walsall_partner, hub_officer):
    created = post(client, walsall_partner, body()).json()
    referral = Referral.objects.get(pk=created["id"])
    referral = referral_triage(
        actor=hub_officer,
        referral=referral,
        outcome="new_case",
        reason="Open a case.",
        lead_agency=hub_officer.organisation,
    )
    one = client.get(f"{URL}{referral.pk}", **bearer(walsall_partner)).json()
    assert (one["status"], one["triage_outcome"], one["triage_reason"]) == ("triaged", "new_case", "Open a case.")
    assert one["triage_outcome_label"] == "Accepted into a new case"
    assert one["case_reference"] == referral.case.reference
    assert Event.objects.filter(action=Action.VIEW, object_id=str(referral.pk), actor_id=walsall_partner.pk).exists()
    triaged = client.get(URL, {"status": "triaged"}, **bearer(walsall_partner)).json()
    assert [item["reference"] for item in triaged["items"]] == [referral.reference]
    bad = client.get(URL, {"status": "lost"}, **bearer(walsall_partner))
    assert bad.status_code == 422


def test_the_screening_tool_lists_its_indicators(client, walsall_partner):
    tool = client.get(f"{URL}screening-tool", **bearer(walsall_partner)).json()
    assert tool["version"] == "1"
    assert tool["timings"]["earlier"] == "More than 6 months ago"
    assert [g["code"] for g in tool["groups"]] == ["significant", "other"]
    assert tool["groups"][0]["indicators"][0]["code"] == "missing_episodes"
