"""Fixtures for the NRM tests: the first responder list, potential victims and referral helpers.

``walsall_nrm_lead`` works for Walsall Council Early Help (a local authority, so a first
responder) in a role with ``nrm.manage``: the referring organisation's own NRM officer.
"""

from __future__ import annotations

import datetime as dt

import pytest

from socex.accounts.models import Role
from socex.areas.models import LPA
from socex.core.testing.factories import UserFactory
from socex.nrm import services
from socex.nrm.tests.helpers import make_person


@pytest.fixture
def first_responders(hub_detective, hub_officer, walsall_partner, school_outsider, mace_chair):
    """The list applied to every organisation the personas belong to (police, councils; not the school)."""
    return services.first_responders_sync(actor=None)


@pytest.fixture
def walsall_nrm_lead(walsall_partner, first_responders):
    Role.objects.get_or_create(
        code="la-nrm-lead",
        defaults={
            "name": "Local authority NRM lead",
            "capabilities": ["nrm.manage", "case.view_shared", "person.view"],
        },
    )
    return UserFactory(
        email="nrm.lead@walsall.example",
        full_name="Dana Kerr",
        organisation=walsall_partner.organisation,
        roles=["la-nrm-lead"],
    )


@pytest.fixture
def walsall(west_midlands):
    return LPA.objects.get(name="Walsall")


@pytest.fixture
def child(hub_officer):
    """Kieran Smith, 15 in 2025."""
    return make_person(hub_officer, dob=dt.date(2010, 2, 3))


@pytest.fixture
def adult(hub_officer):
    """Ana Popescu, 30, Romanian."""
    return make_person(
        hub_officer, dob=dt.date(1995, 6, 1), given="Ana", family="Popescu", gender="female", nationality="Romanian"
    )
