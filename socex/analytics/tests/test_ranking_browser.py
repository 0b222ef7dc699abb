"""In Chromium: the threat-risk ranking with a "what if", hub siting, internal figures and an area
briefing with its PDF download. Every page clean under axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from socex.analytics.tests.test_ranking_fixtures import (
    add_crime,
    add_intelligence,
    add_lsoas,
    add_nrm_referrals,
    add_referrals,
)
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(west_midlands, analyst, hub_detective, walsall_partner):
    """Walsall has the most violence for its size; Birmingham the most NRM referrals and deprivation."""
    add_lsoas()
    base = {"violent-crime": 100, "robbery": 10, "drugs": 10}
    add_crime(
        {
            "Birmingham": {"violent-crime": 420, "robbery": 40, "drugs": 40},
            "Coventry": base,
            "Dudley": base,
            "Sandwell": base,
            "Solihull": {"violent-crime": 30, "robbery": 2, "drugs": 3},
            "Walsall": {"violent-crime": 250, "robbery": 30, "possession-of-weapons": 10, "drugs": 20},
            "Wolverhampton": base,
        }
    )
    everywhere = {"Coventry": 6, "Dudley": 6, "Sandwell": 6, "Solihull": 3, "Wolverhampton": 6}
    add_referrals(walsall_partner, {"Walsall": 20, "Birmingham": 30, **everywhere})
    add_nrm_referrals(hub_detective, {"Walsall": 2, "Birmingham": 20})
    add_intelligence(analyst, {"Walsall": 20, "Birmingham": 60, **everywhere})


def test_an_analyst_reads_the_ranking_and_tries_other_weights(page: Page, analyst, password, scene):
    sign_in(page, analyst.email, password)
    page.goto("/analytics/")
    page.get_by_role("link", name="Threat-risk ranking").click()
    expect(page.get_by_role("heading", name="Threat-risk ranking", level=1)).to_be_visible()
    page.get_by_label("Up to and including").select_option("2025-12")
    page.get_by_role("button", name="Show this period").click()
    table = page.locator("#ranking-table")
    expect(table.locator("tbody tr").first).to_contain_text("Walsall")
    expect(page.locator("#stability-verdict")).to_contain_text("The ranking")
    expect(page.locator("main")).to_contain_text("Weights version v1")
    save_screenshot(page, "analytics-ranking")
    assert_accessible(page)

    # What if only NRM referrals and deprivation mattered? Nothing is saved.
    for label in ("Serious violence and exploitation crime", "Violence against young residents (proxy)"):
        page.get_by_label(label, exact=True).fill("0")
    page.get_by_label("Exploitation referrals", exact=True).fill("0")
    page.get_by_label("Intelligence volume", exact=True).fill("0")
    page.get_by_label("Deprivation", exact=True).fill("10")
    page.get_by_role("button", name="Try these weights").click()
    results = page.locator("#what-if-results")
    expect(results).to_be_visible()
    expect(results.locator("tbody tr").first).to_contain_text("Birmingham")
    expect(page.get_by_label("Deprivation", exact=True)).to_have_value("10")
    save_screenshot(page, "analytics-ranking-what-if")
    assert_accessible(page)

    # A weight nobody could use is named beside its field.
    page.get_by_label("Deprivation", exact=True).fill("-2")
    page.get_by_role("button", name="Try these weights").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("A weight cannot be below 0")
    assert_accessible(page)


def test_hub_siting_proposes_and_compares_with_today(page: Page, analyst, password, scene):
    sign_in(page, analyst.email, password)
    page.goto("/analytics/siting/")
    expect(page.get_by_role("heading", name="Hub siting and staffing", level=1)).to_be_visible()
    expect(page.locator("#difference-list")).to_contain_text("On average, demand would be")
    assert_accessible(page)

    page.get_by_label("Number of hubs").fill("2")
    page.get_by_role("button", name="Propose hubs").click()
    expect(page.get_by_role("heading", name="Proposal", level=2, exact=True)).to_be_visible()
    expect(page.locator("#difference-list")).to_contain_text("Today the hubs are based in Birmingham, Coventry")
    save_screenshot(page, "analytics-siting")
    assert_accessible(page)


def test_internal_figures_sit_beside_the_public_ones(page: Page, vrp_officer, password, scene):
    sign_in(page, vrp_officer.email, password)
    page.goto("/analytics/internal/?to=2025-12&months=12")
    expect(page.locator("#internal-figures")).to_contain_text("Walsall")
    expect(page.locator("main")).to_contain_text("Counts from 1 to 4 are shown as *")
    assert_accessible(page)


def test_a_briefing_for_walsall_as_a_page_and_a_pdf(page: Page, analyst, password, scene):
    sign_in(page, analyst.email, password)
    page.goto("/analytics/briefings/")
    page.get_by_role("link", name="Walsall", exact=True).click()
    expect(page.get_by_role("heading", name="Walsall: threat, risk and resources", level=1)).to_be_visible()
    expect(page.locator("#source-list li").first).to_be_visible()
    expect(page.get_by_role("heading", name="Resources in the area")).to_be_visible()
    save_screenshot(page, "analytics-briefing")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("briefing-walsall-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
