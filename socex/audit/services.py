"""Writing to the audit log. Every service calls :func:`record`; nothing else writes events."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from socex.audit.models import Action, Event
from socex.core import context

if TYPE_CHECKING:
    from socex.accounts.models import User

GENESIS_HASH = "0" * 64
# Any fixed number: the PostgreSQL advisory lock that keeps the chain a single line.
_CHAIN_LOCK_KEY = 8_231_947_311

HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "organisation_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "search_terms",
    "export_count",
    "justification",
    "detail",
    "ip_address",
    "request_id",
    "prev_hash",
)


def _plain(value: Any) -> Any:
    """JSON-safe form of a value, so what is hashed is exactly what the database returns."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))


def compute_hash(event: Event) -> str:
    payload = {}
    for name in HASHED_FIELDS:
        value = getattr(event, name)
        if name == "occurred_at":
            value = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        elif name in ("actor_id", "organisation_id") and value is not None:
            value = str(value)
        payload[name] = value
    canonical = json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def object_label(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:300]


def record(
    action: Action | str,
    *,
    obj: models.Model | None = None,
    actor: User | None = None,
    changes: Mapping[str, Any] | None = None,
    search_terms: str = "",
    export_count: int | None = None,
    justification: str = "",
    detail: Mapping[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> Event:
    """Append one event to the audit log and return it.

    Called inside the service's own transaction, so the event commits or rolls back with the
    change it describes. The actor, IP address and request id come from the current
    :mod:`socex.core.context` unless ``actor`` is given.
    """
    ctx = context.current()
    user = actor if actor is not None else ctx.user
    if obj is not None:
        object_type, object_id, object_repr = object_label(obj)
    organisation = getattr(user, "organisation", None) if user is not None else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = Event.objects.order_by("-id").values_list("hash", flat=True).first()
        event = Event(
            occurred_at=timezone.now(),
            actor_id=user.pk if user is not None else None,
            actor_label=user.email if user is not None else f"system ({ctx.channel})",
            organisation_id=organisation.pk if organisation is not None else None,
            organisation_label=organisation.name if organisation is not None else "",
            action=str(action),
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            changes=_plain(dict(changes or {})),
            search_terms=search_terms,
            export_count=export_count,
            justification=justification,
            detail=_plain(dict(detail or {})),
            ip_address=ctx.ip_address,
            request_id=ctx.request_id,
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


def record_view(*, obj: models.Model, justification: str = "") -> Event:
    """A read of a sensitive record (DPA 2018 s62 'consultation')."""
    return record(Action.VIEW, obj=obj, justification=justification)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields that changed, as ``{field: [old, new]}``."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Current values of ``fields`` in a form fit for :func:`diff`; relations as their labels."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = str(value)
        elif hasattr(value, "all") and callable(value.all):
            value = sorted(str(v) for v in value.all())
        values[name] = _plain(value)
    return values


def record_change(
    obj: models.Model, *, before: Mapping[str, Any], fields: Iterable[str], justification: str = ""
) -> Event | None:
    """Record an update with old → new values; nothing is written if nothing changed."""
    changes = diff(before, snapshot(obj, fields))
    if not changes:
        return None
    return record(Action.UPDATE, obj=obj, changes=changes, justification=justification)


def record_create(obj: models.Model, *, fields: Iterable[str]) -> Event:
    return record(Action.CREATE, obj=obj, changes=diff({}, snapshot(obj, fields)))
