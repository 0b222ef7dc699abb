"""A destructive button marked data-confirm asks first, and does nothing if the person says no."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_switching_off_an_account_asks_first(page: Page, administrator: User, hub_officer: User, password: str):
    sign_in(page, administrator.email, password)
    page.goto(f"/accounts/users/{hub_officer.pk}/")
    asked: list[str] = []

    def answer(dialog: Dialog, *, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Switch off account").click()
    assert asked == [
        f"Switch off {hub_officer.full_name}'s account? They will not be able to sign in and their API tokens "
        "will stop working."
    ]
    hub_officer.refresh_from_db()
    assert hub_officer.is_active

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Switch off account").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("switched off")
    hub_officer.refresh_from_db()
    assert not hub_officer.is_active
