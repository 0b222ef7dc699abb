"""Your account: every signed-in user sees their own details and changes their own password."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socex.accounts.tests.conftest import events
from socex.audit.models import Action

pytestmark = pytest.mark.django_db


def test_account_page_shows_the_users_own_details_and_roles(signed_in, walsall_partner):
    response = signed_in(walsall_partner).get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert b"earlyhelp@walsall.example" in response.content
    assert b"Walsall Council Early Help" in response.content
    assert b"Partner practitioner" in response.content


def test_account_page_needs_sign_in(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_changing_your_password(signed_in, walsall_partner, password):
    client = signed_in(walsall_partner)
    new = "a-long-and-private-passphrase"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("accounts:profile")
    walsall_partner.refresh_from_db()
    assert walsall_partner.check_password(new)
    assert client.get("/").status_code == 200  # this session stays signed in
    assert events(Action.UPDATE, detail__event="password_changed")


def test_a_wrong_current_password_changes_nothing(signed_in, walsall_partner, password):
    response = signed_in(walsall_partner).post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": "a-long-passphrase-x", "new_password2": "a-long-passphrase-x"},
    )
    assert response.status_code == 200
    assert b"Your old password was entered incorrectly" in response.content
    walsall_partner.refresh_from_db()
    assert walsall_partner.check_password(password)
    assert not events(Action.UPDATE)
