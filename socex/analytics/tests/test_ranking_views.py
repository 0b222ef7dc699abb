"""The threat-risk ranking page through HTTP: who may see it, what it shows, and "what if" weights."""

from __future__ import annotations

import pytest

from socex.analytics.tests.test_ranking_fixtures import (
    add_crime,
    add_intelligence,
    add_lsoas,
    add_nrm_referrals,
    add_referrals,
)

URL = "/analytics/ranking/"
PERIOD = {"to": "2025-12", "months": "12"}


@pytest.fixture
def scene(west_midlands, analyst, hub_detective, walsall_partner):
    """Walsall has by far the most violence and exploitation for its size; Solihull the least;
    Birmingham the most NRM referrals for its size, and the most deprivation."""
    add_lsoas()
    base = {"violent-crime": 100, "robbery": 10, "drugs": 10}
    add_crime(
        {
            "Birmingham": {"violent-crime": 400, "robbery": 40, "drugs": 40},
            "Coventry": base,
            "Dudley": base,
            "Sandwell": base,
            "Solihull": {"violent-crime": 30, "robbery": 2, "drugs": 3},
            "Walsall": {"violent-crime": 400, "robbery": 50, "possession-of-weapons": 20, "drugs": 30},
            "Wolverhampton": base,
        }
    )
    add_referrals(walsall_partner, {"Walsall": 30, "Birmingham": 25, "Solihull": 2})
    add_nrm_referrals(hub_detective, {"Walsall": 3, "Birmingham": 30})
    add_intelligence(analyst, {"Walsall": 40, "Birmingham": 60, "Coventry": 5})


def ranked_names(response) -> list[str]:
    return [area.name for area in response.context["ranking"].areas]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("analyst", 200), ("vrp_officer", 200), ("hub_detective", 200), ("hub_officer", 403), ("walsall_partner", 403)],
)
def test_only_analytics_users_see_the_ranking(request, signed_in, west_midlands, persona, status):
    response = signed_in(request.getfixturevalue(persona)).get(URL)

    assert response.status_code == status


def test_someone_not_signed_in_is_sent_to_sign_in(client, west_midlands):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_ranks_the_areas_and_names_the_weights_version(signed_in, analyst, scene):
    response = signed_in(analyst).get(URL, PERIOD)

    assert response.status_code == 200
    names = ranked_names(response)
    assert names[0] == "Walsall"
    assert names[-1] == "Solihull"
    html = response.content.decode()
    assert "Weights version <strong>v1</strong>" in html
    assert "January 2025 to December 2025" in html
    assert "Walsall ranks 1st of 7" in html
    assert 'id="stability-verdict"' in html


def test_what_if_weights_rerank_without_saving_anything(signed_in, analyst, scene):
    """With NRM referrals the only harm and deprivation the only likelihood, Birmingham (with the
    most of both) overtakes Walsall."""
    weights = {
        "whatif": "1",
        **PERIOD,
        "w_crime_rate": "0",
        "w_youth_violence": "0",
        "w_exploitation_referrals": "0",
        "w_nrm_referrals": "1",
        "w_intelligence": "0",
        "w_deprivation": "50",
        "capacity": "0",
    }
    response = signed_in(analyst).get(URL, weights)

    tried = response.context["tried"]
    assert tried is not None
    assert tried.model.edited
    assert response.context["ranking"].model.weights()["deprivation"] == 1  # the published weights stand
    assert ranked_names(response)[0] == "Walsall"
    assert [area.name for area in tried.areas][:2] == ["Birmingham", "Walsall"]
    assert response.context["movements"]["E08000025"] == 1  # Birmingham up one place
    html = response.content.decode()
    assert 'id="what-if-results"' in html
    assert 'value="50"' in html  # the typed weight is kept
    # Nothing is stored: the file is read again, unchanged, on the next visit.
    again = signed_in(analyst).get(URL, PERIOD)
    assert again.context["tried"] is None
    assert again.context["ranking"].model.weights()["deprivation"] == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"w_intelligence": "0", "w_deprivation": "0"}, "w_intelligence", "Give at least one likelihood measure"),
        ({"w_crime_rate": "-1"}, "w_crime_rate", "A weight cannot be below 0"),
        ({"w_crime_rate": "lots"}, "w_crime_rate", "Enter the weight for serious violence"),
        ({"capacity": "3"}, "capacity", "The capacity adjustment must be from 0 to 1"),
    ],
)
def test_bad_what_if_weights_are_named_beside_the_field_and_kept(signed_in, analyst, scene, changes, field, message):
    published = {
        "w_crime_rate": "3",
        "w_youth_violence": "2",
        "w_exploitation_referrals": "2",
        "w_nrm_referrals": "2",
        "w_intelligence": "2",
        "w_deprivation": "1",
        "capacity": "0.2",
    }
    response = signed_in(analyst).get(URL, {"whatif": "1", **published, **changes})

    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert response.context["tried"] is None
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'id="id_{field}-error"' in html
    assert f'value="{changes[field]}"' in html


def test_small_internal_counts_are_not_shown_to_partners(signed_in, vrp_officer, analyst, scene):
    """Walsall has 3 NRM referrals: below the threshold of 5 for the VRP officer, exact for the analyst."""
    partner_view = signed_in(vrp_officer).get(URL, PERIOD)
    walsall = partner_view.context["ranking"].area("E08000030")
    assert walsall.component("nrm_referrals").suppressed
    assert "Fewer than 5 events" in partner_view.content.decode()

    police_view = signed_in(analyst).get(URL, PERIOD)
    assert not police_view.context["ranking"].area("E08000030").component("nrm_referrals").suppressed


def test_with_no_data_yet_every_page_says_what_is_missing_rather_than_failing(signed_in, analyst, west_midlands):
    """Only geography is loaded: deprivation alone drives likelihood, harm sits at the average."""
    client = signed_in(analyst)

    ranking = client.get(URL)
    assert ranking.status_code == 200
    html = ranking.content.decode()
    assert "No crime data has been imported for this period" in html
    assert "Serious violence and exploitation crime has no figures for any LPA in this period" in html
    assert "Harm: no measure has figures, so it is put at the force average." in html
    assert ranked_names(ranking)[0] == "Birmingham"  # the most deprived
    for url in ("/analytics/siting/", "/analytics/internal/", "/analytics/briefings/E08000030/"):
        assert client.get(url).status_code == 200, url
