"""Two-factor authentication through the pages, as a person with an authenticator app does it:
set it up at first sign-in, then enter a code at the next one."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_LABEL = "Code from your authenticator app"


def code_from_app(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this setup key (``steps_ahead`` 30-second steps from now)."""
    key = b32decode(re.sub(r"\s", "", secret))
    return f"{totp(key, drift=steps_ahead):06d}"


def a_wrong_code(secret: str) -> str:
    """A code the app does not show now, nor one step either side (which django-otp also accepts)."""
    near = {code_from_app(secret, steps_ahead=step) for step in (-1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444") if code not in near)


def test_a_user_sets_up_two_factor_then_needs_a_code_to_sign_in(
    page: Page, hub_detective: User, password: str, settings
):
    settings.SOCEX_REQUIRE_MFA = True

    sign_in(page, hub_detective.email, password)
    expect(page.get_by_role("heading", name="Set up two-factor authentication", level=1)).to_be_visible()
    expect(page.locator("main svg")).to_have_count(1)  # the QR code
    assert_accessible(page)
    # Until the code is given, the dashboard is out of reach.
    page.goto("/")
    expect(page.get_by_role("heading", name="Set up two-factor authentication", level=1)).to_be_visible()

    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#mfa-secret").inner_text()
    page.get_by_label(CODE_LABEL).fill(code_from_app(secret))
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"), level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Two-factor authentication is set up")
    assert TOTPDevice.objects.filter(user=hub_detective, confirmed=True).count() == 1

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()

    sign_in(page, hub_detective.email, password)
    expect(page.get_by_role("heading", name="Enter your security code", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label(CODE_LABEL).fill(a_wrong_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    # django-otp makes the user wait after a wrong code (1 second after the first), as the message says.
    page.wait_for_timeout(1_500)
    # The next step's code: the one used to set up may not be used twice.
    page.get_by_label(CODE_LABEL).fill(code_from_app(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"), level=1)).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("DC Priya Sandhu")
