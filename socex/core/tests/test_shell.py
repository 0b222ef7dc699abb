import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_shows_the_users_name_and_organisation(signed_in, hub_detective):
    response = signed_in(hub_detective).get("/")
    assert response.status_code == 200
    assert b"DC Priya Sandhu" in response.content
    assert b"West Midlands Police" in response.content


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_pages_carry_a_self_only_content_security_policy(signed_in, hub_detective):
    response = signed_in(hub_detective).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_navigation_follows_roles(signed_in, auditor, walsall_partner):
    auditor_page = signed_in(auditor).get("/").content.decode()
    assert 'href="/audit/"' in auditor_page
    assert 'href="/accounts/users/"' not in auditor_page
    partner_page = signed_in(walsall_partner).get("/").content.decode()
    assert 'href="/audit/"' not in partner_page


def test_navigation_is_hidden_until_the_two_factor_code_is_given(signed_in, hub_detective, settings):
    settings.SOCEX_REQUIRE_MFA = True
    response = signed_in(hub_detective).get(reverse("accounts:mfa_enrol"))
    assert response.status_code == 200
    assert "govuk-service-navigation__list" not in response.content.decode()


def test_every_response_carries_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-from-proxy")
    assert response["X-Request-ID"] == "abc12345-from-proxy"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert generated != "<script>"
    assert len(generated) == 32
