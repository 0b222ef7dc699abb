"""Personal API token authentication for the REST API (``Authorization: Bearer <token>``).

The token is looked up by the SHA-256 of what was sent; only that hash is stored. Expired and
revoked tokens, and tokens of switched-off users, are refused with 401, the same answer as an
unknown token, so a caller learns nothing about which tokens exist.

Once the token is accepted, the audit context is re-pointed at its owner with channel ``api``
(:func:`socex.core.context.identify_actor`). That keeps the IP address and request id that
AuditContextMiddleware set for the request, and that middleware's ``acting_as`` scope restores
the previous value when the request ends, so nothing leaks to the next request on the thread.
A context manager cannot be used here: authentication returns before the endpoint runs.

Every refused token is written to the audit log as a failed sign-in (channel ``api``) with
the reason, like a failed sign-in on the page. Nothing of an unknown token is recorded (it
may be a real secret pasted into the wrong place); a known one is named by its prefix.
Wrong tokens are not throttled here: a secret has 256 random bits, so guessing one is not
feasible, and each failure costs one indexed lookup. A reverse proxy should still rate-limit
``/api/`` per client address against floods.

The lookup is by the SHA-256 of what was sent, through the unique index on ``key_hash``. The
caller controls the token, not its hash, so how long the lookup takes tells them nothing
about stored hashes; no constant-time comparison is needed.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from socex.accounts.models import ApiToken, User
from socex.accounts.services import TOKEN_PREFIX, hash_token
from socex.audit.models import Action
from socex.audit.services import record
from socex.core import context

# Recording every use would write on every API call; once a minute is enough to answer
# "is this token still in use?".
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


def _touch(token: ApiToken, now: dt.datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        # A bare UPDATE, not a service: it is bookkeeping about the token, not a change anyone made.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def _refusal_reason(api_token: ApiToken | None, now: dt.datetime) -> str:
    if api_token is None:
        return "unknown_token"
    if api_token.revoked_at is not None:
        return "token_revoked"
    if api_token.expires_at is not None and api_token.expires_at <= now:
        return "token_expired"
    return "account_switched_off"


def _record_refusal(request: HttpRequest, api_token: ApiToken | None, now: dt.datetime) -> None:
    """A refused token is a failed sign-in: who it belonged to (if anyone) and why it failed."""
    record(
        Action.LOGIN_FAILED,
        obj=api_token,
        actor=api_token.user if api_token is not None else None,
        detail={"channel": "api", "reason": _refusal_reason(api_token, now), "path": request.path},
    )


class ApiTokenAuth(HttpBearer):
    """Accepts a live personal API token; ``request.auth`` (and ``request.user``) become its owner."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = None
        if token.startswith(TOKEN_PREFIX):
            api_token = ApiToken.objects.select_related("user__organisation").filter(key_hash=hash_token(token)).first()
        now = timezone.now()
        if api_token is None or not api_token.is_usable(now):
            _record_refusal(request, api_token, now)
            return None
        _touch(api_token, now)
        user = api_token.user
        # Endpoints may use request.user like views do; there is no session, so nothing persists.
        request.user = user
        context.identify_actor(user, channel="api")
        return user
