"""Fixtures for the cases tests: a child known to the hub, a case about them led by West Midlands
Police and shared with Walsall Early Help, and a Walsall-led case whose partner staff may edit it.

Documents are stored in a temporary folder for every test, never under var/.
"""

from __future__ import annotations

import datetime as dt

import pytest

from socex.accounts.models import Organisation, Role
from socex.areas.models import LPA
from socex.cases.models import Case
from socex.cases.services import case_create
from socex.core.testing.factories import UserFactory, in_days
from socex.people.details import PersonDetails
from socex.people.models import Person
from socex.people.services import person_create
from socex.sharing.models import LegalBasis, Share
from socex.sharing.services import share_grant


@pytest.fixture(autouse=True)
def _private_documents(settings, tmp_path):
    settings.SOCEX_CASE_DOCUMENTS_DIR = tmp_path / "case-documents"
    return settings.SOCEX_CASE_DOCUMENTS_DIR


def make_person(actor, given="Kieran", family="Smith", dob=dt.date(2011, 2, 3)) -> Person:
    return person_create(
        actor=actor, details=PersonDetails(given_name=given, family_name=family, date_of_birth=dob, postcodes=[])
    )


@pytest.fixture
def kieran(hub_officer) -> Person:
    return make_person(hub_officer)


@pytest.fixture
def case(hub_officer, kieran) -> Case:
    """CASE-...-000001: Kieran Smith, Walsall, led by West Midlands Police, keyworker the Coventry hub officer."""
    return case_create(
        actor=hub_officer,
        subjects=[kieran],
        lead_agency=hub_officer.organisation,
        lpa=LPA.objects.get(name="Walsall"),
        risk_level="at_risk",
        exploitation_types=["cce", "county_lines"],
        summary="Found in a trap house in Walsall; missing three times in May.",
        keyworker=hub_officer,
    )


def share_case(case: Case, sharer, partner, *, days: int = 30) -> Share:
    return share_grant(
        actor=sharer,
        obj=case,
        organisation=partner.organisation,
        legal_basis=LegalBasis.objects.get(code="children-act-1989-s47"),
        scope="Case summary, risk reviews and chronology for the Walsall MACE meeting",
        until=in_days(days),
    )


@pytest.fixture
def shared_case(case, hub_officer, walsall_partner) -> Case:
    """The case, shared with Walsall Council Early Help for 30 days."""
    share_case(case, hub_officer, walsall_partner)
    return case


@pytest.fixture
def lead_partner(walsall_partner):
    """A Walsall Early Help team manager who may change cases (case.edit) their agency leads."""
    role, _ = Role.objects.get_or_create(
        code="partner-case-lead",
        defaults={"name": "Partner case lead", "capabilities": ["case.view_shared", "case.edit", "person.view"]},
    )
    return UserFactory(
        email="manager@walsall.example",
        full_name="Priya Shah",
        organisation=walsall_partner.organisation,
        roles=[role.code],
    )


@pytest.fixture
def walsall_case(lead_partner) -> Case:
    """A case Walsall Early Help leads, about a child their own staff added."""
    child = make_person(lead_partner, given="Maya", family="Jones", dob=dt.date(2010, 5, 6))
    return case_create(
        actor=lead_partner,
        subjects=[child],
        lead_agency=lead_partner.organisation,
        lpa=LPA.objects.get(name="Walsall"),
        exploitation_types=["cse"],
        keyworker=lead_partner,
    )


def walsall(org_name: str = "Walsall Council Early Help") -> Organisation:
    return Organisation.objects.get(name=org_name)
