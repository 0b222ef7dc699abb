"""The areas pages in Chromium: a partner finds an LPA, searches its neighbourhoods and follows
its hub, and axe-core finds no serious or critical accessibility problem on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_finds_an_lpa_its_neighbourhoods_and_its_hub(
    page: Page,
    walsall_partner: User,
    password: str,
    reference: None,
):
    sign_in(page, walsall_partner.email, password)

    page.get_by_role("link", name="Areas and hubs").click()
    expect(page.get_by_role("heading", name="Areas and hubs", level=1)).to_be_visible()
    walsall = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Walsall", exact=True))
    expect(walsall).to_contain_text("284,129")
    save_screenshot(page, "areas-list")
    assert_accessible(page)

    page.get_by_role("link", name="Walsall", exact=True).click()
    expect(page.get_by_role("heading", name="Walsall", level=1)).to_be_visible()
    page.get_by_label("Search neighbourhoods (LSOAs)").fill("Walsall 015")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("Walsall 015A")
    expect(page.locator("main")).not_to_contain_text("Walsall 001A")
    save_screenshot(page, "areas-lpa-search")
    assert_accessible(page)

    page.get_by_role("link", name="Wolverhampton SOCEX Hub").click()
    expect(page.get_by_role("heading", name="Wolverhampton SOCEX Hub", level=1)).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text(f"{263_730 + 284_129 + 323_484 + 341_849:,}")
    save_screenshot(page, "areas-hub")
    assert_accessible(page)


def test_neighbourhood_search_updates_as_you_type(page: Page, walsall_partner: User, password: str, reference: None):
    """htmx swaps in the results without the Search button; the address keeps the search."""
    sign_in(page, walsall_partner.email, password)
    page.goto("/areas/lpas/E08000030/")
    expect(page.locator("#lsoa-results")).to_contain_text("Walsall 001A")

    page.get_by_label("Search neighbourhoods (LSOAs)").press_sequentially("Walsall 015")

    expect(page.locator("#lsoa-results")).to_contain_text("Walsall 015A")
    expect(page.locator("#lsoa-results")).not_to_contain_text("Walsall 001A")
    expect(page).to_have_url(re.compile(r"q=Walsall(\+|%20)015"))
    assert_accessible(page)
