"""In Chromium: a hub officer works a case (a practitioner entry, a risk review, filtering the
chronology and downloading it as a PDF), then the participating partner sees the same chronology
and a school not on the case gets only the signpost. Every page is clean under axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.cases.models import Case
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hub_officer_works_a_case_and_the_partner_sees_the_chronology(
    page: Page, hub_officer: User, walsall_partner: User, school_outsider: User, password: str, shared_case: Case
):
    sign_in(page, hub_officer.email, password)
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=shared_case.reference).click()
    expect(page.get_by_role("heading", name=shared_case.reference, level=1)).to_be_visible()
    expect(page.locator("#agencies + p + .socex-table-wrapper")).to_contain_text("Walsall Council Early Help")
    assert_accessible(page)

    # A practitioner entry, first with a mistake that is named beside its field.
    page.get_by_role("link", name="Add to the chronology").first.click()
    page.get_by_label("What kind of entry is it?").select_option("phone_call")
    page.get_by_label("Date it happened").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Time it happened").fill("9.75")
    page.get_by_label("What happened").fill("Spoke to mum about last night's missing episode")
    page.get_by_role("button", name="Add entry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real time on the 24-hour clock")
    expect(page.get_by_label("What happened")).to_have_value("Spoke to mum about last night's missing episode")
    assert_accessible(page)
    page.get_by_label("Time it happened").fill("09:45")
    page.get_by_role("button", name="Add entry").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Added to the chronology")

    # A risk review from the case page.
    page.get_by_role("link", name=f"Back to {shared_case.reference}").click()
    page.get_by_role("link", name="Record a risk review").click()
    page.get_by_label("Significant risk").check()
    page.get_by_label("Date of the review").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Reasons and analysis").fill("Missing overnight twice this week; seen with older males.")
    assert_accessible(page)
    page.get_by_role("button", name="Save risk review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Risk review recorded: Significant risk"
    )
    expect(page.locator("#risk ~ .socex-table-wrapper").first).to_contain_text("Missing overnight twice this week")
    save_screenshot(page, "case-page")
    assert_accessible(page)

    # Filter the chronology to the practitioner's entries, then download it as a PDF.
    page.get_by_role("link", name="See the whole chronology, filter it or download it").click()
    expect(page.locator(".moj-timeline__item")).to_have_count(3)
    page.get_by_label("Entered by").select_option("practitioner")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".moj-timeline__item")).to_have_count(1)
    expect(page.locator(".moj-timeline")).to_contain_text("Spoke to mum about last night's missing episode")
    expect(page.locator(".moj-filter-tags")).to_contain_text("Entered by: Practitioner entry")
    save_screenshot(page, "case-chronology")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as PDF").or_(page.get_by_role("link", name="Download as PDF")).click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"{shared_case.reference}-chronology-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The participating partner sees the same chronology.
    page.context.clear_cookies()
    sign_in(page, walsall_partner.email, password)
    page.goto(f"/cases/{shared_case.pk}/chronology/")
    expect(page.locator(".moj-timeline")).to_contain_text("Spoke to mum about last night's missing episode")
    expect(page.locator(".moj-timeline")).to_contain_text("Risk review: At risk to Significant risk")
    assert_accessible(page)

    # A school not on the case searching for the child gets only the signpost.
    page.context.clear_cookies()
    sign_in(page, school_outsider.email, password)
    page.goto("/cases/search/")
    page.get_by_label("Case reference or the name of a child or adult").fill("Kieran Smith")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("A record exists — contact the hub.")
    expect(page.locator("main")).not_to_contain_text(shared_case.reference)
    save_screenshot(page, "case-signpost")
    assert_accessible(page)


def test_the_dashboard_is_accessible(page: Page, hub_detective: User, password: str, case: Case):
    case.opened_at = timezone.now() - dt.timedelta(days=40)
    case.save(update_fields=["opened_at"])
    sign_in(page, hub_detective.email, password)
    page.goto("/cases/dashboard/")
    expect(page.get_by_role("heading", name="Cases dashboard", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Walsall")
    save_screenshot(page, "cases-dashboard")
    assert_accessible(page)
