"""The hub siting page through HTTP: the proposal on real West Midlands centres, today's hubs
measured the same way, and bad requests named beside their fields."""

from __future__ import annotations

import pytest

from socex.analytics.tests.test_ranking_fixtures import add_crime, add_lsoas
from socex.core.testing.factories import UserFactory

URL = "/analytics/siting/"


@pytest.fixture
def scene(west_midlands, wmp):
    """Crime in proportion to residents everywhere but Walsall, which has five times its share."""
    from socex.areas.models import LPA

    add_lsoas()
    add_crime(
        {
            lpa.name: {"violent-crime": lpa.population // (500 if lpa.name == "Walsall" else 2500)}
            for lpa in LPA.objects.all()
        }
    )


@pytest.mark.parametrize(("persona", "status"), [("analyst", 200), ("vrp_officer", 200), ("hub_officer", 403)])
def test_only_analytics_users_see_siting(request, signed_in, west_midlands, persona, status):
    assert signed_in(request.getfixturevalue(persona)).get(URL).status_code == status


def test_with_todays_number_of_hubs_the_page_proposes_and_compares(signed_in, analyst, scene):
    response = signed_in(analyst).get(URL)

    assert response.status_code == 200
    proposal, current = response.context["proposal"], response.context["current"]
    assert len(proposal.hubs) == 3
    assert sorted(h.name for h in current.hubs) == [
        "Birmingham SOCEX Hub", "Coventry SOCEX Hub", "Wolverhampton SOCEX Hub"
    ]  # fmt: skip
    served = sorted(code for hub in proposal.hubs for code in hub.codes)
    assert len(served) == 7 == len(set(served))  # every LPA served exactly once
    assert all(hub.demand <= 0.6 + 1e-9 for hub in proposal.hubs)
    assert proposal.mean_km <= current.mean_km + 1e-9  # the optimum is never worse than today
    assert any("Walsall" in hub.base.name for hub in proposal.hubs)  # the demand is there
    differences = response.context["differences"]
    assert any(line.startswith("On average, demand would be") for line in differences)
    html = response.content.decode()
    assert 'id="difference-list"' in html
    assert "Based in Walsall" in html


def test_posts_follow_demand_and_add_up(signed_in, analyst, scene):
    response = signed_in(analyst).get(
        URL, {"hubs": "2", "detective_posts": "10", "non_detective_posts": "15", "max_share": "100", "max_km": ""}
    )

    proposal = response.context["proposal"]
    assert len(proposal.hubs) == 2
    assert sum(h.detective_posts for h in proposal.hubs) == 10
    assert sum(h.non_detective_posts for h in proposal.hubs) == 15
    assert all(h.detective_posts >= 1 and h.non_detective_posts >= 1 for h in proposal.hubs)


def test_todays_staff_are_counted_by_kind_of_post(signed_in, analyst, hub_detective, hub_officer, wmp, scene):
    """The Birmingham team has one detective (the persona) and one officer added; Coventry one officer."""
    UserFactory(email="officer2@police.example", organisation=wmp, team=hub_detective.team, roles=["hub-officer"])
    response = signed_in(analyst).get(URL)

    today = {hub.name: hub.staff_today for hub in response.context["current"].hubs}
    assert (today["Birmingham SOCEX Hub"].detective, today["Birmingham SOCEX Hub"].non_detective) == (1, 1)
    assert (today["Coventry SOCEX Hub"].detective, today["Coventry SOCEX Hub"].non_detective) == (0, 1)
    # Too few to give each of the 3 hubs a post of each kind: the form starts from the rules' defaults.
    form = response.context["form"]
    assert (form["detective_posts"].value(), form["non_detective_posts"].value()) == (24, 36)


def test_the_form_starts_from_todays_staff_when_every_hub_has_some(signed_in, analyst, wmp, scene):
    from socex.accounts.models import Team
    from socex.areas.models import Hub

    for n, hub in enumerate(Hub.objects.all()):
        team, _ = Team.objects.get_or_create(organisation=wmp, name=f"{hub.name} team", hub=hub)
        UserFactory(email=f"det{n}@police.example", organisation=wmp, team=team, roles=["hub-detective"])
        UserFactory(email=f"off{n}a@police.example", organisation=wmp, team=team, roles=["hub-officer"])
        UserFactory(email=f"off{n}b@police.example", organisation=wmp, team=team, roles=["hub-officer"])

    form = signed_in(analyst).get(URL).context["form"]

    assert (form["detective_posts"].value(), form["non_detective_posts"].value()) == (3, 6)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hubs": "9"}, "hubs", "The number of hubs must be from 1 to 7"),
        ({"hubs": "0"}, "hubs", "The number of hubs must be from 1 to 7"),
        ({"hubs": "three"}, "hubs", "Enter the number of hubs as a whole number"),
        ({"detective_posts": "2"}, "detective_posts", "3 hubs need at least 3"),
        ({"max_share": "0"}, "max_share", "The largest share must be from 1% to 100%"),
        ({"max_km": "-4"}, "max_km", "The longest distance must be more than 0 km"),
    ],
)
def test_bad_requests_are_named_beside_the_field_and_kept(signed_in, analyst, scene, changes, field, message):
    good = {"hubs": "3", "detective_posts": "12", "non_detective_posts": "18", "max_share": "60", "max_km": "30"}
    response = signed_in(analyst).get(URL, {**good, **changes})

    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["proposal"] is None
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'value="{changes[field]}"' in html


def test_rules_nobody_can_meet_are_explained(signed_in, analyst, scene):
    response = signed_in(analyst).get(
        URL, {"hubs": "1", "detective_posts": "5", "non_detective_posts": "5", "max_share": "50", "max_km": ""}
    )

    assert response.context["proposal"] is None
    assert "No way of placing 1 hub meets the rules" in response.content.decode()
