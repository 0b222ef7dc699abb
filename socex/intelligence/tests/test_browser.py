"""In Chromium: an officer submits intelligence and confirms its entities, an analyst (a second
person) evaluates, sanitises and publishes it, a detective disseminates the sanitised copy to
Walsall Early Help, and the partner reads it. Every page is checked with axe-core."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.intelligence.models import Report
from socex.intelligence.tests.conftest import SANITISED, TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page: Page, user: User, password: str) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, password)


def test_submit_evaluate_sanitise_publish_and_disseminate(
    page: Page, hub_officer: User, analyst: User, hub_detective: User, walsall_partner: User, password: str
):
    # The officer submits.
    _as(page, hub_officer, password)
    page.get_by_role("link", name="Intelligence", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Submit intelligence").click()
    page.get_by_role("button", name="Submit report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you know")
    assert_accessible(page)
    page.get_by_label("Partner agency").check()
    page.get_by_label("Date obtained").fill("2/3/2026")
    page.get_by_label("Area (local policing area)").select_option(label="Walsall")
    page.get_by_label("What do you know?").fill(TEXT)
    page.get_by_role("button", name="Submit report").click()
    report = Report.objects.get()
    expect(page.get_by_role("heading", name=report.reference, level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("You wrote this report, so another person will evaluate it.")
    assert_accessible(page)

    # ...and confirms two of the entities the text suggests.
    page.get_by_role("link", name="Confirm entities from the text").click()
    page.get_by_label("Phone: 07700 900123").check()
    page.get_by_label("Vehicle: AB12 CDE").check()
    save_screenshot(page, "intelligence-entities")
    assert_accessible(page)
    page.get_by_role("button", name="Keep the ticked entities").click()
    expect(page.locator("#entities + table")).to_contain_text("AB12 CDE")

    # A second person, the analyst, grades it: C without conditions is refused, naming the rule.
    _as(page, analyst, password)
    page.goto(f"/intelligence/reports/{report.reference}/")
    page.get_by_role("link", name="Evaluate and grade").click()
    page.get_by_label("2: Untested").check()
    page.get_by_label("B: Known indirectly to the source but corroborated").check()
    page.get_by_label("C: Lawful sharing permitted with conditions").check()
    page.get_by_role("button", name="Save the grade").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("(handling code C needs conditions rule)")
    assert_accessible(page)
    page.get_by_label("P: Lawful sharing permitted", exact=True).check()
    page.get_by_role("button", name="Save the grade").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("evaluated: 2B P")

    page.get_by_role("link", name="Write the sanitised text").click()
    assert_accessible(page)
    page.get_by_label("Sanitised text").fill(SANITISED)
    page.get_by_role("button", name="Save the sanitised text").click()
    page.get_by_role("link", name="Publish").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("main")).to_contain_text("Published")
    save_screenshot(page, "intelligence-report")
    assert_accessible(page)

    # The detective disseminates the sanitised copy to Walsall Early Help.
    _as(page, hub_detective, password)
    page.goto(f"/intelligence/reports/{report.reference}/")
    page.get_by_role("link", name="Disseminate to a partner agency").click()
    expect(page.locator("main")).to_contain_text(SANITISED)
    page.get_by_label("Organisation to share with").select_option(label="Walsall Council Early Help")
    page.get_by_label("Legal basis").select_option(index=1)
    page.get_by_label("Last day of the share").fill((dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y"))
    assert_accessible(page)
    page.get_by_role("button", name="Disseminate").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "disseminated to Walsall Council Early Help"
    )

    # The partner finds it from the home page and reads only the sanitised text.
    _as(page, walsall_partner, password)
    page.get_by_role("link", name="Sanitised reports shared with your organisation").click()
    page.get_by_role("link", name=report.reference).click()
    expect(page.locator("main")).to_contain_text(SANITISED)
    expect(page.locator("main")).not_to_contain_text("Pelsall Lane")
    expect(page.locator("main")).not_to_contain_text("2B P")
    save_screenshot(page, "intelligence-shared")
    assert_accessible(page)


def test_the_search_page_with_filters_is_accessible(page: Page, hub_officer: User, hub_detective: User, password: str):
    from socex.intelligence.tests.conftest import submit

    submit(hub_officer)
    _as(page, hub_detective, password)
    page.goto("/intelligence/")
    page.get_by_label("Search", exact=True).fill('Audi "Pelsall Lane" -knife')
    page.get_by_label("Area (LPA)").select_option(label="Walsall")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("mark").first).to_have_text("Audi")
    expect(page.locator(".moj-filter__tag").first).to_be_visible()
    save_screenshot(page, "intelligence-search")
    assert_accessible(page)
