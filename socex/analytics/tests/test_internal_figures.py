"""Internal figures beside public ones: counts per LPA checked against the records made, the
period respected, and small numbers suppressed for viewers outside the police."""

from __future__ import annotations

import datetime as dt

import pytest

from socex.analytics import internal
from socex.analytics.tests.test_ranking_fixtures import (
    PERIOD,
    add_cases,
    add_crime,
    add_intelligence,
    add_lsoas,
    add_nrm_referrals,
    add_referrals,
    before,
)

URL = "/analytics/internal/"
QUERY = {"to": "2025-12", "months": "12"}


@pytest.fixture
def scene(west_midlands, wmp, analyst, hub_detective, walsall_partner):
    add_lsoas()
    add_crime({"Walsall": {"violent-crime": 50, "robbery": 5, "burglary": 20}, "Dudley": {"violent-crime": 10}})
    add_referrals(walsall_partner, {"Walsall": 12, "Dudley": 2})
    add_referrals(walsall_partner, {"Walsall": 7}, day=before())  # outside the period
    add_cases(wmp, {"Walsall": 6, "Sandwell": 1})
    add_nrm_referrals(hub_detective, {"Walsall": 3})
    add_intelligence(analyst, {"Walsall": 9, "Coventry": 4})
    add_intelligence(analyst, {"Coventry": 5}, day=dt.date(2026, 1, 1))  # after it


def test_counts_by_lpa_match_the_records_made_in_the_period(scene):
    from socex.areas.models import LPA

    counts = internal.internal_counts(PERIOD)
    walsall, dudley, coventry = (LPA.objects.get(name=n).pk for n in ("Walsall", "Dudley", "Coventry"))

    assert counts.missing == []
    assert counts.count("referrals", walsall) == 12
    assert counts.count("referrals", dudley) == 2
    assert counts.count("cases", walsall) == 6
    assert counts.count("nrm_referrals", walsall) == 3
    assert counts.count("intelligence", coventry) == 4
    assert counts.total("referrals") == 14


def test_a_record_on_the_last_evening_of_the_period_counts_in_it(west_midlands, walsall_partner):
    """31 December 23:30 in London is inside a period that ends with December."""
    from django.utils import timezone

    from socex.referrals.models import Referral

    add_referrals(walsall_partner, {"Walsall": 1}, day=dt.date(2025, 12, 31))
    Referral.objects.update(submitted_at=timezone.make_aware(dt.datetime(2025, 12, 31, 23, 30)))

    assert internal.internal_counts(PERIOD).total("referrals") == 1
    assert internal.internal_counts(internal.Period(dt.date(2026, 1, 1), 1)).total("referrals") == 0


def test_public_crime_counts_by_lpa_and_category(scene):
    from socex.areas.models import LPA

    crimes = internal.crime_counts(PERIOD)
    walsall = LPA.objects.get(name="Walsall").pk

    assert crimes.months_with_data == 12
    assert crimes.count(walsall, ["violent-crime", "robbery"]) == 12 * 55
    assert crimes.count(walsall) == 12 * 75


@pytest.mark.parametrize(("persona", "status"), [("analyst", 200), ("vrp_officer", 200), ("walsall_partner", 403)])
def test_only_analytics_users_see_internal_figures(request, signed_in, west_midlands, persona, status):
    assert signed_in(request.getfixturevalue(persona)).get(URL).status_code == status


def test_the_police_see_exact_counts_beside_the_public_figures(signed_in, analyst, scene):
    response = signed_in(analyst).get(URL, QUERY)

    rows = {row.lpa.name: row for row in response.context["table"].rows}
    walsall = rows["Walsall"]
    assert walsall.serious_crimes == 12 * 55
    assert walsall.serious_rate == pytest.approx(12 * 55 / 284_129 * 1000, abs=0.005)
    assert [count for count, _ in walsall.internal] == [12, 6, 3, 9]
    assert [count for count, _ in rows["Dudley"].internal] == [2, 0, 0, 0]
    assert "Counts from 1 to 4 are shown as *" not in response.content.decode()


def test_partners_see_small_counts_suppressed(signed_in, vrp_officer, scene):
    response = signed_in(vrp_officer).get(URL, QUERY)

    rows = {row.lpa.name: row for row in response.context["table"].rows}
    assert [count for count, _ in rows["Walsall"].internal] == [12, 6, "*", 9]
    assert [count for count, _ in rows["Dudley"].internal] == ["*", 0, 0, 0]
    assert [count for count, _ in rows["Sandwell"].internal] == [0, "*", 0, 0]
    assert rows["Walsall"].internal[2][1] == "*"  # no rate that would give the count away
    html = response.content.decode()
    assert "Counts from 1 to 4 are shown as *" in html


def test_the_period_form_changes_what_is_counted(signed_in, analyst, scene):
    """December 2024 alone holds the 7 earlier Walsall referrals."""
    response = signed_in(analyst).get(URL, {"to": "2024-12", "months": "3"})

    table = response.context["table"]
    assert table.period.label == "October 2024 to December 2024"
    walsall = next(row for row in table.rows if row.lpa.name == "Walsall")
    assert walsall.internal[0][0] == 7


def test_the_suppression_threshold_is_a_setting(settings, signed_in, vrp_officer, scene):
    settings.SOCEX_ANALYTICS_SUPPRESS_BELOW = 20
    response = signed_in(vrp_officer).get(URL, QUERY)

    walsall = next(row for row in response.context["table"].rows if row.lpa.name == "Walsall")
    assert [count for count, _ in walsall.internal] == ["*", "*", "*", "*"]


def test_a_period_not_on_the_list_is_named_and_the_default_shown(signed_in, analyst, scene):
    response = signed_in(analyst).get(URL, {"to": "1999-01", "months": "5"})

    form = response.context["period_form"]
    assert form.errors == {"to": ["Choose a month from the list"], "months": ["Choose a length from the list"]}
    assert "There is a problem" in response.content.decode()
    assert response.context["table"].period.months == 12
