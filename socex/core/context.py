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
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socex.accounts.models import User


@dataclass(frozen=True)
class ActorContext:
    user: User | None = None
    ip_address: str | None = None
    request_id: str = ""
    channel: str = "web"


_current: ContextVar[ActorContext] = ContextVar("socex_actor", default=ActorContext(channel="system"))


def current() -> ActorContext:
    return _current.get()


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
