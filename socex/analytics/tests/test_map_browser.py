"""The hotspot map in Chromium: an analyst opens Analytics, narrows the map to Walsall, sees it
drawn with its legend, switches to the deprivation overlay, and axe-core finds no serious or
critical accessibility problem."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.analytics.tests import test_import_fixtures as fixtures
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

reference = fixtures.reference
walsall_imported = fixtures.walsall_imported


def test_an_analyst_maps_hotspots_and_deprivation_in_walsall(
    page: Page, analyst: User, password: str, walsall_imported: None
):
    sign_in(page, analyst.email, password)

    page.get_by_role("link", name="Analytics", exact=True).click()
    expect(page.get_by_role("heading", name="Analytics", level=1)).to_be_visible()
    page.get_by_role("link", name="Hotspots and map").click()
    expect(page.get_by_role("heading", name="Hotspots", level=1)).to_be_visible()

    page.get_by_text("Change what is shown").click()
    page.get_by_label("Area").select_option(label="Walsall")
    page.get_by_role("button", name="Show figures").click()

    expect(page.get_by_role("heading", name="Hotspots in Walsall", level=1)).to_be_visible()
    the_map = page.locator("#lsoa-map")
    expect(the_map).to_have_class(re.compile(r"\bsocex-map--ready\b"), timeout=15_000)
    expect(the_map).to_have_attribute("data-feature-count", "169")
    expect(the_map.locator("path.leaflet-interactive")).to_have_count(169)
    legend = page.locator("#lsoa-map-legend")
    expect(legend).to_contain_text("Crimes per 1,000 residents")
    expect(page.locator("#hotspot-table")).to_contain_text("Walsall")
    save_screenshot(page, "analytics-hotspot-map")
    assert_accessible(page)

    page.get_by_label("Deprivation (IMD 2025)").check()
    expect(legend).to_contain_text("IMD 2025 decile")
    expect(legend).to_contain_text("1 (most deprived)")
    page.get_by_label("Hotspots (Gi*)").check()
    expect(legend).to_contain_text("Hotspot (95%)")
    save_screenshot(page, "analytics-hotspot-map-gi")
    assert_accessible(page)
