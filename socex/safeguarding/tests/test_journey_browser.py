"""The whole journey of issue 4, in Chromium, through the pages people use:

1. a Walsall Early Help practitioner refers a child (the referral question pages);
2. a hub officer accepts the referral into a new case from the triage queue, and shares the case
   with Walsall Early Help and with the MACE chair's agency (Sandwell Children's Trust);
3. the MACE chair sets up a meeting, puts the case on the agenda, records the discussion and
   decisions, assigns an action to Walsall Early Help, makes the minutes final and downloads
   Walsall's copy;
4. the practitioner finds the action in their work tray and completes it;
5. the case's chronology shows every step.

Every page on the way is clean under axe-core.
"""

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.core.testing.factories import in_days
from socex.people.details import PersonDetails
from socex.people.models import Person
from socex.people.services import person_create
from socex.referrals.models import Referral
from socex.referrals.screening import tool_for
from socex.safeguarding.models import Action, ActionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leah(walsall_partner: User) -> Person:
    """Leah Ward, already known to Walsall Early Help (in the person index)."""
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


def _continue(page: Page) -> None:
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def _refer(page: Page, partner: User, password: str, leah: Person) -> Referral:
    sign_in(page, partner.email, password)
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name="Make a referral").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("First name").fill("Leah")
    page.get_by_label("Last name").fill("Ward")
    page.locator("#match-results").get_by_role("button", name="Use this record for Leah Ward").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Added Leah Ward")
    _continue(page)
    page.get_by_label("Child criminal exploitation").check()
    page.get_by_label("What are you worried about?").fill("Seen at the bus station late at night with older boys.")
    _continue(page)
    _answer_group(page, "significant", current=("missing_episodes",))
    _continue(page)
    _answer_group(page, "other")
    _continue(page)
    expect(page.locator(".govuk-inset-text")).to_contain_text("The screening tool suggests")
    _continue(page)
    about = "Does the child or adult know about this referral?"
    page.get_by_role("group", name=about).get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="Does their family know about this referral?").get_by_label("No", exact=True).check()
    _continue(page)
    page.get_by_label("What are the immediate risks?").fill("Likely to go missing this weekend.")
    _continue(page)
    expect(page.get_by_role("heading", name="Check your answers before sending your referral")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accept and send").click()
    referral = Referral.objects.get()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text(referral.reference)
    assert_accessible(page)
    _sign_out(page)
    return referral


def _share(page: Page, agency: str) -> None:
    page.get_by_role("link", name="Share with an agency").click()
    page.get_by_label("Organisation to share with").select_option(label=agency)
    page.get_by_label("Legal basis").select_option(index=1)
    page.get_by_label("What is being shared, and why").fill("Case summary and plan, for the MACE meeting")
    page.get_by_label("Last day of the share").fill(in_days(60).strftime("%d/%m/%Y"))
    assert_accessible(page)
    page.get_by_role("button", name="Share record").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Shared with {agency}")


def _accept_and_share(page: Page, officer: User, password: str, referral: Referral) -> str:
    sign_in(page, officer.email, password)
    page.get_by_role("link", name="Referrals", exact=True).click()
    row = page.locator("tbody tr").filter(has_text=referral.reference)
    assert_accessible(page)
    row.get_by_role("link", name=referral.reference).click()
    page.get_by_label("Accepted into a new case").check()
    page.get_by_label("Reason").fill("Significant risk: strategy discussion with children's social care today.")
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    referral.refresh_from_db()
    case = referral.case
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(case.reference)
    page.goto(case.get_absolute_url())
    expect(page.get_by_role("heading", name="Safeguarding plan")).to_be_visible()
    assert_accessible(page)
    _share(page, "Walsall Council Early Help")
    page.goto(case.get_absolute_url())
    _share(page, "Sandwell Children's Trust")
    _sign_out(page)
    return case.reference


def _run_meeting(page: Page, chair: User, password: str, case_reference: str) -> str:
    sign_in(page, chair.email, password)
    page.get_by_role("link", name="Safeguarding", exact=True).click()
    page.get_by_role("link", name="MACE meetings").click()
    assert_accessible(page)
    page.get_by_role("link", name="Set up a MACE meeting").click()
    page.get_by_label("Meeting name").fill("Walsall MACE")
    page.get_by_label("Date of the meeting").fill(dt.date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Walsall Council Early Help").check()
    page.get_by_label("West Midlands Police").check()
    assert_accessible(page)
    page.get_by_role("button", name="Set up meeting").click()
    expect(page.get_by_role("heading", name=re.compile("Walsall MACE"), level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a case to the agenda").click()
    page.get_by_label("Case reference").fill(case_reference)
    assert_accessible(page)
    page.get_by_role("button", name="Add to agenda").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Added {case_reference}")

    page.get_by_role("link", name=f"Record the discussion and actions for {case_reference}").click()
    page.get_by_label("Discussion").fill("Early Help reported two missing episodes; police shared a stop with cash.")
    page.get_by_label("Decisions").fill("Risk stays significant. Return home interview by Friday.")
    assert_accessible(page)
    page.get_by_role("button", name="Save discussion").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Saved the discussion")

    page.get_by_role("link", name=case_reference, exact=True).click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What needs to be done").fill("Return home interview with Leah, shared with the hub")
    page.get_by_label("Agency that owns it").select_option(label="Walsall Council Early Help")
    page.get_by_label("Person who owns it (optional)").select_option(label="Jo Bennett (Walsall Council Early Help)")
    page.get_by_label("Due date").fill(in_days(5).strftime("%d/%m/%Y"))
    assert_accessible(page)
    page.get_by_role("button", name="Add action").click()
    action = Action.objects.get()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(action.reference)
    assert_accessible(page)

    page.get_by_role("link", name="Back to the meeting").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make the minutes final").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("are final")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the minutes for Walsall Council Early Help (PDF)").click()
    minutes = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
    assert case_reference in minutes
    assert "Return home interview with Leah" in re.sub(r"\s+", " ", minutes)
    _sign_out(page)
    return action.reference


def _complete(page: Page, partner: User, password: str, action_reference: str) -> None:
    sign_in(page, partner.email, password)
    page.get_by_role("link", name="Safeguarding", exact=True).click()
    expect(page.get_by_role("heading", name="My actions", level=1)).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 action due in the next 7 days")
    assert_accessible(page)
    page.get_by_role("link", name=action_reference).click()
    assert_accessible(page)
    page.get_by_role("link", name="Mark as done").click()
    page.get_by_label("What was done").fill("Interview done on Thursday; Leah says older boys give her lifts.")
    assert_accessible(page)
    page.get_by_role("button", name="Mark as done").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("marked as done")
    assert_accessible(page)


def test_refer_accept_mace_action_complete_and_the_chronology_shows_each_step(
    page: Page, walsall_partner: User, hub_officer: User, mace_chair: User, wmp, password: str, leah: Person
):
    referral = _refer(page, walsall_partner, password, leah)
    case_reference = _accept_and_share(page, hub_officer, password, referral)
    action_reference = _run_meeting(page, mace_chair, password, case_reference)
    _complete(page, walsall_partner, password, action_reference)
    assert Action.objects.get().status == ActionStatus.DONE

    # The partner reads the case's chronology: every step is there, newest first.
    page.get_by_role("link", name=case_reference).first.click()
    expect(page.get_by_role("heading", name="Safeguarding plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See the whole chronology, filter it or download it").click()
    timeline = page.locator(".moj-timeline")
    steps = [
        f"Referral {referral.reference} received from Walsall Council Early Help",
        f"Triaged: accepted ({referral.reference})",
        "Put on the agenda of MACE meeting Walsall MACE",
        "Discussed at MACE meeting Walsall MACE",
        f"Action {action_reference} agreed at MACE meeting",
        f"Action {action_reference} done by Walsall Council Early Help",
    ]
    for step in steps:
        expect(timeline).to_contain_text(step)
    text = timeline.inner_text()
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions, reverse=True), "the chronology is newest first"
    save_screenshot(page, "journey-chronology")
    assert_accessible(page)
