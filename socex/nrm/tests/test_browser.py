"""In Chromium: from the case page to an NRM referral, its submission and decisions (one refused with
the rule named), the referral pack, the work tray and the statistics page; every page clean under axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socex.cases.services import case_create
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.nrm import services
from socex.nrm.models import NrmReferral
from socex.nrm.tests.helpers import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_case_to_nrm_referral_to_decisions_to_statistics(page: Page, hub_officer, password, walsall, wmp):
    services.first_responders_sync(actor=None)
    child = make_person(hub_officer, dob=dt.date(2010, 2, 3))
    case = case_create(
        actor=hub_officer, subjects=[child], lead_agency=wmp, lpa=walsall, exploitation_types=["county_lines"]
    )
    today = timezone.localdate()
    submitted_on, rg_on = today - dt.timedelta(days=60), today - dt.timedelta(days=57)

    sign_in(page, hub_officer.email, password)
    page.goto(f"/cases/{case.pk}/")
    nrm = page.locator("section", has=page.get_by_role("heading", name="NRM", exact=True))
    expect(nrm).to_contain_text("No NRM referral for this case")
    assert_accessible(page)
    nrm.get_by_role("link", name="Create NRM referral").click()

    expect(page.get_by_role("heading", name="Start an NRM referral", level=1)).to_be_visible()
    expect(page.get_by_label("Kieran Smith (P-")).to_be_checked()
    expect(page.get_by_label("Forced to commit a crime")).to_be_checked()  # from the case's county lines
    assert_accessible(page)
    page.get_by_role("group", name="Is the potential victim under 18?").get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="Where was the potential victim exploited?").get_by_label("UK", exact=True).check()
    page.get_by_label("Cities or towns in the UK").fill("Walsall")
    page.get_by_label("What did they say happened?").fill("Found running drugs between Walsall and Shropshire.")
    page.get_by_label("Date the referral was started").fill(_uk(submitted_on))
    page.get_by_role("button", name="Start referral").click()

    referral = NrmReferral.objects.get()
    expect(page.get_by_role("heading", name=referral.reference)).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Started NRM referral {referral.reference}")
    assert_accessible(page)

    page.get_by_role("link", name="Record submission").click()
    page.get_by_label("Date it was submitted").fill(_uk(submitted_on))
    page.get_by_label("Home Office reference").fill("HO-123")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#clocks")).to_contain_text("HO-123")
    expect(page.locator("#status .govuk-tag")).to_contain_text("Reasonable grounds overdue")

    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Reasonable grounds").check()
    page.get_by_label("Positive").check()
    page.get_by_label("Date of the decision").fill(_uk(rg_on))
    page.get_by_label("Single Competent Authority").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#clocks")).to_contain_text("Minimum recovery period")

    # A conclusive decision before the recovery period ends is refused, naming the rule.
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Conclusive grounds").check()
    page.get_by_label("Positive").check()
    page.get_by_label("Date of the decision").fill(_uk(rg_on + dt.timedelta(days=29)))
    page.get_by_label("Single Competent Authority").check()
    page.get_by_role("button", name="Record decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Minimum recovery period: a conclusive grounds decision cannot be made before")
    expect(page.get_by_label("Date of the decision")).to_have_value(_uk(rg_on + dt.timedelta(days=29)))
    save_screenshot(page, "nrm-decision-refused")
    assert_accessible(page)
    page.get_by_label("Date of the decision").fill(_uk(rg_on + dt.timedelta(days=30)))
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#status .govuk-tag")).to_contain_text("Positive conclusive grounds")
    save_screenshot(page, "nrm-referral")

    page.get_by_role("link", name="Referral pack").click()
    expect(page.get_by_role("heading", name="Referral pack", level=1)).to_be_visible()
    expect(page.locator("#page-pv-under-age")).to_contain_text("Is the potential victim under 18?")
    expect(page.locator("main")).to_contain_text("The form would reject")
    assert_accessible(page)

    page.goto(f"/cases/{case.pk}/")
    expect(nrm).to_contain_text(referral.reference)
    expect(nrm).to_contain_text("Positive conclusive grounds")

    page.get_by_role("link", name="NRM", exact=True).click()
    expect(page.get_by_role("heading", name="NRM work tray", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="NRM statistics", level=1)).to_be_visible()

    def total(table: str, row: str):  # the Total cell of a row of a table
        header = page.get_by_role("rowheader", name=row, exact=True)
        return page.get_by_role("table", name=table, exact=True).locator("tr", has=header).locator("td").last

    expect(total("NRM referrals", "All referrals")).to_have_text("1")
    expect(total("County lines", "County lines")).to_have_text("1")
    expect(total("Conclusive grounds decisions", "Positive")).to_have_text("1")
    save_screenshot(page, "nrm-statistics")
    assert_accessible(page)


def test_the_other_nrm_pages_are_accessible(page: Page, hub_officer, administrator, password, walsall, tmp_path):
    from socex.nrm.conf import REFERENCE_DIR
    from socex.nrm.tests.helpers import start, submitted

    services.first_responders_sync(actor=None)
    today = timezone.localdate()
    unsure = start(hub_officer, make_person(hub_officer, given="Ky", family="Unknown"), walsall, under_18="not-sure")
    submitted(hub_officer, make_person(hub_officer, dob=dt.date(2010, 1, 1), given="Lee"), walsall, today)
    adult = make_person(hub_officer, dob=dt.date(1990, 1, 1), given="Ana", family="Popescu", gender="female")
    report = start(hub_officer, adult, walsall, under_18="no", consent="refused")
    sample = REFERENCE_DIR / "published" / "uk_headlines.csv"
    services.published_import(actor=hub_officer, file_name=sample.name, data=sample.read_bytes())
    services.published_figure_add(
        actor=hub_officer,
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        area="West Midlands Police",
        dimension="total",
        category="All",
        value=4,
        edition="Test figure typed in by hand",
    )

    sign_in(page, hub_officer.email, password)
    for url, heading in [
        ("/nrm/", "NRM work tray"),
        ("/nrm/referrals/", "Referrals and reports"),
        (f"/nrm/dtn/{report.pk}/", report.reference),
        ("/nrm/published/", "Published NRM figures"),
        (f"/nrm/referrals/{unsure.pk}/age/", "Record the age assessment"),
        (f"/nrm/referrals/{unsure.pk}/pack/types-of-exploitation/", "How were they exploited?"),
        (f"/nrm/referrals/{unsure.pk}/support/new/", "Add a support referral"),
        ("/nrm/published/new/", "Add a published figure"),
    ]:
        page.goto(url)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert_accessible(page)
    page.goto("/nrm/published/")
    expect(page.locator("#coverage")).to_contain_text("Not an area the hub covers")
    expect(page.locator("#coverage")).to_contain_text("25.0%")  # 1 recorded of 4 typed in
    save_screenshot(page, "nrm-published")

    bad = tmp_path / "figures.csv"
    bad.write_text("period,area,dimension,category,value\n2024 Q9,WMP,total,All,3\n", encoding="utf-8")
    page.goto("/nrm/published/import/")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_label("Publication").fill("Test")
    page.get_by_role("button", name="Load figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Sheet 'figures.csv', cell A2")
    assert_accessible(page)

    page.goto(f"/nrm/referrals/{unsure.pk}/age/")
    page.get_by_label("They are an adult (18 or over)").check()
    page.get_by_label("Date of the age assessment").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Consent: an adult must give informed consent")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, administrator.email, password)
    page.goto("/nrm/first-responders/")
    expect(page.get_by_role("heading", name="First responder list", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("West Midlands Police")
    assert_accessible(page)
