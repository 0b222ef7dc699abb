"""Who is acting, from where, for the audit log.

The middleware sets this for each web request; the API does the same after token
authentication; management commands set it with :func:`acting_as`. Services never take a
request object, so the audit trail reads the actor from here unless one is passed in.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socex.accounts.models import User


@dataclass(frozen=True)
class ActorContext:
    user: User | None = None
    ip_address: str | None = None
    request_id: str = ""
    channel: str = "web"


_SYSTEM = ActorContext(channel="system")
_current: ContextVar[ActorContext | None] = ContextVar("socex_actor", default=None)


def current() -> ActorContext:
    """Who is acting now; outside any request or command, the system itself."""
    return _current.get() or _SYSTEM


@contextlib.contextmanager
def acting_as(
    user: User | None, *, ip_address: str | None = None, request_id: str = "", channel: str = "command"
) -> Iterator[ActorContext]:
    ctx = ActorContext(user=user, ip_address=ip_address, request_id=request_id or uuid.uuid4().hex, channel=channel)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def identify_actor(user: User | None, *, channel: str) -> ActorContext:
    """Name who is acting for the rest of the current scope, keeping its IP address and request id.

    For code that learns who is acting part-way through a request, such as the API's token
    authentication. It only works inside a scope opened by :func:`acting_as` (the
    AuditContextMiddleware opens one around every request): that scope's exit restores the
    value it replaced, so the actor set here can never leak into the next request served by
    the same thread. Outside any scope it raises rather than set a value nobody resets.
    """
    ctx = _current.get()
    if ctx is None:
        raise RuntimeError("identify_actor() needs a scope opened by acting_as(), e.g. by AuditContextMiddleware.")
    named = replace(ctx, user=user, channel=channel)
    _current.set(named)
    return named
