"""Funding per head by LPA, and children reached from hub cases counted only as suppressed totals."""

import datetime as dt
from decimal import Decimal

import pytest

from socex.areas.models import LPA, LSOA
from socex.cases.services import case_create
from socex.funding import reports, services
from socex.funding.tests.conftest import YEAR
from socex.people.details import PersonDetails
from socex.people.services import person_create

pytestmark = pytest.mark.django_db


def test_funding_per_head_and_per_young_person_by_lpa(budget, care, walsall):
    LSOA.objects.create(
        code="E01000001", name="Walsall 001A", lpa=walsall, population=1600, population_0_15=400, population_16_24=200
    )
    LSOA.objects.create(
        code="E01000002", name="Walsall 001B", lpa=walsall, population=1500, population_0_15=300, population_16_24=100
    )
    by_lpa = {row.lpa.name: row for row in reports.funding_by_lpa(YEAR)}
    assert len(by_lpa) == LPA.objects.count()
    walsall_row = by_lpa["Walsall"]
    assert walsall_row.allocated == Decimal("35000.00")
    assert walsall_row.per_head == (Decimal("35000") / walsall.population).quantize(Decimal("0.01"))
    assert walsall_row.young_residents == 1000
    assert walsall_row.per_young_person == Decimal("35.00")
    assert by_lpa["Dudley"].allocated == Decimal("0.00")
    assert by_lpa["Dudley"].per_head == Decimal("0.00")


def _case_about(officer, n):
    person = person_create(actor=officer, details=PersonDetails(given_name=f"Child{n}", family_name="Example"))
    return case_create(
        actor=officer, subjects=[person], lead_agency=officer.organisation, lpa=LPA.objects.get(name="Walsall")
    )


def test_children_referred_from_cases_are_a_total_suppressed_outside_the_police(hub_officer, care):
    for n in range(3):
        services.intervention_refer(
            actor=hub_officer, allocation=care, case=_case_about(hub_officer, n), referred_on=dt.date(YEAR, 6, 1)
        )
    assert reports.referred_from_cases(care, police=True) == 3
    assert reports.referred_from_cases(care, police=False) == "*"
    for n in range(3, 6):
        services.intervention_refer(
            actor=hub_officer, allocation=care, case=_case_about(hub_officer, n), referred_on=dt.date(YEAR, 6, 1)
        )
    assert reports.referred_from_cases(care, police=False) == 6


def test_a_case_cannot_be_referred_twice_or_to_a_project_that_takes_no_referrals(
    hub_officer, vrp_officer, budget, care, walsall_partner
):
    case = _case_about(hub_officer, 1)
    services.intervention_refer(actor=hub_officer, allocation=care, case=case, referred_on=dt.date(YEAR, 6, 1))
    with pytest.raises(Exception, match="already been referred"):
        services.intervention_refer(actor=hub_officer, allocation=care, case=case, referred_on=dt.date(YEAR, 6, 2))
    other = services.allocation_create(
        actor=vrp_officer, budget=budget, project="Training", lead=walsall_partner.organisation, amount="10"
    )
    with pytest.raises(Exception, match="does not take referrals"):
        services.intervention_refer(actor=hub_officer, allocation=other, case=case, referred_on=dt.date(YEAR, 6, 1))
    assert case.chronology.filter(category="referral", summary__startswith="Referred to CARE Project").count() == 1


def test_a_case_editor_refers_a_case_from_its_page_and_outsiders_cannot(signed_in, hub_officer, school_outsider, care):
    from django.urls import reverse

    case = _case_about(hub_officer, 9)
    url = reverse("funding:refer_case", args=[case.pk])
    assert signed_in(school_outsider).post(url, {"allocation": care.pk}).status_code == 404
    response = signed_in(hub_officer).post(url, {"allocation": care.pk, "next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert reports.referred_from_cases(care, police=True) == 1
    offsite = signed_in(hub_officer).post(url, {"allocation": care.pk, "next": "https://evil.example/"})
    assert offsite["Location"] == reverse("funding:overview")
