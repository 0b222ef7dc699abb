"""In Chromium: a school's safeguarding lead uploads a list of pupils, checks it, and imports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUPILS_CSV = Path(__file__).parent / "data" / "pupils.csv"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def test_a_partner_uploads_checks_and_imports_a_list(page: Page, walsall_partner: User, password: str):
    sign_in(page, walsall_partner.email, password)
    page.goto("/people/import/")
    expect(page.get_by_role("heading", name="Import a list of people", level=1)).to_be_visible()
    save_screenshot(page, "people-import-upload")
    assert_accessible(page)

    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the file with your list of people")
    assert_accessible(page)

    page.get_by_label("Upload a file").set_input_files(str(PUPILS_CSV))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the people before importing them")).to_be_visible()
    expect(page.locator("#row-2")).to_contain_text("Kieran Smyth")
    expect(page.locator("#row-2")).to_contain_text("New person")
    save_screenshot(page, "people-import-check")
    assert_accessible(page)
    assert Person.objects.count() == 0

    page.get_by_role("button", name="Import 5 people").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Import complete")
    save_screenshot(page, "people-import-done")
    assert_accessible(page)
    assert Person.objects.filter(owner=walsall_partner.organisation).count() == 5


def test_a_file_with_bad_rows_shows_each_problem_and_cannot_be_imported(
    page: Page, walsall_partner: User, password: str, tmp_path: Path
):
    bad = tmp_path / "pupils.csv"
    bad.write_text(PUPILS_CSV.read_text(encoding="utf-8").replace("14/09/2010", "30/02/2011"), encoding="utf-8")
    sign_in(page, walsall_partner.email, password)
    page.goto("/people/import/")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Row 3, column D Date of birth (date_of_birth)")
    expect(page.get_by_role("button", name="Import 5 people")).to_have_count(0)
    save_screenshot(page, "people-import-errors")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.locator("#row-3")).to_contain_text("30/02/2011 does not exist")
