"""Funding fixtures: Walsall's 2024/25 local delivery budget with the CARE Project led by
Walsall Council Early Help (the ``walsall_partner`` persona's organisation)."""

import datetime as dt
from decimal import Decimal

import pytest

from socex.accounts.services import api_token_create
from socex.areas.models import LPA
from socex.funding import services
from socex.funding.models import AllocationStatus, Programme

YEAR = 2024


@pytest.fixture
def walsall(west_midlands) -> LPA:
    return LPA.objects.get(name="Walsall")


@pytest.fixture
def budget(vrp_officer, walsall):
    return services.budget_create(
        actor=vrp_officer,
        name="Walsall local delivery",
        programme=Programme.LOCAL_DELIVERY,
        financial_year=YEAR,
        lpa=walsall,
        amount=Decimal("50000.00"),
        source="Home Office VRU grant",
    )


@pytest.fixture
def care(vrp_officer, budget, walsall_partner):
    return services.allocation_create(
        actor=vrp_officer,
        budget=budget,
        project="CARE Project",
        lead=walsall_partner.organisation,
        amount=Decimal("35000.00"),
        detail="Early Help keyworkers",
        target_areas="North and South Walsall",
        target_cohort="Young people aged 11 to 16 with additional needs at risk of exploitation",
        start_date=dt.date(YEAR, 4, 1),
        end_date=dt.date(YEAR + 1, 3, 31),
        status=AllocationStatus.ACTIVE,
        takes_case_referrals=True,
    )


@pytest.fixture
def api(client):
    """``api(user)`` returns (get, post) functions that send ``user``'s fresh personal token."""

    def for_user(user):
        _, secret = api_token_create(user=user, name="funding tests")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

        def get(path, **params):
            return client.get(f"/api/v1/funding/{path}", params, **headers)

        def post(path, payload):
            return client.post(f"/api/v1/funding/{path}", payload, content_type="application/json", **headers)

        return get, post

    return for_user
