"""Areas API: any token holder may read geography; an unknown code is a 404; no token, 401."""

from __future__ import annotations

import pytest
from django.db.models import F, Sum

from socex.accounts.services import api_token_create
from socex.areas.models import LSOA

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    """``api(user)`` returns a GET function that sends ``user``'s fresh personal token."""

    def for_user(user):
        _, secret = api_token_create(user=user, name="tests")

        def get(path: str):
            return client.get(f"/api/v1/areas/{path}", HTTP_AUTHORIZATION=f"Bearer {secret}")

        return get

    return for_user


def test_lpas_lists_each_lpa_with_its_figures(api, analyst, reference):
    response = api(analyst)("lpas")

    assert response.status_code == 200
    lpas = {item["code"]: item for item in response.json()}
    assert len(lpas) == 7
    walsall = lpas["E08000030"]
    assert walsall["name"] == "Walsall"
    assert walsall["residents"] == 284_129
    assert walsall["lsoa_count"] == 169
    assert walsall["hubs"] == ["wolverhampton"]
    assert walsall["population_date"] == "2021-03-21"
    expected = LSOA.objects.filter(lpa__code="E08000030").aggregate(n=Sum(F("population_0_15") + F("population_16_24")))
    assert walsall["residents_0_24"] == expected["n"]


def test_lpa_detail_includes_its_lsoas(api, school_outsider, reference):
    response = api(school_outsider)("lpas/E08000030")

    assert response.status_code == 200
    body = response.json()
    assert len(body["lsoas"]) == 169
    assert {"code": "E01010241", "name": "Walsall 015A"}.items() <= body["lsoas"][
        [lsoa["code"] for lsoa in body["lsoas"]].index("E01010241")
    ].items()
    assert sum(lsoa["residents"] for lsoa in body["lsoas"]) == body["residents"]


def test_hubs_lists_what_each_serves(api, vrp_officer, reference):
    response = api(vrp_officer)("hubs")

    assert response.status_code == 200
    hubs = {hub["code"]: hub for hub in response.json()}
    assert hubs["birmingham"]["lpas_served"] == ["E08000025", "E08000029"]
    assert hubs["birmingham"]["residents"] == 1_144_925 + 216_233
    assert set(hubs["wolverhampton"]["lpas_served"]) == {"E08000027", "E08000028", "E08000030", "E08000031"}
    assert hubs["coventry"]["base_lpa"] == "E08000026"


def test_hub_detail(api, hub_officer, reference):
    response = api(hub_officer)("hubs/coventry")

    assert response.status_code == 200
    assert response.json()["residents"] == 345_312


@pytest.mark.parametrize("path", ["lpas/E08000099", "lpas/nonsense", "hubs/dudley"])
def test_unknown_codes_are_not_found(api, analyst, reference, path):
    assert api(analyst)(path).status_code == 404


def test_without_a_token_nothing_is_returned(client, reference):
    response = client.get("/api/v1/areas/lpas")

    assert response.status_code == 401


def test_a_switched_off_users_token_is_refused(api, analyst, reference):
    get = api(analyst)
    analyst.is_active = False
    analyst.save(update_fields=["is_active"])

    assert get("lpas").status_code == 401
