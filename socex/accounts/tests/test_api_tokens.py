"""Personal API tokens: created on Your account, shown once, stored hashed, expire, revoked; and the API auth."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from socex.accounts import services
from socex.accounts.api_auth import ApiTokenAuth
from socex.accounts.models import ApiToken
from socex.accounts.tests.conftest import events
from socex.audit.models import Action
from socex.audit.services import record
from socex.core import context

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


# --- Your account ----------------------------------------------------------------------------------


def test_creating_a_token_shows_the_secret_once_and_stores_only_its_hash(signed_in, analyst):
    client = signed_in(analyst)
    response = client.post(reverse("accounts:token_create"), {"name": "Weekly intel export", "expires_in_days": "30"})
    assert response.status_code == 200
    assert b"This is the only time the token is shown" in response.content
    secret = response.context["secret"]
    assert secret.encode() in response.content
    token = ApiToken.objects.get(user=analyst)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.key_hash, token.prefix}
    assert secret.startswith(token.prefix)
    assert (token.expires_at - token.created_at) == dt.timedelta(days=30)
    # The account page lists it afterwards without the secret.
    page = client.get(reverse("accounts:profile"))
    assert b"Weekly intel export" in page.content
    assert secret.encode() not in page.content
    [event] = events(Action.TOKEN)
    assert event.detail == {"event": "created"}
    assert event.changes["name"] == [None, "Weekly intel export"]


def test_token_expiry_defaults_to_90_days_and_may_not_pass_365(signed_in, analyst):
    client = signed_in(analyst)
    form = client.get(reverse("accounts:token_create"))
    assert b'value="90"' in form.content
    too_long = client.post(reverse("accounts:token_create"), {"name": "Forever", "expires_in_days": "366"})
    assert b"Enter a whole number of days from 1 to 365" in too_long.content
    no_name = client.post(reverse("accounts:token_create"), {"name": "", "expires_in_days": "30"})
    assert b"Enter a name for the token" in no_name.content
    assert not ApiToken.objects.exists()


def test_revoking_a_token_asks_first_then_stops_it(signed_in, analyst, client):
    token, secret = services.api_token_create(user=analyst, name="Script")
    account = signed_in(analyst)
    url = reverse("accounts:token_revoke", args=[token.pk])
    confirm = account.get(url)
    assert b"Revoke the API token" in confirm.content
    assert client.get(ME, **bearer(secret)).status_code == 200
    response = account.post(url)
    assert response["Location"] == reverse("accounts:profile")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.status == "Revoked"
    assert events(Action.TOKEN)[-1].detail == {"event": "revoked", "owner": analyst.email}


def test_someone_elses_token_is_404_and_an_administrator_may_revoke_it(
    signed_in, analyst, school_outsider, administrator
):
    token, _ = services.api_token_create(user=analyst, name="Script")
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert signed_in(school_outsider).post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    response = signed_in(administrator).post(url)
    assert response["Location"] == reverse("accounts:user_detail", args=[analyst.pk])
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- The API -----------------------------------------------------------------------------------------


def test_a_valid_token_reads_me(client, hub_detective):
    _, secret = services.api_token_create(user=hub_detective, name="Script")
    response = client.get(ME, **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "det.birmingham@police.example"
    assert body["full_name"] == "DC Priya Sandhu"
    assert body["organisation"]["name"] == "West Midlands Police"
    assert body["organisation"]["type"] == "police"
    assert body["roles"] == [{"code": "hub-detective", "name": "Hub detective"}]
    assert "intel.view" in body["capabilities"]
    assert body["capabilities"] == sorted(body["capabilities"])


def test_no_token_is_401(client, db):
    assert client.get(ME).status_code == 401


def test_an_unknown_token_is_401(client, hub_detective):
    services.api_token_create(user=hub_detective, name="Script")
    assert client.get(ME, **bearer("sx_not-a-real-token")).status_code == 401


def test_a_revoked_token_is_401(client, hub_detective):
    token, secret = services.api_token_create(user=hub_detective, name="Script")
    services.api_token_revoke(token=token)
    assert client.get(ME, **bearer(secret)).status_code == 401


def test_an_expired_token_is_401(client, hub_detective):
    token, secret = services.api_token_create(user=hub_detective, name="Script", expires_in_days=1)
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=now - dt.timedelta(days=1, seconds=1), expires_at=now - dt.timedelta(seconds=1)
    )
    assert client.get(ME, **bearer(secret)).status_code == 401


def test_a_switched_off_users_token_is_401(client, hub_detective):
    _, secret = services.api_token_create(user=hub_detective, name="Script")
    hub_detective.is_active = False
    hub_detective.save(update_fields=["is_active"])
    assert client.get(ME, **bearer(secret)).status_code == 401


def test_a_refused_token_is_audited_as_a_failed_sign_in_without_its_secret(client, hub_detective):
    guess = "sx_guessed-secret-that-is-not-stored-anywhere"
    response = client.get(ME, REMOTE_ADDR="192.0.2.44", **bearer(guess))
    assert response.status_code == 401
    (failure,) = events(Action.LOGIN_FAILED)
    assert failure.detail == {"channel": "api", "reason": "unknown_token", "path": ME}
    assert failure.actor_id is None
    assert failure.ip_address == "192.0.2.44"
    # Nothing of what was sent is kept: it may be a real secret pasted in the wrong place.
    assert "guessed" not in str(failure.detail) + failure.object_repr + failure.search_terms


def test_a_token_without_our_prefix_is_audited_too(client, db):
    assert client.get(ME, **bearer("not-one-of-ours")).status_code == 401
    assert [e.detail["reason"] for e in events(Action.LOGIN_FAILED)] == ["unknown_token"]


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda token: services.api_token_revoke(token=token), "token_revoked"),
        (
            lambda token: ApiToken.objects.filter(pk=token.pk).update(
                created_at=timezone.now() - dt.timedelta(days=2), expires_at=timezone.now() - dt.timedelta(seconds=1)
            ),
            "token_expired",
        ),
        (
            lambda token: type(token.user).objects.filter(pk=token.user_id).update(is_active=False),
            "account_switched_off",
        ),
    ],
)
def test_a_known_but_dead_token_is_audited_against_its_owner_with_the_reason(client, hub_detective, spoil, reason):
    token, secret = services.api_token_create(user=hub_detective, name="Script")
    spoil(token)
    assert client.get(ME, **bearer(secret)).status_code == 401
    failure = events(Action.LOGIN_FAILED)[-1]
    assert failure.detail["reason"] == reason
    assert (failure.actor_id, failure.object_id) == (hub_detective.pk, str(token.pk))
    assert secret not in failure.object_repr


def test_last_used_is_recorded_at_most_once_a_minute(client, hub_detective):
    token, secret = services.api_token_create(user=hub_detective, name="Script")
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(minutes=2)


def test_the_token_owner_becomes_the_audit_actor_on_channel_api(hub_detective):
    _, secret = services.api_token_create(user=hub_detective, name="Script")
    request = RequestFactory().get(ME, **bearer(secret))
    with context.acting_as(None, ip_address="192.0.2.1", request_id="req-api-000001", channel="web"):
        assert ApiTokenAuth()(request) == hub_detective
        actor = context.current()
        assert (actor.user, actor.channel, actor.ip_address, actor.request_id) == (
            hub_detective,
            "api",
            "192.0.2.1",
            "req-api-000001",
        )
        event = record(Action.VIEW, obj=hub_detective)
        assert event.actor_id == hub_detective.pk
        assert event.request_id == "req-api-000001"
    # The request's scope ended: the API actor does not leak into whatever runs next.
    assert context.current().user is None
    assert context.current().channel == "system"


def test_the_api_rejects_a_token_outside_a_request_scope_loudly(hub_detective):
    _, secret = services.api_token_create(user=hub_detective, name="Script")
    with pytest.raises(RuntimeError):
        ApiTokenAuth()(RequestFactory().get(ME, **bearer(secret)))
