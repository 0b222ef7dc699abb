"""On a phone (375 pixels wide): the filter panel of a list stays out of the way until asked for,
wide tables scroll inside the page rather than widening it, and both stay accessible."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.sharing.models import Share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def page_scrolls_sideways(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_on_a_phone_the_ledger_filter_waits_behind_a_button(
    page: Page, hub_detective: User, password: str, wmp_walsall_share: Share
):
    page.set_viewport_size(PHONE)
    sign_in(page, hub_detective.email, password)
    page.goto("/sharing/")

    # The panel does not cover the list: the share can be opened straight away.
    panel = page.locator(".moj-filter-layout__filter")
    expect(panel).to_be_hidden()
    assert not page_scrolls_sideways(page)
    save_screenshot(page, "phone-sharing-ledger")
    assert_accessible(page)
    page.get_by_role("link", name=wmp_walsall_share.reference).click()
    expect(page.get_by_role("heading", name=wmp_walsall_share.reference, level=1)).to_be_visible()

    page.go_back()
    page.get_by_role("button", name="Show filter").click()
    expect(panel.get_by_role("button", name="Apply filters")).to_be_visible()
    # Opened, it fits the screen rather than the width of its longest option.
    box = panel.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    panel.get_by_role("button", name="Close").click()
    expect(panel).to_be_hidden()


def test_on_a_phone_an_error_in_a_hidden_filter_can_still_be_reached(
    page: Page, hub_detective: User, password: str, wmp_walsall_share: Share
):
    page.set_viewport_size(PHONE)
    sign_in(page, hub_detective.email, password)
    page.goto("/sharing/?status=not-a-status")
    expect(page).to_have_title("Error: Sharing ledger \N{EN DASH} SOCEX Hub")

    summary_link = page.locator(".govuk-error-summary a")
    expect(summary_link).to_have_text("Choose one of the options for status")
    summary_link.click()
    expect(page.get_by_label("Status")).to_be_focused()
    assert_accessible(page)


def test_on_a_phone_a_wide_table_scrolls_inside_the_page(page: Page, administrator: User, password: str):
    page.set_viewport_size(PHONE)
    sign_in(page, administrator.email, password)
    page.goto("/accounts/users/")

    assert not page_scrolls_sideways(page)
    # The table scrolls in a region keyboard users can reach and scroll.
    region = page.get_by_role("region", name="Users (scrolls sideways)")
    expect(region).to_have_attribute("tabindex", "0")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(element) => element.scrollLeft > 0", arg=region.element_handle())
    save_screenshot(page, "phone-users")
    assert_accessible(page)


def test_on_a_wide_screen_a_table_that_fits_is_not_a_tab_stop(page: Page, administrator: User, password: str):
    sign_in(page, administrator.email, password)
    page.goto("/accounts/roles/")
    wrapper = page.locator(".socex-table-wrapper")
    expect(wrapper).to_have_count(1)
    expect(wrapper).not_to_have_attribute("tabindex", "0")
    expect(page.get_by_role("region", name="Roles (scrolls sideways)")).to_have_count(0)
