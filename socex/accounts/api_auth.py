"""Personal API token authentication for the REST API (``Authorization: Bearer <token>``).

The token is looked up by the SHA-256 of what was sent; only that hash is stored. Expired and
revoked tokens, and tokens of switched-off users, are refused with 401, the same answer as an
unknown token, so a caller learns nothing about which tokens exist.

Once the token is accepted, the audit context is re-pointed at its owner with channel ``api``
(:func:`socex.core.context.identify_actor`). That keeps the IP address and request id that
AuditContextMiddleware set for the request, and that middleware's ``acting_as`` scope restores
the previous value when the request ends, so nothing leaks to the next request on the thread.
A context manager cannot be used here: authentication returns before the endpoint runs.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from socex.accounts.models import ApiToken, User
from socex.accounts.services import TOKEN_PREFIX, hash_token
from socex.core import context

# Recording every use would write on every API call; once a minute is enough to answer
# "is this token still in use?".
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


def _touch(token: ApiToken, now: dt.datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        # A bare UPDATE, not a service: it is bookkeeping about the token, not a change anyone made.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class ApiTokenAuth(HttpBearer):
    """Accepts a live personal API token; ``request.auth`` (and ``request.user``) become its owner."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        api_token = ApiToken.objects.select_related("user__organisation").filter(key_hash=hash_token(token)).first()
        now = timezone.now()
        if api_token is None or not api_token.is_usable(now):
            return None
        _touch(api_token, now)
        user = api_token.user
        # Endpoints may use request.user like views do; there is no session, so nothing persists.
        request.user = user
        context.identify_actor(user, channel="api")
        return user
