"""In Chromium: a Walsall Early Help practitioner refers a child (picking her from the index as
they type), saves a draft, comes back, answers the screening questions and sends it; a hub
officer triages it from the queue into a new case. Every page is clean under axe-core."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.cases.models import ChronologyEntry
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.people.details import PersonDetails
from socex.people.models import Person
from socex.people.services import person_create
from socex.referrals.models import Referral, ReferralStatus
from socex.referrals.screening import tool_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leah(walsall_partner: User) -> Person:
    return person_create(
        actor=walsall_partner,
        details=PersonDetails(
            given_name="Leah", family_name="Ward", date_of_birth=dt.date(2010, 6, 14), postcodes=["WS1 1AA"]
        ),
    )


def _answer_group(page: Page, group_code: str, current: tuple[str, ...] = ()) -> None:
    for indicator in tool_for().group(group_code).indicators:
        answer = "Current or in the last 6 months" if indicator.code in current else "Not present or not known"
        page.get_by_role("group", name=indicator.text).get_by_label(answer).check()


def test_a_partner_refers_a_child_and_the_hub_accepts_it_into_a_case(
    page: Page, walsall_partner: User, hub_officer: User, password: str, leah: Person
):
    sign_in(page, walsall_partner.email, password)
    page.get_by_role("link", name="Referrals", exact=True).click()
    expect(page.get_by_role("heading", name="My referrals", level=1)).to_be_visible()
    page.get_by_role("link", name="Make a referral").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()

    # Who: live matching finds Leah under a shortened name, and the referrer uses her record.
    expect(page.get_by_role("heading", name="Who are you referring?")).to_be_visible()
    expect(page.locator("#match-results")).to_contain_text("As you type")
    assert_accessible(page)
    page.get_by_label("First name").fill("Lea")
    page.get_by_label("Last name").fill("Ward")
    panel = page.locator("#match-results")
    expect(panel).to_contain_text("This person may already be known")
    expect(panel).to_contain_text(leah.reference)
    save_screenshot(page, "referral-live-match")
    assert_accessible(page)
    panel.get_by_role("button", name="Use this record for Leah Ward").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Added Leah Ward")
    expect(page.locator(".govuk-summary-list")).to_contain_text(f"Known to the person index: {leah.reference}")
    page.get_by_role("button", name="Save and continue").click()

    # Concerns, then save the draft and leave.
    expect(page.get_by_role("heading", name="Your concerns")).to_be_visible()
    page.get_by_label("Child criminal exploitation").check()
    page.get_by_label("What are you worried about?").fill("Seen at the bus station late at night with older boys.")
    assert_accessible(page)
    page.get_by_role("button", name="Save as draft and return later").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your draft referral has been saved")
    assert Referral.objects.get().status == ReferralStatus.DRAFT
    assert_accessible(page)

    # Resume: the draft picks up at the first question not yet answered.
    page.get_by_role("link", name="Draft").click()
    expect(page.get_by_role("heading", name="Significant risk indicators")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Repeat missing episodes")
    assert_accessible(page)
    _answer_group(page, "significant", current=("missing_episodes",))
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Other risk indicators")).to_be_visible()
    _answer_group(page, "other")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator(".govuk-inset-text")).to_contain_text("The screening tool suggests: Significant risk")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("group", name="Does the child or adult know about this referral?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("group", name="Does their family know about this referral?").get_by_label("No", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("What are the immediate risks?").fill("Likely to go missing this weekend.")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Check your answers before sending your referral")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Seen at the bus station late at night")
    save_screenshot(page, "referral-check-answers")
    assert_accessible(page)
    page.get_by_role("button", name="Accept and send").click()

    referral = Referral.objects.get()
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text("Referral sent")
    expect(panel).to_contain_text(referral.reference)
    save_screenshot(page, "referral-sent")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The hub officer triages it from the queue.
    sign_in(page, hub_officer.email, password)
    page.get_by_role("link", name="Referrals", exact=True).click()
    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text=referral.reference)
    expect(row).to_contain_text("Significant risk")
    expect(row).to_contain_text("Leah Ward")
    save_screenshot(page, "triage-queue")
    assert_accessible(page)
    row.get_by_role("link", name=referral.reference).click()
    expect(page.get_by_role("heading", name=referral.reference)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Accepted into a new case").check()
    page.get_by_label("Reason").fill("Significant risk: strategy discussion with children's social care today.")
    page.get_by_label("I will be the keyworker for the new case").check()
    page.get_by_role("button", name="Record the decision").click()

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TRIAGED
    case = referral.case
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(case.reference)
    expect(page.locator("main")).to_contain_text("Accepted into a new case")
    assert_accessible(page)
    assert list(case.subjects.all()) == [leah]
    assert case.keyworker == hub_officer
    summaries = set(ChronologyEntry.objects.filter(case=case).values_list("summary", flat=True))
    assert f"Referral {referral.reference} received from Walsall Council Early Help" in summaries
    assert f"Triaged: accepted ({referral.reference})" in summaries
