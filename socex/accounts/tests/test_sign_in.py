"""Signing in and out: messages, lockout after repeated failures, and the audit trail of each."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socex.accounts.tests.conftest import events
from socex.audit.models import Action

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def sign_in(client, email: str, password: str, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_sign_in_with_email_and_password_goes_home(client, hub_detective, password):
    response = sign_in(client, hub_detective.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get("/").status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client, hub_detective, password):
    response = client.post(f"{LOGIN}?next=/accounts/profile/", {"username": hub_detective.email, "password": password})
    assert response["Location"] == "/accounts/profile/"


def test_sign_in_refuses_to_send_people_off_site(client, hub_detective, password):
    response = client.post(
        f"{LOGIN}?next=https://evil.example/", {"username": hub_detective.email, "password": password}
    )
    assert response["Location"] == reverse("core:home")


def test_email_address_is_not_case_sensitive(client, hub_detective, password):
    response = sign_in(client, hub_detective.email.upper(), password)
    assert response.status_code == 302


def test_wrong_password_gives_one_message_that_does_not_say_which_part_was_wrong(client, hub_detective):
    response = sign_in(client, hub_detective.email, "not-the-password")
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter a correct email address and password" in response.content
    unknown = sign_in(client, "nobody@police.example", "not-the-password")
    assert b"Enter a correct email address and password" in unknown.content
    assert client.get("/").status_code == 302  # still signed out


def test_empty_form_says_what_to_enter(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert b"Enter your email address" in response.content
    assert b"Enter your password" in response.content


def test_switched_off_account_cannot_sign_in(client, hub_detective, password):
    hub_detective.is_active = False
    hub_detective.save(update_fields=["is_active"])
    response = sign_in(client, hub_detective.email, password)
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert events(Action.LOGIN_FAILED)[-1].detail["reason"] == "account_switched_off"


def test_sign_in_is_audited_with_user_organisation_ip_and_request_id(client, hub_detective, password):
    sign_in(client, hub_detective.email, password, HTTP_X_REQUEST_ID="req-signin-0001", REMOTE_ADDR="203.0.113.9")
    [event] = events(Action.LOGIN)
    assert event.actor_id == hub_detective.pk
    assert event.organisation_label == "West Midlands Police"
    assert event.ip_address == "203.0.113.9"
    assert event.request_id == "req-signin-0001"
    assert event.occurred_at is not None


def test_failed_sign_in_records_the_email_tried_but_never_the_password(client, hub_detective):
    sign_in(client, hub_detective.email, "Secret-Guess-123", REMOTE_ADDR="198.51.100.7")
    [event] = events(Action.LOGIN_FAILED)
    assert event.detail["email"] == hub_detective.email
    assert event.detail["reason"] == "wrong_password"
    assert event.actor_id == hub_detective.pk
    assert event.ip_address == "198.51.100.7"
    assert event.request_id
    assert "Secret-Guess-123" not in str(event.detail) + str(event.changes)


def test_failed_sign_in_for_an_unknown_address_is_audited_without_an_actor(client, db):
    sign_in(client, "stranger@example.org", "whatever-it-is")
    [event] = events(Action.LOGIN_FAILED)
    assert event.actor_id is None
    assert event.detail == {"email": "stranger@example.org", "reason": "no_such_account", "path": LOGIN}


def test_five_failures_lock_the_sign_in_with_a_429_page(client, hub_detective, password, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in(client, hub_detective.email, "wrong-password-here").status_code == 200
    locked = sign_in(client, hub_detective.email, "wrong-password-here")
    assert locked.status_code == 429
    assert b"Too many attempts to sign in" in locked.content
    # Even the right password is refused while locked, and nothing is signed in.
    assert sign_in(client, hub_detective.email, password).status_code == 429
    assert client.get("/").status_code == 302
    reasons = [event.detail["reason"] for event in events(Action.LOGIN_FAILED)]
    assert reasons[:4] == ["wrong_password"] * 4
    assert reasons[4:] == ["locked_out", "locked_out"]
    assert not events(Action.LOGIN)


def test_sign_out_needs_a_post_and_is_audited(signed_in, hub_detective):
    client = signed_in(hub_detective)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get("/").status_code == 302
    [event] = events(Action.LOGOUT)
    assert event.actor_id == hub_detective.pk
    assert event.ip_address == "127.0.0.1"


def test_signed_in_user_visiting_sign_in_goes_home(signed_in, hub_detective):
    response = signed_in(hub_detective).get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


# --- One-time passwords -----------------------------------------------------------------------


def test_one_time_password_must_be_replaced_before_anything_else(client, administrator):
    from socex.accounts import services

    password = services.user_reset_password(user=administrator)
    response = sign_in(client, administrator.email, password)
    assert response["Location"].startswith(reverse("accounts:new_password"))
    # Not signed in yet: the rest of the service is still closed.
    assert client.get("/").status_code == 302
    page = client.get(response["Location"])
    assert b"Choose a new password" in page.content
    weak = client.post(reverse("accounts:new_password"), {"new_password1": "short", "new_password2": "short"})
    assert b"This password is too short" in weak.content
    new = "a-long-and-private-passphrase"
    done = client.post(reverse("accounts:new_password"), {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    administrator.refresh_from_db()
    assert administrator.must_change_password is False
    assert administrator.check_password(new)
    assert events(Action.UPDATE, detail__event="password_changed")


def test_new_password_page_without_a_pending_sign_in_goes_back_to_sign_in(client, db):
    response = client.get(reverse("accounts:new_password"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN


def test_the_django_admin_login_sends_people_to_the_service_sign_in(client, db):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/django-admin/"


def test_the_django_admin_refuses_signed_in_people_who_are_not_staff(signed_in, administrator):
    client = signed_in(administrator)
    response = client.get("/django-admin/", follow=True)
    assert response.status_code == 403
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    assert client.get("/django-admin/").status_code == 200


# --- Session keys and where people are sent --------------------------------------------------


def test_signing_in_gives_a_new_session_key(client, hub_detective, password):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    sign_in(client, hub_detective.email, password)
    assert client.session.session_key != before


def test_a_one_time_password_moves_the_pending_change_to_a_new_session_key(client, administrator):
    from django.contrib.sessions.backends.db import SessionStore

    from socex.accounts import services

    planted = SessionStore()
    planted.create()
    client.cookies["sessionid"] = planted.session_key
    response = sign_in(client, administrator.email, services.user_reset_password(user=administrator))
    assert response["Location"].startswith(reverse("accounts:new_password"))
    # Whoever planted (or learnt) the old session id cannot use it to choose the password.
    assert client.session.session_key != planted.session_key
    assert not SessionStore(session_key=planted.session_key).get("socex_password_change")


def test_the_next_address_survives_the_one_time_password_step_encoded(client, administrator):
    from socex.accounts import services

    password = services.user_reset_password(user=administrator)
    response = client.post(
        f"{LOGIN}?next=/accounts/users/%3Fq%3Da%26status%3Dactive",
        {"username": administrator.email, "password": password},
    )
    assert response["Location"] == (
        f"{reverse('accounts:new_password')}?next=%2Faccounts%2Fusers%2F%3Fq%3Da%26status%3Dactive"
    )


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", "javascript:alert(1)"],
)
def test_no_next_address_leaves_the_site(client, hub_detective, password, target):
    response = client.post(LOGIN, {"username": hub_detective.email, "password": password, "next": target})
    assert response["Location"] == reverse("core:home")
