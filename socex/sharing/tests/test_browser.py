"""In Chromium: a hub officer opens a share from the ledger and revokes it, giving a reason."""

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.sharing.models import Share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_colleague_of_the_sharer_revokes_a_share(
    page: Page, hub_officer: User, password: str, wmp_walsall_share: Share
):
    sign_in(page, hub_officer.email, password)
    page.goto("/sharing/")
    expect(page.get_by_role("heading", name="Sharing ledger", level=1)).to_be_visible()
    save_screenshot(page, "sharing-ledger")
    assert_accessible(page)

    page.get_by_role("link", name=wmp_walsall_share.reference).click()
    expect(page.locator("main")).to_contain_text("Walsall Council Early Help")
    save_screenshot(page, "share-detail")
    assert_accessible(page)

    page.get_by_role("link", name="Revoke this share").click()
    page.get_by_role("button", name="Revoke share").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the share is being revoked")
    assert_accessible(page)

    page.get_by_label("Why is the share being revoked?").fill("Case closed at the MACE meeting")
    page.get_by_role("button", name="Revoke share").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("revoked")
    expect(page.locator("main .govuk-tag")).to_have_text("Revoked")
    save_screenshot(page, "share-revoked")
    wmp_walsall_share.refresh_from_db()
    assert wmp_walsall_share.revoke_reason == "Case closed at the MACE meeting"


def test_the_partner_sees_the_share_but_no_revoke_button(
    page: Page, walsall_partner: User, password: str, wmp_walsall_share: Share
):
    sign_in(page, walsall_partner.email, password)
    page.goto(f"/sharing/{wmp_walsall_share.pk}/")
    expect(page.locator("main")).to_contain_text(wmp_walsall_share.reference)
    expect(page.get_by_role("link", name="Revoke this share")).to_have_count(0)
    response = page.goto(f"/sharing/{wmp_walsall_share.pk}/revoke/")
    assert response is not None
    assert response.status == 403
