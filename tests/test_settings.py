"""Settings read from the environment: production refuses to start half-configured, and says why.

Each settings test starts a fresh Python process with a crafted environment, because settings
are read once, at import. The health check tests run in-process.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connections
from django.db.utils import OperationalError

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the settings module reads, so the parent's environment (SOCEX_MODE=test, a
# DATABASE_URL from the PostgreSQL run...) never leaks into a child process.
SETTINGS_VARIABLES = (
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DEFAULT_FROM_EMAIL",
    "LOG_LEVEL",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "SECURE_SSL_REDIRECT",
)


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """A complete, valid production environment; ``NAME=None`` removes NAME."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in SETTINGS_VARIABLES and not key.startswith(("SOCEX_", "EMAIL_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SOCEX_MODE": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
            "ALLOWED_HOSTS": "socex.example.police.uk",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
            "SOCEX_VAR_DIR": str(tmp_path / "var"),
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def django_setup(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_python(env, "-c", "import django; django.setup()")


def assert_refused(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert result.returncode != 0, f"settings were accepted:\n{result.stdout}\n{result.stderr}"
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:"), result.stderr
    for phrase in phrases:
        assert phrase in last_line, f"{phrase!r} not in {last_line!r}"


def test_the_full_production_environment_passes_the_deploy_check(tmp_path):
    result = run_python(production_env(tmp_path), "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_secret_key_is_refused(tmp_path):
    assert_refused(django_setup(production_env(tmp_path, SECRET_KEY=None)), "SECRET_KEY is not set", "SECRET_KEY_FILE")


def test_production_without_allowed_hosts_is_refused(tmp_path):
    assert_refused(django_setup(production_env(tmp_path, ALLOWED_HOSTS=None)), "ALLOWED_HOSTS is not set")


def test_production_with_blank_allowed_hosts_is_refused(tmp_path):
    assert_refused(django_setup(production_env(tmp_path, ALLOWED_HOSTS=" , ")), "ALLOWED_HOSTS is not set")


def test_a_short_secret_key_is_refused_in_production(tmp_path):
    assert_refused(django_setup(production_env(tmp_path, SECRET_KEY="x" * 49)), "SECRET_KEY is too short", "50")


def test_the_mode_defaults_to_production(tmp_path):
    # With no SOCEX_MODE at all the strict rules apply, so a forgotten variable cannot open a hole.
    assert_refused(django_setup(production_env(tmp_path, SOCEX_MODE=None, SECRET_KEY=None)), "SECRET_KEY is not set")


def test_an_unknown_mode_is_refused(tmp_path):
    assert_refused(
        django_setup(production_env(tmp_path, SOCEX_MODE="staging")),
        "SOCEX_MODE is 'staging'",
        "demo, test, production",
    )


def test_debug_is_refused_in_production(tmp_path):
    assert_refused(django_setup(production_env(tmp_path, DEBUG="1")), "DEBUG must be off in production")


def test_a_boolean_that_is_not_yes_or_no_is_refused(tmp_path):
    assert_refused(django_setup(production_env(tmp_path, SOCEX_REQUIRE_MFA="maybe")), "SOCEX_REQUIRE_MFA is 'maybe'")


@pytest.mark.parametrize(
    "url",
    ["nonsense://somewhere/socex", "postgres://socex@db.internal:not-a-port/socex"],
    ids=["unknown-scheme", "bad-port"],
)
def test_a_malformed_database_url_is_refused(tmp_path, url):
    assert_refused(django_setup(production_env(tmp_path, DATABASE_URL=url)), "DATABASE_URL could not be read")


def test_a_malformed_database_url_is_not_echoed_with_its_password(tmp_path):
    result = django_setup(production_env(tmp_path, DATABASE_URL="postgres://socex:hunter2-secret@db:port/socex"))
    assert_refused(result, "DATABASE_URL could not be read")
    assert "hunter2-secret" not in result.stderr


def test_a_database_url_without_a_database_name_is_refused(tmp_path):
    assert_refused(django_setup(production_env(tmp_path, DATABASE_URL="postgres://socex@db:5432")), "names no database")


@pytest.mark.parametrize("name", ["EMAIL_PORT", "SOCEX_LOGIN_FAILURE_LIMIT"])
def test_a_number_setting_that_is_not_a_number_is_refused(tmp_path, name):
    assert_refused(django_setup(production_env(tmp_path, **{name: "five"})), f"{name} is 'five'", "whole number")


def test_secret_key_file_is_read(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(48) + "\n", encoding="utf-8")
    env = production_env(tmp_path, SECRET_KEY=None, SECRET_KEY_FILE=str(key_file))
    result = run_python(
        env, "-c", "import django; django.setup(); from django.conf import settings; print(len(settings.SECRET_KEY))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "64"  # the trailing newline was stripped


def test_a_missing_secret_key_file_is_refused(tmp_path):
    missing = tmp_path / "no-such-file"
    result = django_setup(production_env(tmp_path, SECRET_KEY=None, SECRET_KEY_FILE=str(missing)))
    assert_refused(result, "SECRET_KEY_FILE points at", str(missing), "cannot be read")


def test_production_redirects_to_https_but_not_the_health_check(tmp_path):
    # A load balancer probes /healthz over plain http; everything else must move to https.
    script = textwrap.dedent(
        """
        import json
        import django

        django.setup()
        from django.test import Client

        client = Client()
        health = client.get("/healthz")
        home = client.get("/")
        secure = client.get("/accounts/login/", secure=True)
        seen = {
            "health": [health.status_code, health.json()],
            "home": [home.status_code, home["Location"]],
            "hsts": secure.headers.get("Strict-Transport-Security", ""),
            "cookie_secure": secure.cookies["csrftoken"]["secure"] if "csrftoken" in secure.cookies else None,
        }
        print(json.dumps(seen))
        """
    )
    result = run_python(production_env(tmp_path, ALLOWED_HOSTS="socex.example.police.uk,testserver"), "-c", script)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["health"] == [200, {"status": "ok", "database": "ok"}]
    assert seen["home"] == [301, "https://testserver/"]
    assert "max-age=31536000" in seen["hsts"]
    assert "includeSubDomains" in seen["hsts"]
    assert seen["cookie_secure"] is True


@pytest.mark.django_db
def test_healthz_says_the_database_answers_and_nothing_about_it(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    # Public: no vendor or version, which would only help someone fingerprint the service.
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch, caplog):
    def database_down(self, *args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed: password authentication failed")

    wrapper_class = type(connections["default"])
    with monkeypatch.context() as patch:
        patch.setattr(wrapper_class, "cursor", database_down)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    # The reason goes to the server's logs: the check is public, so it must not leak details.
    assert b"10.0.0.5" not in response.content
    assert b"password" not in response.content
    assert b"OperationalError" not in response.content
    assert "10.0.0.5" in caplog.text
