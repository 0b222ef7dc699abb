"""Cross-cutting protections: caching and headers, the error pages, CSRF on every POST, no
change on GET, the client address the audit log and lockouts use, and users with no
organisation or roles."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from socex.accounts.models import User
from socex.audit.models import Action, Event

pytestmark = pytest.mark.django_db

SAMPLE_ARGUMENT = {"uuid": str(uuid.UUID(int=7)), "int": "7", "str": "x", "slug": "x", "path": "x"}
ROUTE_ARGUMENT = re.compile(r"<(?:(\w+):)?\w+>")


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if "(?P" in route or route.startswith("^"):
            continue  # regular-expression patterns (the admin's per-app index) have no sample form
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route


def every_path(*, with_arguments: bool) -> list[str]:
    """Every routed URL of the service, arguments filled with harmless samples when asked."""
    paths = []
    for route in _routes(get_resolver()):
        if ROUTE_ARGUMENT.search(route) and not with_arguments:
            continue
        paths.append("/" + ROUTE_ARGUMENT.sub(lambda m: SAMPLE_ARGUMENT[m.group(1) or "str"], route))
    return sorted(set(paths))


# --- Caching and headers ---------------------------------------------------------------------------


def test_pages_are_never_stored_by_browsers_or_proxies(signed_in, hub_detective):
    client = signed_in(hub_detective)
    for path in ("/", reverse("accounts:profile"), reverse("areas:list")):
        response = client.get(path)
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_page_switches_off_browser_features_it_never_uses(client, signed_in, hub_detective):
    for response in (client.get(reverse("accounts:login")), signed_in(hub_detective).get("/")):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy
        assert "geolocation=()" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


# --- Error pages -----------------------------------------------------------------------------------


def test_a_server_error_shows_a_plain_page_with_a_reference_and_no_detail(client, hub_detective, monkeypatch):
    def broken(user: User) -> list[object]:
        raise RuntimeError("boom: connection to 10.0.0.5 failed for socex_app")

    monkeypatch.setattr("socex.core.views.panels_for", broken)
    client.force_login(hub_detective)
    client.raise_request_exception = False
    response = client.get("/", HTTP_X_REQUEST_ID="ref-12345678")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "ref-12345678" in html
    assert response["X-Request-ID"] == "ref-12345678"
    for leak in ("boom", "10.0.0.5", "socex_app", "Traceback", "RuntimeError"):
        assert leak not in html, leak
    assert "no-store" in response["Cache-Control"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_a_form_without_its_csrf_token_gets_a_plain_403(hub_detective):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hub_detective)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert b"The form could not be sent" in response.content
    assert b"CSRF cookie not set" not in response.content  # Django's technical reason stays out
    # Still signed in: the refused form changed nothing.
    assert client.get("/").status_code == 200


# --- CSRF on every POST, and no change on GET --------------------------------------------------------


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(administrator, wmp):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    before = Event.objects.count()
    paths = every_path(with_arguments=True)
    assert len(paths) > 30
    for path in paths:
        if path.startswith("/api/"):
            continue  # the API takes bearer tokens, never cookies, and has no POST endpoint
        response = client.post(path, {"active": "0", "name": "x"})
        assert response.status_code in (403, 405), path
    assert Event.objects.count() == before


def test_the_api_offers_no_endpoint_that_changes_anything(client):
    for path in every_path(with_arguments=True):
        if path.startswith("/api/v1/") and "docs" not in path and "openapi" not in path:
            assert client.post(path).status_code in (401, 404, 405), path


def test_no_page_changes_anything_when_merely_opened(signed_in, administrator, auditor, hub_detective):
    changes = {Action.CREATE, Action.UPDATE, Action.DELETE, Action.SHARE, Action.UNSHARE, Action.TOKEN}
    for user in (administrator, auditor, hub_detective):
        client = signed_in(user)
        for path in every_path(with_arguments=False):
            if path.startswith("/accounts/two-factor/"):
                continue  # set-up creates the not-yet-confirmed app to show its QR code: see mfa_enrol
            client.get(path)
    assert not Event.objects.filter(action__in=changes).exists()


# --- Users with no organisation or no roles ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["superuser without organisation", "user without roles"])
def test_users_with_no_organisation_or_roles_see_no_records_and_break_nothing(client, west_midlands, wmp, kind):
    if kind.startswith("superuser"):
        user = User.objects.create(email="support@police.example", full_name="Sam Support", is_superuser=True)
    else:
        user = User.objects.create(email="new@police.example", full_name="New Starter", organisation=wmp)
    client.force_login(user)
    for path in every_path(with_arguments=False):
        if path.startswith("/api/v1/") and "docs" not in path and "openapi" not in path:
            continue
        response = client.get(path)
        assert response.status_code < 500, path
    for name in ("audit:events", "sharing:list", "accounts:user_list", "accounts:role_list"):
        assert client.get(reverse(name)).status_code == 403, name


# --- The client address -----------------------------------------------------------------------------


def test_a_forged_forwarded_for_header_changes_neither_the_audit_log_nor_the_lockout(client, hub_detective):
    client.post(
        reverse("accounts:login"),
        {"username": hub_detective.email, "password": "not-the-password"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    failure = Event.objects.get(action=Action.LOGIN_FAILED)
    assert failure.ip_address == "198.51.100.7"
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_lockouts_use_the_audit_logs_client_address_even_if_django_ipware_were_installed(rf):
    from axes.helpers import get_client_ip_address

    request = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    # use_ipware=True is what axes does once django-ipware is importable; our callable comes first.
    assert get_client_ip_address(request, use_ipware=True) == "198.51.100.7"
