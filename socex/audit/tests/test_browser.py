"""An auditor, in Chromium, filters the audit log and answers "who has looked at this record?"."""

import re

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.audit.models import Action
from socex.audit.services import record
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.sharing.models import Share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_filters_the_log_and_sees_who_looked(
    page: Page, auditor: User, walsall_partner: User, password: str, wmp_walsall_share: Share
):
    record(Action.VIEW, obj=wmp_walsall_share, actor=walsall_partner, justification="Preparing for MACE")
    sign_in(page, auditor.email, password)
    page.goto("/audit/")
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("User").fill("walsall")
    page.get_by_label("Action").select_option(label="Viewed")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".moj-filter__tag", has_text="User: walsall")).to_be_visible()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("earlyhelp@walsall.example")
    save_screenshot(page, "audit-log-filtered")
    assert_accessible(page)

    rows.first.get_by_role("link", name=re.compile(wmp_walsall_share.reference)).click()
    expect(page.get_by_role("heading", name="Who has looked at this record?", level=1)).to_be_visible()
    viewers = page.locator("main table").first
    expect(viewers).to_contain_text("Jo Bennett")
    expect(viewers).to_contain_text("Walsall Council Early Help")
    expect(viewers).to_contain_text("Preparing for MACE")
    save_screenshot(page, "audit-who-has-looked")
    assert_accessible(page)


def test_an_impossible_date_gets_an_accessible_error(page: Page, auditor: User, password: str):
    sign_in(page, auditor.email, password)
    page.goto("/audit/?date_from=2024-02-30")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Date from must be a real date")
    assert_accessible(page)
