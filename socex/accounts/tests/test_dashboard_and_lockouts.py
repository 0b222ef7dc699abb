"""The administrators' home-page panel, and the locked sign-ins page."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from socex.accounts.dashboard import accounts_panel
from socex.accounts.tests.conftest import events
from socex.audit.models import Action

pytestmark = pytest.mark.django_db


def lock(email: str, ip: str = "203.0.113.50", failures: int = 5, minutes_ago: int = 1) -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username=email,
        ip_address=ip,
        user_agent="test",
        http_accept="text/html",
        path_info="/accounts/login/",
        failures_since_start=failures,
    )
    # attempt_time is set on creation (auto_now_add), so move it back afterwards.
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return attempt


def figures(panel) -> dict[str, object]:
    return {figure.label: figure.value for figure in panel.figures}


def test_panel_counts_users_mfa_and_lockouts(
    administrator, hub_detective, walsall_partner, school_outsider, make_device
):
    make_device(hub_detective)
    make_device(walsall_partner, confirmed=False)
    school_outsider.is_active = False
    school_outsider.save(update_fields=["is_active"])
    lock(hub_detective.email)
    lock("someone@example.org", failures=2)  # under the limit
    lock("old@example.org", minutes_ago=45)  # cool-off over
    panel = accounts_panel(administrator)
    assert figures(panel) == {
        "Active users": 3,
        "Active users without two-factor authentication": 2,
        "Sign-ins locked now": 1,
    }
    assert dict(panel.chart) == {"Police": 2, "Early Help": 1}


def test_panel_figures_link_to_the_lists_they_count(administrator):
    links = {figure.label: figure.href for figure in accounts_panel(administrator).figures}
    assert links["Active users"] == f"{reverse('accounts:user_list')}?status=active"
    assert links["Active users without two-factor authentication"].endswith("status=active&mfa=none")
    assert links["Sign-ins locked now"] == reverse("accounts:lockouts")


def test_panel_is_only_for_administrators(hub_detective, auditor):
    assert accounts_panel(hub_detective) is None
    assert accounts_panel(auditor) is None


def test_home_page_shows_the_panel_to_an_administrator(signed_in, administrator):
    response = signed_in(administrator).get("/")
    assert b"Active users without two-factor authentication" in response.content


def test_lockouts_page_lists_and_unlocks(signed_in, administrator, hub_detective, client, password):
    attempt = lock(hub_detective.email, ip="127.0.0.1")
    locked = client.post(reverse("accounts:login"), {"username": hub_detective.email, "password": password})
    assert locked.status_code == 429
    admin = signed_in(administrator)
    page = admin.get(reverse("accounts:lockouts"))
    assert hub_detective.email.encode() in page.content
    response = admin.post(reverse("accounts:lockout_clear", args=[attempt.pk]))
    assert response["Location"] == reverse("accounts:lockouts")
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    event = events(Action.DELETE)[-1]
    assert event.detail["event"] == "sign_in_unlocked"
    assert event.detail["email"] == hub_detective.email
    admin.post(reverse("accounts:logout"))
    again = admin.post(reverse("accounts:login"), {"username": hub_detective.email, "password": password})
    assert again.status_code == 302


def test_unlocking_is_404_for_non_administrators(signed_in, supervisor, hub_detective):
    attempt = lock(hub_detective.email)
    assert signed_in(supervisor).post(reverse("accounts:lockout_clear", args=[attempt.pk])).status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
