"""The ranking and internal-figures API: same access and figures as the pages."""

from __future__ import annotations

import pytest

from socex.accounts.services import api_token_create
from socex.analytics.tests.test_ranking_views import scene  # noqa: F401 (a fixture)

QUERY = "?to=2025-12&months=12"


@pytest.fixture
def api(client):
    def for_user(user):
        _, secret = api_token_create(user=user, name="tests")

        def get(path: str):
            return client.get(f"/api/v1/analytics/{path}", HTTP_AUTHORIZATION=f"Bearer {secret}")

        return get

    return for_user


def test_the_ranking_comes_with_its_weights_version_and_what_drives_each_score(api, analyst, scene):  # noqa: F811
    response = api(analyst)(f"ranking{QUERY}")

    assert response.status_code == 200
    body = response.json()
    assert body["weights_version"] == "v1"
    assert body["period"] == "January 2025 to December 2025"
    assert next(a["name"] for a in body["areas"]) == "Walsall"
    walsall = body["areas"][0]
    assert walsall["rank"] == 1
    assert walsall["explanation"][0].startswith("Walsall ranks 1st of 7")
    assert {m["key"] for m in walsall["measures"]} >= {"crime_rate", "deprivation"}


def test_partners_get_small_counts_suppressed_in_the_api_too(api, vrp_officer, scene):  # noqa: F811
    ranking = api(vrp_officer)(f"ranking{QUERY}").json()
    walsall_nrm = next(m for m in ranking["areas"][0]["measures"] if m["key"] == "nrm_referrals")
    assert walsall_nrm["suppressed"]
    assert walsall_nrm["value"] is None
    assert walsall_nrm["times_force"] is None

    figures = api(vrp_officer)(f"internal-figures{QUERY}").json()
    walsall = next(a for a in figures["areas"] if a["name"] == "Walsall")
    assert walsall["internal"] == {"referrals": 30, "cases": 0, "nrm_referrals": "*", "intelligence": 40}
    assert figures["suppressed_below"] == 5


@pytest.mark.parametrize("path", ["ranking", "internal-figures"])
def test_without_analytics_the_api_refuses(api, client, hub_officer, west_midlands, path):
    assert api(hub_officer)(path).status_code == 403
    assert client.get(f"/api/v1/analytics/{path}").status_code == 401


def test_a_bad_period_is_refused_naming_the_rule(api, analyst, west_midlands):
    response = api(analyst)("ranking?to=1999-01")

    assert response.status_code == 422
    assert "to: Choose a month from the list" in response.json()["detail"]
