"""Two personas sign in through the real form in Chromium, see their own dashboards, and meet no
serious or critical accessibility problem (axe-core, WCAG 2.1 AA) on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from socex.accounts.models import User
from socex.core.dashboard import panels_for
from socex.core.testing.browser import assert_accessible, axe_violations, save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def figure_label(page: Page, label: str) -> Locator:
    return page.locator(".socex-figure__label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))


def assert_dashboard_shows_its_figures(page: Page, user: User) -> None:
    """Every panel the dashboard builds for this user is on the page, with its real figures."""
    panels = panels_for(user)
    figures = [figure for panel in panels for figure in panel.figures]
    assert figures, f"the dashboard has no figures for {user.email}"
    for panel in panels:
        section = page.locator("main section").filter(has=page.get_by_role("heading", name=panel.title, exact=True))
        expect(section).to_have_count(1)
        for figure in panel.figures:
            box = section.locator(".socex-figure", has=figure_label(page, figure.label))
            expect(box).to_have_count(1)
            expect(box.locator(".socex-figure__value")).to_have_text(str(figure.value))
            if figure.href:
                # The link says what it counts ("1 Records shared with ..."), not just "1".
                expect(box.get_by_role("link")).to_have_accessible_name(
                    re.compile(rf"^{re.escape(str(figure.value))}\s+{re.escape(figure.label)}$")
                )


def test_the_sign_in_page_is_accessible(page: Page):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert_accessible(page)


def test_a_wrong_password_gets_an_accessible_error_summary(page: Page, hub_detective: User):
    sign_in(page, hub_detective.email, "not-the-right-password")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: Sign in \N{EN DASH} "))
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert_accessible(page)


def test_the_hub_detective_sees_their_dashboard(page: Page, hub_detective: User, password: str, wmp_walsall_share):
    sign_in(page, hub_detective.email, password)
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.get_by_role("banner")).to_contain_text("DC Priya Sandhu")
    expect(page.locator("main")).to_contain_text("West Midlands Police")
    assert_dashboard_shows_its_figures(page, hub_detective)
    shared = page.locator(".socex-figure", has=figure_label(page, "Records your organisation has shared"))
    expect(shared.locator(".socex-figure__value")).to_have_text("1")
    expect(page.get_by_role("heading", name="Your hub: Birmingham SOCEX Hub")).to_be_visible()
    save_screenshot(page, "dashboard-hub-detective")
    assert_accessible(page)


def test_the_walsall_partner_sees_their_dashboard(page: Page, walsall_partner: User, password: str, wmp_walsall_share):
    sign_in(page, walsall_partner.email, password)
    expect(page.get_by_role("banner")).to_contain_text("Jo Bennett")
    expect(page.locator("main")).to_contain_text("Walsall Council Early Help")
    assert_dashboard_shows_its_figures(page, walsall_partner)
    received = page.locator(".socex-figure", has=figure_label(page, "Records shared with your organisation"))
    expect(received.locator(".socex-figure__value")).to_have_text("1")
    # A partner's dashboard shows no police hub panel.
    expect(page.get_by_role("heading", name=re.compile("^Your hub"))).to_have_count(0)
    save_screenshot(page, "dashboard-walsall-partner")
    assert_accessible(page)


def test_the_accessibility_check_catches_a_serious_violation(page: Page):
    # Guards the guard: axe-core must load under the real Content-Security-Policy and report.
    page.goto("/accounts/login/")
    page.evaluate("document.querySelectorAll('label').forEach((label) => label.remove())")
    violations = {violation["id"]: violation for violation in axe_violations(page)}
    assert "label" in violations
    assert violations["label"]["impact"] == "critical"
    with pytest.raises(pytest.fail.Exception, match=r"label \(critical\): Form elements must have labels"):
        assert_accessible(page)
