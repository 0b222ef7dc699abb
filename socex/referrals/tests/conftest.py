"""Referral fixtures: the people referred, screening answers, and referrals at each stage.

Who is who (the root conftest's personas): ``walsall_partner`` refers (Walsall Council Early
Help); ``walsall_colleague`` works beside them; ``hub_officer`` triages; ``school_outsider`` is
another partner (a Dudley school) who made none of these referrals; ``vrp_officer`` has no
referral role at all.
"""

from __future__ import annotations

import datetime as dt

import pytest

from socex.accounts.models import User
from socex.areas.models import LPA
from socex.core.testing.factories import UserFactory
from socex.people.details import PersonDetails
from socex.people.models import Person
from socex.people.services import person_create
from socex.referrals.models import Referral
from socex.referrals.screening import tool_for
from socex.referrals.services import SubjectDetails, referral_create


def answers(**timings: str) -> dict[str, str]:
    """Every indicator of the current tool 'not present', except those given."""
    every = dict.fromkeys(tool_for().indicators, "not_present")
    unknown = set(timings) - set(every)
    assert not unknown, f"not indicators: {unknown}"
    return every | timings


def make_referral(actor: User, subjects: list, *, submit: bool = True, **changes: object) -> Referral:
    """A whole referral by ``actor`` through the service (significant risk unless told)."""
    values: dict[str, object] = {
        "lpa": LPA.objects.get(name="Walsall"),
        "exploitation_types": ["cce", "county_lines"],
        "concern_summary": "Seen getting into cars with older men; new phone and trainers.",
        "screening_answers": answers(missing_episodes="current", unexplained_money="current"),
        "child_aware": "yes",
        "family_aware": "no",
        "awareness_detail": "Mum may be pressured by the group.",
        "immediate_risks": "Missing tonight is likely.",
    }
    values.update(changes)
    return referral_create(actor=actor, subjects=subjects, submit=submit, **values)  # type: ignore[arg-type]


@pytest.fixture
def walsall_colleague(walsall_partner) -> User:
    return UserFactory(
        email="familysupport@walsall.example",
        full_name="Dev Patel",
        organisation=walsall_partner.organisation,
        roles=["partner-practitioner"],
    )


@pytest.fixture
def kieran(hub_officer) -> Person:
    """Kieran Smith, known to the police only (partners cannot see him)."""
    return person_create(
        actor=hub_officer,
        details=PersonDetails(
            given_name="Kieran", family_name="Smith", date_of_birth=dt.date(2011, 2, 3), postcodes=["WS2 8AA"]
        ),
    )


@pytest.fixture
def leah(walsall_partner) -> Person:
    """Leah Ward, held by Walsall Early Help."""
    return person_create(
        actor=walsall_partner,
        details=PersonDetails(
            given_name="Leah", family_name="Ward", date_of_birth=dt.date(2010, 6, 14), postcodes=["WS1 1AA"]
        ),
    )


@pytest.fixture
def submitted(walsall_partner, leah) -> Referral:
    """Walsall Early Help's referral about Leah, significant risk, awaiting triage."""
    return make_referral(walsall_partner, [leah])


@pytest.fixture
def draft(walsall_partner) -> Referral:
    """Walsall Early Help's draft about someone not yet in the index."""
    return make_referral(walsall_partner, [SubjectDetails(given_name="Mason", family_name="Reid")], submit=False)
