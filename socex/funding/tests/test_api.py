"""Funding API: VRP staff read budgets, allocations and awards; a lead organisation reads its own
allocations and submits monitoring returns; bad returns are a 422 naming the rule."""

import pytest

from socex.audit.models import Action, Event
from socex.funding.models import MonitoringReturn
from socex.funding.tests.conftest import YEAR

pytestmark = pytest.mark.django_db

RETURN = {
    "financial_year": YEAR,
    "quarter": 1,
    "young_people_reached": 9,
    "sessions_delivered": 21,
    "outcomes": "Two back in school",
}


def test_vrp_staff_read_budgets_and_allocations_with_amounts_as_exact_strings(api, vrp_officer, budget, care):
    get, _ = api(vrp_officer)
    budgets = get("budgets", financial_year=YEAR).json()
    assert budgets["count"] == 1
    assert budgets["items"][0]["amount"] == "50000.00"
    assert budgets["items"][0]["financial_year"] == "2024/25"
    allocations = get("allocations").json()["items"]
    assert [(a["project"], a["lead"], a["amount"]) for a in allocations] == [
        ("CARE Project", "Walsall Council Early Help", "35000.00")
    ]
    assert Event.objects.filter(action=Action.EXPORT, object_type="funding.budget").exists()


def test_a_lead_organisation_reads_only_its_allocations_and_no_budgets(api, walsall_partner, care):
    get, _ = api(walsall_partner)
    assert [a["id"] for a in get("allocations").json()["items"]] == [care.pk]
    assert get("budgets").json()["count"] == 0
    assert get(f"allocations/{care.pk}").json()["project"] == "CARE Project"


def test_outsiders_are_refused(api, school_outsider, care):
    get, post = api(school_outsider)
    assert get("allocations").status_code == 403
    assert get(f"allocations/{care.pk}").status_code == 404
    assert post(f"allocations/{care.pk}/monitoring-returns", RETURN).status_code == 404


def test_a_lead_organisation_submits_a_return_once(api, walsall_partner, care):
    _, post = api(walsall_partner)
    response = post(f"allocations/{care.pk}/monitoring-returns", RETURN)
    assert response.status_code == 201
    assert response.json()["young_people_reached"] == 9
    again = post(f"allocations/{care.pk}/monitoring-returns", RETURN)
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "payload", "quarter"]
    assert "already been submitted" in again.json()["detail"][0]["msg"]
    assert MonitoringReturn.objects.count() == 1


def test_a_bad_return_names_the_field(api, walsall_partner, care):
    _, post = api(walsall_partner)
    response = post(f"allocations/{care.pk}/monitoring-returns", {**RETURN, "quarter": 5})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Choose quarter 1, 2, 3 or 4."


def test_a_read_only_funding_user_cannot_submit_returns(api, supervisor, care):
    _, post = api(supervisor)
    assert post(f"allocations/{care.pk}/monitoring-returns", RETURN).status_code == 403
