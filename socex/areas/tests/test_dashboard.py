"""Home-page panels from the areas app: real figures from the database."""

from __future__ import annotations

import pytest
from django.db.models import F, Sum
from django.urls import reverse

from socex.areas.dashboard import force_area_panel, your_hub_panel
from socex.areas.models import LSOA

pytestmark = pytest.mark.django_db


def test_hub_member_sees_what_their_hub_serves(hub_detective, reference):
    panel = your_hub_panel(hub_detective)

    assert panel is not None
    assert panel.title == "Your hub: Birmingham SOCEX Hub"
    figures = {figure.label: figure for figure in panel.figures}
    assert figures["Local policing areas served"].value == 2
    assert figures["Residents served"].value == f"{1_144_925 + 216_233:,}"
    under_25 = LSOA.objects.filter(lpa__code__in=["E08000025", "E08000029"]).aggregate(
        n=Sum(F("population_0_15") + F("population_16_24"))
    )["n"]
    assert figures["Residents aged 0 to 24 served"].value == f"{under_25:,}"
    assert figures["Residents served"].href == reverse("areas:hub", args=["birmingham"])


def test_people_outside_a_hub_team_get_no_hub_panel(walsall_partner, analyst, reference):
    assert your_hub_panel(walsall_partner) is None
    assert your_hub_panel(analyst) is None


def test_force_area_panel_for_analytics_and_funding(analyst, vrp_officer, reference):
    for user in (analyst, vrp_officer):
        panel = force_area_panel(user)
        assert panel is not None
        assert dict(panel.chart)["Walsall"] == 284_129
        assert len(panel.chart) == 7


def test_no_force_area_panel_without_analytics_or_funding(hub_officer, school_outsider, reference):
    assert force_area_panel(hub_officer) is None
    assert force_area_panel(school_outsider) is None


def test_home_page_shows_the_panels(signed_in, hub_detective, reference):
    page = signed_in(hub_detective).get(reverse("core:home")).content.decode()

    assert "Your hub: Birmingham SOCEX Hub" in page
    assert "The force area" in page  # hub detectives hold analytics.view
    assert "socex-bar-chart" in page
