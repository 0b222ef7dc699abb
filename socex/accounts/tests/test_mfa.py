"""Two-factor authentication with an authenticator app (TOTP): set-up, codes, enforcement, reset."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from socex.accounts.tests.conftest import code_for, events, wrong_code_for
from socex.audit.models import Action

pytestmark = pytest.mark.django_db

MFA = reverse("accounts:mfa")
ENROL = reverse("accounts:mfa_enrol")


@pytest.fixture
def mfa_required(settings):
    settings.SOCEX_REQUIRE_MFA = True
    return settings


# --- Set-up ---------------------------------------------------------------------------------


def test_set_up_page_shows_an_inline_svg_qr_code_without_inline_styles(signed_in, hub_detective):
    response = signed_in(hub_detective).get(ENROL)
    assert response.status_code == 200
    html = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    assert "style=" not in svg.group(0)
    assert "<title>QR code to scan with your authenticator app</title>" in svg.group(0)


def test_set_up_page_shows_the_secret_in_groups_of_four(signed_in, hub_detective):
    response = signed_in(hub_detective).get(ENROL)
    device = TOTPDevice.objects.get(user=hub_detective, confirmed=False)
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', response.content.decode()).group(1)
    groups = secret.split(" ")
    assert all(len(group) == 4 for group in groups[:-1])
    from base64 import b32encode

    assert "".join(groups) == b32encode(device.bin_key).decode()


def test_reloading_the_set_up_page_keeps_the_same_secret(signed_in, hub_detective):
    client = signed_in(hub_detective)
    client.get(ENROL)
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=hub_detective).count() == 1


def test_confirming_with_the_right_code_turns_mfa_on_and_verifies_the_session(signed_in, hub_detective):
    client = signed_in(hub_detective)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=hub_detective)
    response = client.post(ENROL, {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session["otp_device_id"] == device.persistent_id
    assert [e.detail["event"] for e in events(Action.MFA)] == ["enrolment_started", "enrolled"]


def test_a_wrong_code_at_set_up_is_refused_counted_and_audited(signed_in, hub_detective):
    client = signed_in(hub_detective)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=hub_detective)
    response = client.post(ENROL, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert b"The code is not correct or has expired" in response.content
    device.refresh_from_db()
    assert device.confirmed is False
    assert device.throttling_failure_count == 1
    assert events(Action.MFA)[-1].detail == {"event": "enrolment_failed", "failures": 1}


def test_a_code_that_is_not_six_digits_is_refused_without_being_checked(signed_in, hub_detective):
    client = signed_in(hub_detective)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "12ab"})
    assert b"Enter the 6-digit code from your authenticator app" in response.content
    assert TOTPDevice.objects.get(user=hub_detective).throttling_failure_count == 0


# --- Verification at sign-in -------------------------------------------------------------------


def test_right_code_verifies_and_returns_to_the_page_asked_for(signed_in, hub_detective, make_device, mfa_required):
    device = make_device(hub_detective)
    client = signed_in(hub_detective)
    response = client.post(f"{MFA}?next=/accounts/profile/", {"code": code_for(device)})
    assert response["Location"] == "/accounts/profile/"
    assert client.get("/accounts/profile/").status_code == 200
    event = events(Action.MFA)[-1]
    assert event.detail == {"event": "verified"}
    assert event.actor_id == hub_detective.pk
    assert event.ip_address == "127.0.0.1"


def test_wrong_code_gives_a_field_error_changes_nothing_and_is_audited(
    signed_in, hub_detective, make_device, mfa_required
):
    device = make_device(hub_detective)
    client = signed_in(hub_detective)
    response = client.post(MFA, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert b"The code is not correct or has expired" in response.content
    assert b"govuk-error-summary" in response.content
    assert "otp_device_id" not in client.session
    assert client.get("/").status_code == 302
    assert events(Action.MFA)[-1].detail == {"event": "verification_failed", "failures": 1}


def test_repeated_wrong_codes_are_throttled(signed_in, hub_detective, make_device, mfa_required):
    device = make_device(hub_detective)
    client = signed_in(hub_detective)
    client.post(MFA, {"code": wrong_code_for(device)})
    # Straight away, even the right code must wait: django-otp's back-off after a failure.
    response = client.post(MFA, {"code": code_for(device)})
    assert b"Too many wrong codes" in response.content
    assert "otp_device_id" not in client.session
    assert events(Action.MFA)[-1].detail == {"event": "verification_throttled"}


# --- Enforcement ---------------------------------------------------------------------------------


def test_when_required_a_user_without_an_app_is_sent_to_set_one_up(signed_in, hub_detective, mfa_required):
    client = signed_in(hub_detective)
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith(MFA)
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].startswith(ENROL)
    assert client.get(follow["Location"]).status_code == 200


def test_when_required_nothing_else_is_reachable_before_the_code(signed_in, hub_detective, make_device, mfa_required):
    make_device(hub_detective)
    client = signed_in(hub_detective)
    for path in ("/", "/accounts/profile/", reverse("accounts:token_create"), "/areas/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(MFA), path
    # A user with an app cannot set up another one without giving a code first.
    assert client.get(ENROL)["Location"].startswith(MFA)
    assert client.get(MFA).status_code == 200


def test_when_required_the_sign_in_leads_to_the_code_page(client, hub_detective, password, make_device, mfa_required):
    make_device(hub_detective)
    response = client.post(reverse("accounts:login"), {"username": hub_detective.email, "password": password})
    assert client.get(response["Location"])["Location"].startswith(MFA)


def test_demo_mode_lets_a_user_without_an_app_in(signed_in, hub_detective, settings):
    settings.SOCEX_REQUIRE_MFA = False
    assert signed_in(hub_detective).get("/").status_code == 200


def test_demo_mode_still_asks_for_the_code_of_a_user_who_set_up_an_app(signed_in, hub_detective, make_device, settings):
    settings.SOCEX_REQUIRE_MFA = False
    make_device(hub_detective)
    response = signed_in(hub_detective).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(MFA)


def test_demo_mode_account_page_offers_set_up(signed_in, hub_detective, settings):
    settings.SOCEX_REQUIRE_MFA = False
    response = signed_in(hub_detective).get(reverse("accounts:profile"))
    assert b"Set up two-factor authentication" in response.content


def test_an_unconfirmed_app_does_not_count(signed_in, hub_detective, make_device, settings):
    settings.SOCEX_REQUIRE_MFA = False
    make_device(hub_detective, confirmed=False)
    assert signed_in(hub_detective).get("/").status_code == 200


# --- Reset by an administrator --------------------------------------------------------------------


def test_administrator_resets_a_users_mfa(signed_in, administrator, hub_detective, make_device):
    make_device(hub_detective)
    client = signed_in(administrator)
    url = reverse("accounts:user_reset_mfa", args=[hub_detective.pk])
    assert b"Reset two-factor authentication for DC Priya Sandhu?" in client.get(url).content
    response = client.post(url)
    assert response["Location"] == reverse("accounts:user_detail", args=[hub_detective.pk])
    assert not TOTPDevice.objects.filter(user=hub_detective).exists()
    event = events(Action.MFA)[-1]
    assert event.detail == {"event": "reset", "devices_removed": 1}
    assert event.actor_id == administrator.pk
    assert event.object_id == str(hub_detective.pk)


def test_mfa_reset_is_refused_to_others(signed_in, supervisor, hub_detective, school_outsider, make_device):
    make_device(hub_detective)
    url = reverse("accounts:user_reset_mfa", args=[hub_detective.pk])
    assert signed_in(school_outsider).post(url).status_code == 404
    assert signed_in(supervisor).post(url).status_code == 404
    own = reverse("accounts:user_reset_mfa", args=[supervisor.pk])
    assert signed_in(supervisor).post(own).status_code == 403
    assert TOTPDevice.objects.filter(user=hub_detective).exists()


def test_after_a_reset_the_user_is_asked_to_set_up_again(signed_in, hub_detective, make_device, mfa_required):
    from socex.accounts import services

    device = make_device(hub_detective)
    client = signed_in(hub_detective)
    client.post(MFA, {"code": code_for(device)})
    assert client.get("/").status_code == 200
    services.user_reset_mfa(user=hub_detective)
    response = client.get("/")
    assert response["Location"].startswith(MFA)
    assert client.get(response["Location"])["Location"].startswith(ENROL)


# --- Session keys and where people are sent ----------------------------------------------------


def test_passing_the_code_gives_a_new_session_key(signed_in, hub_detective, make_device, mfa_required):
    device = make_device(hub_detective)
    client = signed_in(hub_detective)
    before = client.session.session_key
    client.post(MFA, {"code": code_for(device)})
    assert client.session.session_key != before
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/").status_code == 200


def test_confirming_a_new_app_gives_a_new_session_key(signed_in, hub_detective):
    client = signed_in(hub_detective)
    client.get(ENROL)
    before = client.session.session_key
    client.post(ENROL, {"code": code_for(TOTPDevice.objects.get(user=hub_detective))})
    assert client.session.session_key != before


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_the_code_page_never_sends_people_off_site(signed_in, hub_detective, make_device, mfa_required, target):
    device = make_device(hub_detective)
    response = signed_in(hub_detective).post(MFA, {"code": code_for(device), "next": target})
    assert response["Location"] == "/"


def test_the_api_documentation_waits_for_the_code_too(signed_in, hub_detective, make_device, mfa_required):
    make_device(hub_detective)
    client = signed_in(hub_detective)
    for path in ("/api/v1/docs", "/api/v1/openapi.json"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(MFA), path


def test_a_token_call_is_not_held_at_the_code_page(client, hub_detective, make_device, mfa_required):
    from socex.accounts.services import api_token_create

    make_device(hub_detective)
    _, secret = api_token_create(user=hub_detective, name="Script")
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
