"""The needs assessment pages and who may see the part A analytics pages.

Figures are cross-checked against pandas group-bys over the real sample file and the areas
reference file, computed here independently of the app."""

from __future__ import annotations

import pandas as pd
import pytest
from django.conf import settings
from django.urls import reverse

from socex.analytics.models import CrimeImport
from socex.analytics.tests import test_import_fixtures as fixtures
from socex.analytics.tests.test_import_fixtures import ARCHIVE_SAMPLE

reference = fixtures.reference
archive_imported = fixtures.archive_imported

pytestmark = pytest.mark.django_db

SERIOUS = {"Violence and sexual offences", "Robbery", "Possession of weapons", "Drugs"}
BIRMINGHAM = "E08000025"


def _pages() -> list[str]:
    first = CrimeImport.objects.first()
    return [
        reverse("analytics:index"),
        reverse("analytics:needs"),
        reverse("analytics:needs_lpa", args=[BIRMINGHAM]),
        reverse("analytics:hotspots"),
        reverse("analytics:seasonal"),
        reverse("analytics:imports"),
        reverse("analytics:import_detail", args=[first.pk if first else 1]),
    ]


@pytest.mark.parametrize("persona", ["analyst", "hub_detective", "vrp_officer"])
def test_analytics_users_see_every_part_a_page(request, signed_in, archive_imported, persona):
    client = signed_in(request.getfixturevalue(persona))
    for url in _pages():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["school_outsider", "walsall_partner", "auditor"])
def test_people_without_analytics_get_403(request, signed_in, archive_imported, persona):
    client = signed_in(request.getfixturevalue(persona))
    for url in _pages():
        assert client.get(url).status_code == 403, url


def test_nobody_signed_out_sees_them(client, archive_imported):
    for url in _pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_an_unknown_lpa_is_404(signed_in, analyst, archive_imported):
    assert signed_in(analyst).get(reverse("analytics:needs_lpa", args=["E08999999"])).status_code == 404


def test_the_pages_say_when_no_crime_data_is_held(signed_in, analyst, reference):
    page = signed_in(analyst).get(reverse("analytics:needs")).content.decode()

    assert "No crime data has been imported yet" in page


def test_counts_and_rates_match_a_pandas_group_by_of_the_sample(signed_in, analyst, archive_imported):
    crimes = pd.read_csv(ARCHIVE_SAMPLE, dtype=str, keep_default_na=False)
    lsoas = pd.read_csv(settings.SOCEX_REFERENCE_DIR / "lsoas.csv", dtype={"code": str})
    lpas = pd.read_csv(settings.SOCEX_REFERENCE_DIR / "lpas.csv")
    serious = crimes[crimes["Crime type"].isin(SERIOUS)]
    expected_count = len(serious.merge(lsoas, left_on="LSOA code", right_on="code").query("lpa_code == @BIRMINGHAM"))
    residents = int(lpas.set_index("code").loc[BIRMINGHAM, "population"])
    in_lpa = lsoas[lsoas["lpa_code"] == BIRMINGHAM]
    aged_10_24 = in_lpa["population_16_24"].sum() + 6 / 16 * in_lpa["population_0_15"].sum()

    response = signed_in(analyst).get(reverse("analytics:needs"))
    assessment = response.context["assessment"]
    birmingham = next(row for row in assessment.rows if row.lpa.code == BIRMINGHAM)

    assert expected_count > 0
    assert birmingham.count == expected_count
    assert birmingham.rate == pytest.approx(expected_count * 1000 / residents)
    assert birmingham.youth_rate == pytest.approx(expected_count * 1000 / aged_10_24)
    assert assessment.total.count == expected_count  # the sample is Birmingham only
    by_type = serious.groupby("Crime type").size()
    assert birmingham.by_category["violent-crime"] == by_type.get("Violence and sexual offences", 0)
    assert birmingham.by_category["possession-of-weapons"] == by_type.get("Possession of weapons", 0)
    page = response.content.decode()
    assert "June 2023" in page
    assert "Estimated: the Census 2021 figures held give residents aged 0 to 15 and 16 to 24 only" in page
    assert "socex-line-chart" in page
    assert "socex-bar-chart" in page


def test_any_category_on_request(signed_in, analyst, archive_imported):
    crimes = pd.read_csv(ARCHIVE_SAMPLE, dtype=str, keep_default_na=False)
    expected = int((crimes["Crime type"] == "Anti-social behaviour").sum())

    response = signed_in(analyst).get(
        reverse("analytics:needs"), {"categories": ["anti-social-behaviour"], "start": "2023-06", "end": "2023-06"}
    )

    assert response.context["assessment"].total.count == expected > 0
    assert "Anti-social behaviour" in response.content.decode()


def test_the_month_by_month_page_for_an_lpa(signed_in, analyst, archive_imported):
    crimes = pd.read_csv(ARCHIVE_SAMPLE, dtype=str, keep_default_na=False)
    expected = int(crimes["Crime type"].isin(SERIOUS).sum())

    response = signed_in(analyst).get(reverse("analytics:needs_lpa", args=[BIRMINGHAM]))

    rows = response.context["rows"]
    assert [r.month.isoformat() for r in rows] == ["2023-06-01"]
    assert rows[0].total == expected
    assert 'id="month-table"' in response.content.decode()


def test_a_period_that_ends_before_it_starts_is_an_error_that_keeps_the_choice(signed_in, analyst, archive_imported):
    from socex.analytics.models import CrimeLPAMonth

    CrimeLPAMonth.objects.create(month="2023-05-01", lpa=CrimeLPAMonth.objects.first().lpa, category="drugs", count=1)
    response = signed_in(analyst).get(
        reverse("analytics:needs"), {"categories": ["drugs"], "start": "2023-06", "end": "2023-05"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The &#x27;To&#x27; month must be the same as or after the &#x27;From&#x27; month" in page
    assert response.context["assessment"] is None
    assert '<option value="2023-06" selected>' in page


def test_choosing_no_category_is_an_error(signed_in, analyst, archive_imported):
    page = signed_in(analyst).get(reverse("analytics:needs"), {"start": "2023-06", "end": "2023-06"}).content.decode()

    assert "Choose at least one crime category" in page


def test_the_start_page_lists_every_part(signed_in, analyst, archive_imported):
    page = signed_in(analyst).get(reverse("analytics:index")).content.decode()

    for name in ("analytics:needs", "analytics:hotspots", "analytics:seasonal", "analytics:imports"):
        assert reverse(name) in page
    assert 'href="/analytics/"' in page  # the navigation entry


def test_the_import_page_shows_the_report(signed_in, analyst, archive_imported):
    item = CrimeImport.objects.get()

    page = signed_in(analyst).get(reverse("analytics:import_detail", args=[item.pk])).content.decode()

    assert "69 read, 69 imported, 0 skipped" in page
    assert "2023-06" in page
