"""In Chromium: finding a person and opening their page; adding a person while live matching
says who may already be known; both pages clean under axe-core."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.people.details import PersonDetails
from socex.people.models import Person
from socex.people.services import part_add, person_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kieran(hub_officer: User) -> Person:
    person = person_create(
        actor=hub_officer,
        details=PersonDetails(
            given_name="Kieran",
            family_name="Smith",
            date_of_birth=dt.date(2011, 2, 3),
            postcodes=["WS2 8AA"],
            phones=["07700 900123"],
            identifiers=[("nhs", "9434765919")],
        ),
    )
    part_add(actor=hub_officer, person=person, kind="marker", marker_kind="missing", detail="Missing 3 times in May")
    return person


def test_a_detective_finds_a_child_under_another_spelling_and_opens_their_record(
    page: Page, hub_detective: User, password: str, kieran: Person
):
    sign_in(page, hub_detective.email, password)
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="Find a person", level=1)).to_be_visible()
    page.get_by_label("First name").fill("Kiernan")
    page.get_by_label("Last name").fill("Smyth")
    page.get_by_label("Date of birth").fill("03/02/2011")
    page.get_by_role("button", name="Search").click()
    results = page.locator(".govuk-summary-card")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("date of birth matches exactly (03/02/2011)")
    expect(results.locator(".govuk-tag")).to_contain_text("%")
    save_screenshot(page, "people-search")
    assert_accessible(page)

    results.get_by_role("link", name="Kieran Smith").click()
    expect(page.get_by_role("heading", name="Kieran Smith", level=1)).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Goes missing")
    expect(page.locator("main")).to_contain_text("07700 900123")
    save_screenshot(page, "person-page")
    assert_accessible(page)


def test_adding_a_person_shows_who_may_already_be_known_while_typing(
    page: Page, hub_detective: User, password: str, kieran: Person
):
    sign_in(page, hub_detective.email, password)
    page.goto("/people/new/")
    expect(page.locator("#match-results")).to_contain_text("As you type")
    assert_accessible(page)

    page.get_by_label("First name").fill("Kiernan")
    page.get_by_label("Last name", exact=True).fill("Smyth")
    page.locator("#id_date_of_birth").fill("3/2/2011")
    panel = page.locator("#match-results")
    expect(panel).to_contain_text("This person may already be known")
    expect(panel.get_by_role("link", name="Kieran Smith")).to_have_attribute("href", f"/people/{kieran.pk}/")
    save_screenshot(page, "person-new-live-match")
    assert_accessible(page)

    # Only the age is known, and a bad age is named beside its field.
    page.locator("#id_date_of_birth").fill("")
    page.get_by_label("Or their age in years").fill("fifteen")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their age as a whole number of years")
    assert_accessible(page)
    assert Person.objects.count() == 1

    page.get_by_label("Or their age in years").fill("15")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Added Kiernan Smyth")
    expect(page.locator("main")).to_contain_text("about")
    assert Person.objects.count() == 2


def test_a_detective_compares_two_records_merges_them_and_undoes_it(
    page: Page, hub_detective: User, password: str, kieran: Person
):
    duplicate = person_create(
        actor=hub_detective,
        details=PersonDetails(given_name="Kiernan", family_name="Smyth", date_of_birth=dt.date(2011, 2, 3)),
    )
    sign_in(page, hub_detective.email, password)
    page.goto(f"/people/{kieran.pk}/")
    page.get_by_label("Reference of the other record").fill(duplicate.reference)
    page.get_by_role("button", name="Compare records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Merge {duplicate.reference} into {kieran.reference}")
    expect(page.locator("table")).to_contain_text("After the merge")
    save_screenshot(page, "person-merge-preview")
    assert_accessible(page)

    page.get_by_label("Why are these the same person?").fill("Same date of birth; school confirmed the spelling")
    page.get_by_role("button", name="Merge records").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Merged {duplicate.reference}")

    page.goto(f"/people/{duplicate.pk}/")
    expect(page.locator("main")).to_contain_text(f"This person was merged into {kieran.reference}")
    page.get_by_role("link", name="Undo merge").click()
    assert_accessible(page)
    page.get_by_label("Why was the merge wrong?").fill("Twins")
    page.get_by_role("button", name="Undo merge").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("separate record again")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
