"""In Chromium: a detective reads an intelligence report, opens an investigation linked to it,
records a disruption under it, and sees it on the hub manager's dashboard. Every page axe-clean."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socex.areas.models import LPA
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.intelligence.models import Report
from socex.investigations.models import Disruption, Investigation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_intelligence_to_investigation_to_disruption_to_the_dashboard(
    page: Page, hub_detective, detective_post, password, wmp
):
    report = Report.objects.create(
        reference="INT-2026-0000042",
        source_type="officer",
        obtained_on=dt.date(2026, 10, 1),
        lpa=LPA.objects.get(name="Walsall"),
        text="BLUE line deal phone 07700 900123 run from a flat on Pleck Road, Walsall.",
        author=hub_detective,
        owner=wmp,
        grading_scheme="3x5x2",
        source_evaluation="1",
        intelligence_assessment="B",
        handling_code="P",
    )
    sign_in(page, hub_detective.email, password)
    page.goto(f"/intelligence/reports/{report.reference}/")
    expect(page.locator("main")).to_contain_text("BLUE line")

    page.get_by_role("link", name="Investigations").first.click()
    page.get_by_role("link", name="Open an investigation").click()
    page.get_by_label("Title").fill("BLUE county line, Walsall")
    page.get_by_label("Trafficking", exact=False).first.check()
    page.get_by_label("Officer in the case").select_option(label=hub_detective.full_name)
    page.get_by_label("Local policing area").select_option(label="Walsall")
    page.get_by_label("Crime reference numbers").fill("20/123456/26")
    page.get_by_label("Linked intelligence reports").fill(report.reference)
    assert_accessible(page)
    page.get_by_role("button", name="Open investigation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("opened")
    expect(page.get_by_role("link", name=report.reference)).to_be_visible()
    investigation = Investigation.objects.get()
    assert list(investigation.intelligence_reports.all()) == [report]
    save_screenshot(page, "investigation")
    assert_accessible(page)

    page.get_by_role("link", name="Record a disruption").click()
    page.get_by_label("Deal lines closed").check()
    today = timezone.localdate()
    page.get_by_label("Date").fill(f"{today:%d/%m/%Y}")
    assert_accessible(page)
    page.get_by_role("button", name="Record disruption").click()
    expect(page.locator("main")).to_contain_text("Deal lines closed (1)")
    assert Disruption.objects.get().investigation == investigation

    page.goto("/investigations/dashboard/")
    expect(page.get_by_role("heading", name="Hub manager's dashboard")).to_be_visible()
    chart = page.locator(".socex-line-chart")
    expect(chart).to_contain_text("Deal lines closed")
    chart.get_by_text("Show the figures as a table").click()
    expect(chart.locator("tbody tr").last).to_contain_text("1")
    save_screenshot(page, "investigations-dashboard")
    assert_accessible(page)
