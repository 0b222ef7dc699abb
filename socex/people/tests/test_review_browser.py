"""In Chromium: a detective works through the duplicate review queue, compares a pair side by
side, decides they are the same child and goes on to merge; the queue, pair and checks pages are
clean under axe-core."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.people.dedupe import execute_run
from socex.people.details import PersonDetails
from socex.people.models import CandidatePair, Decision
from socex.people.services import person_create
from socex.people.tasks import dedupe_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def found_pair(hub_detective: User) -> CandidatePair:
    school = PersonDetails(
        given_name="Kieran",
        family_name="Smyth",
        date_of_birth=dt.date(2011, 2, 3),
        postcodes=["WS2 8AA"],
        identifiers=[("upn", "A123456789012")],
    )
    early_help = PersonDetails(
        given_name="Kiernan",
        family_name="Smith",
        preferred_name="Ky",
        date_of_birth=dt.date(2011, 2, 3),
        postcodes=["WS2 8AA"],
        phones=["07700 900123"],
    )
    for details in (school, early_help):
        person_create(actor=hub_detective, details=details)
    execute_run(dedupe_create(actor=None))
    return CandidatePair.objects.get()


def test_a_detective_reviews_a_possible_duplicate_and_goes_on_to_merge(
    page: Page, live_server, hub_detective: User, password: str, found_pair: CandidatePair
):
    sign_in(page, hub_detective.email, password)
    page.goto(f"{live_server.url}/people/duplicates/")
    expect(page.get_by_role("heading", name="Possible duplicates", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("1 pair waiting for a decision")
    save_screenshot(page, "review-queue")
    assert_accessible(page)

    page.get_by_role("link", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("the same person?")
    table = page.get_by_role("table", name="The two records side by side")
    expect(table).to_contain_text("Kieran Smyth")
    expect(table).to_contain_text("Kiernan Smith")
    expect(_row(page, "Date of birth")).to_contain_text("Same")
    expect(_row(page, "Name")).to_contain_text("Different")
    expect(page.locator("main")).to_contain_text("Date of birth is the same")
    save_screenshot(page, "review-pair")
    assert_accessible(page)

    page.get_by_label("Yes, the same person").check()
    page.get_by_label("Note (optional)").fill("Same DOB and address; Early Help confirmed the spelling")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Recorded: same person")
    assert_accessible(page)
    page.get_by_role("link", name="Merge").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merge")
    found_pair.refresh_from_db()
    assert found_pair.decision == Decision.SAME


def _row(page: Page, label: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label, exact=True))


def test_the_checks_page_is_accessible(page: Page, live_server, hub_detective: User, password: str, found_pair):
    sign_in(page, hub_detective.email, password)
    page.goto(f"{live_server.url}/people/duplicates/checks/")
    expect(page.get_by_role("heading", name="Duplicate checks", level=1)).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Finished")
    expect(page.get_by_role("button", name="Run duplicate check now")).to_be_visible()
    save_screenshot(page, "dedupe-runs")
    assert_accessible(page)
