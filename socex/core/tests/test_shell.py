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
