"""Fixtures for the safeguarding tests.

The cast, and who they are to ``case`` (Kieran Smith, Walsall, led by West Midlands Police and
shared with Walsall Council Early Help and Sandwell Children's Trust):

* ``hub_officer``: hub staff (police, ``case.view_all`` + ``case.edit``): sees and changes everything;
* ``walsall_partner``: a participating partner (Walsall Early Help, the case is shared with it);
* ``school_outsider``: a non-participating partner (a Dudley school: nothing is shared with it);
* ``vrp_officer``: an outsider (no case or safeguarding roles at all);
* ``analyst``: police who see every case but change none (read-only: 403 on changes);
* ``mace_chair``: runs MACE meetings for Sandwell Children's Trust (the case is shared with it too).
"""

from __future__ import annotations

import datetime as dt

import pytest

from socex.areas.models import LPA
from socex.cases.models import Case
from socex.cases.services import case_create
from socex.core.testing.factories import in_days
from socex.people.details import PersonDetails
from socex.people.models import Person
from socex.people.services import person_create
from socex.safeguarding import services
from socex.safeguarding.models import Action, Meeting
from socex.sharing.models import LegalBasis, Share
from socex.sharing.services import share_grant


def make_person(actor, given="Kieran", family="Smith", dob=dt.date(2011, 2, 3)) -> Person:
    return person_create(
        actor=actor, details=PersonDetails(given_name=given, family_name=family, date_of_birth=dob, postcodes=[])
    )


def make_case(actor, subject: Person, *, lpa: str = "Walsall", lead=None) -> Case:
    return case_create(
        actor=actor,
        subjects=[subject],
        lead_agency=lead or actor.organisation,
        lpa=LPA.objects.get(name=lpa),
        risk_level="at_risk",
        exploitation_types=["cce"],
        summary="Seen at a trap house; missing three times.",
    )


def share_case(case: Case, sharer, organisation, *, days: int = 30) -> Share:
    return share_grant(
        actor=sharer,
        obj=case,
        organisation=organisation,
        legal_basis=LegalBasis.objects.get(code="children-act-1989-s47"),
        scope="Case summary and plan for the MACE meeting",
        until=in_days(days),
    )


@pytest.fixture
def kieran(hub_officer) -> Person:
    return make_person(hub_officer)


@pytest.fixture
def case(hub_officer, kieran, walsall_partner, mace_chair) -> Case:
    """Kieran Smith's case: Walsall, led by West Midlands Police, shared with Walsall Early Help
    and Sandwell Children's Trust (the MACE chair's agency)."""
    case = make_case(hub_officer, kieran)
    share_case(case, hub_officer, walsall_partner.organisation)
    share_case(case, hub_officer, mace_chair.organisation)
    return case


@pytest.fixture
def other_case(hub_officer) -> Case:
    """A Birmingham case led by West Midlands Police and shared with no one."""
    return make_case(hub_officer, make_person(hub_officer, "Leon", "Parry", dt.date(2010, 5, 6)), lpa="Birmingham")


@pytest.fixture
def action(hub_officer, walsall_partner, case) -> Action:
    """A Walsall Early Help action, owned by Jo Bennett, due in 10 days."""
    return services.action_create(
        actor=hub_officer,
        case=case,
        description="Home visit with mum to discuss the plan",
        owner_agency=walsall_partner.organisation,
        owner=walsall_partner,
        due_date=in_days(10),
    )


@pytest.fixture
def meeting(mace_chair, walsall_partner, wmp) -> Meeting:
    """Sandwell Children's Trust's MACE meeting, inviting Walsall Early Help and West Midlands Police."""
    return services.meeting_create(
        actor=mace_chair,
        title="Black Country MACE",
        meeting_date=in_days(3),
        chair=mace_chair,
        agencies=[walsall_partner.organisation, wmp],
    )
