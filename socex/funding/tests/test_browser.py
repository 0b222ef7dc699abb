"""In Chromium: a VRP officer sets a budget and allocates from it; the lead organisation sends its
quarterly return; the officer reads the allocation table and downloads it. Every page axe-clean."""

import pytest
from playwright.sync_api import Page, expect

from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.funding.models import Allocation, MonitoringReturn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")


def test_budget_to_allocation_to_monitoring_return_to_the_report(page: Page, vrp_officer, walsall_partner, password):
    sign_in(page, vrp_officer.email, password)
    page.get_by_role("link", name="Funding").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("VRP funding")
    assert_accessible(page)

    page.get_by_role("link", name="Add a budget").click()
    page.get_by_label("Budget name").fill("Walsall local delivery")
    page.get_by_label("Local delivery").check()
    page.get_by_label("Financial year").select_option(label="2024/25")
    page.get_by_label("Local policing area").select_option(label="Walsall")
    page.get_by_label("Amount").fill("50,000")
    page.get_by_label("Source of the money").fill("Home Office VRU grant")
    assert_accessible(page)
    page.get_by_role("button", name="Add budget").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Walsall local delivery")

    page.get_by_role("link", name="Add an allocation").click()
    page.get_by_label("Project or intervention").fill("CARE Project")
    page.get_by_label("Lead organisation").select_option(label="Walsall Council Early Help")
    page.get_by_label("Allocation", exact=True).fill("50000.01")
    page.get_by_label("Active").check()
    page.get_by_role("button", name="Save allocation").click()
    # Over the budget: refused beside the field, with what was typed kept.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Allocations may not exceed the budget")
    expect(page.get_by_label("Project or intervention")).to_have_value("CARE Project")
    assert_accessible(page)
    page.get_by_label("Allocation", exact=True).fill("35000")
    page.get_by_label("Detail").fill("Early Help keyworkers for young people at risk of exploitation")
    page.get_by_role("button", name="Save allocation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Allocated £35,000 to CARE Project")
    save_screenshot(page, "funding-allocation")
    assert_accessible(page)
    _sign_out(page)

    sign_in(page, walsall_partner.email, password)
    page.get_by_role("link", name="Report on your projects").click()
    page.get_by_role("link", name="CARE Project").click()
    page.get_by_role("link", name="Submit a monitoring return").click()
    page.get_by_label("Financial year").select_option(label="2024/25")
    page.get_by_label("Quarter 1 (April to June)").check()
    page.get_by_label("Young people reached").fill("23")
    page.get_by_label("Sessions delivered").fill("61")
    page.get_by_label("Outcomes").fill("Nine young people attending school more often")
    assert_accessible(page)
    page.get_by_role("button", name="Submit return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Quarter 1 of 2024/25")
    expect(page.locator("main")).to_contain_text("Nine young people attending school more often")
    assert_accessible(page)
    assert MonitoringReturn.objects.get().allocation == Allocation.objects.get(project="CARE Project")
    _sign_out(page)

    sign_in(page, vrp_officer.email, password)
    page.goto("/funding/reports/allocations/?financial_year=2024")
    expect(page.locator("table")).to_contain_text("CARE Project")
    expect(page.locator("table")).to_contain_text("£35,000")
    save_screenshot(page, "funding-allocation-table")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == "vrp-allocations-all-areas-2024-25.pdf"
