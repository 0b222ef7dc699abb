"""An outsider who learns the web address of a record still cannot reach it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, sign_in
from socex.sharing.models import Share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_outsider_with_the_address_of_a_share_gets_page_not_found(
    page: Page, school_outsider: User, password: str, wmp_walsall_share: Share
):
    sign_in(page, school_outsider.email, password)
    expect(page.get_by_role("banner")).to_contain_text("Alex Morgan")

    response = page.goto(f"/sharing/{wmp_walsall_share.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    # Nothing about the record leaks: not its reference, not what was shared, not with whom.
    main = page.locator("main")
    expect(main).not_to_contain_text(wmp_walsall_share.reference)
    expect(main).not_to_contain_text("Walsall")
    expect(main).not_to_contain_text("MACE")
    assert_accessible(page)


def test_the_partner_it_was_shared_with_can_open_the_same_address(
    page: Page, walsall_partner: User, password: str, wmp_walsall_share: Share
):
    sign_in(page, walsall_partner.email, password)

    response = page.goto(f"/sharing/{wmp_walsall_share.pk}/")
    assert response is not None
    assert response.status == 200
    main = page.locator("main")
    expect(main).to_contain_text(wmp_walsall_share.reference)
    expect(main).to_contain_text("Hub contact list for the Walsall MACE meeting")
    expect(page.get_by_role("heading", name="Page not found")).to_have_count(0)
    assert_accessible(page)
