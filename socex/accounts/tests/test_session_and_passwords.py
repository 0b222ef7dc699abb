"""Idle sessions end after 30 minutes; passwords are hashed with Argon2 in production."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]


def at(moment: dt.datetime):
    """Every timezone.now() inside the block returns ``moment``; no sleeping."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_sessions_last_30_minutes_and_are_renewed_by_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_a_request_after_30_idle_minutes_is_sent_to_sign_in(client, hub_detective, password):
    client.post(reverse("accounts:login"), {"username": hub_detective.email, "password": password})
    assert client.get("/").status_code == 200
    with at(timezone.now() + dt.timedelta(minutes=31)):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_activity_keeps_the_session_alive(client, hub_detective, password):
    client.post(reverse("accounts:login"), {"username": hub_detective.email, "password": password})
    start = timezone.now()
    with at(start + dt.timedelta(minutes=29)):
        assert client.get("/").status_code == 200
    # 58 minutes after sign-in, but only 29 since the last request.
    with at(start + dt.timedelta(minutes=58)):
        assert client.get("/").status_code == 200


def test_argon2_hashes_and_checks_a_password():
    encoded = make_password("a-long-and-private-passphrase", hasher=Argon2PasswordHasher())
    assert encoded.startswith("argon2$argon2id$")
    assert check_password("a-long-and-private-passphrase", encoded)
    assert not check_password("another-passphrase", encoded)


def test_production_settings_hash_passwords_with_argon2_first():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SOCEX_REQUIRE_MFA", "DATABASE_URL", "SECRET_KEY_FILE"}
    }
    env.update(
        SOCEX_MODE="production",
        SECRET_KEY="x" * 64,
        ALLOWED_HOSTS="socex.example.police.uk",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.PASSWORD_HASHERS[0]); print(settings.SOCEX_REQUIRE_MFA)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    hasher, mfa_required = result.stdout.split()
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert mfa_required == "True"
