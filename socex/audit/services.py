"""Writing to the audit log. Every service calls :func:`record`; nothing else writes events."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from socex.audit.models import Action, Event
from socex.core import context

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.audit.chain import ChainReport

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


def _canonical(value: Any) -> Any:
    """The form a JSON value takes after a trip through either database.

    PostgreSQL's ``jsonb`` keeps numbers as ``numeric``, so a float such as ``1e+20`` comes
    back as the integer ``100000000000000000000``; neither database accepts NUL characters or
    NaN. Integral floats therefore become ints, NaN and infinities become strings, and NULs
    become U+FFFD, so what is hashed on writing is exactly what is read back when verifying.
    """
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return _clean_text(value)
    return value


def _clean_text(value: str) -> str:
    # PostgreSQL refuses NUL in text and jsonb; keep the rest of the text rather than fail.
    return value.replace("\x00", "\ufffd")


def _plain(value: Any) -> Any:
    """JSON-safe form of a value, so what is hashed is exactly what the database returns."""
    return _canonical(json.loads(json.dumps(value, cls=DjangoJSONEncoder)))


def _clean_ip(raw: str | None) -> str | None:
    """The address as both databases store it (IPv6 compressed and lower-case), or None.

    ``GenericIPAddressField`` normalises IPv6 only when saving, so hashing the raw string
    would not match what is read back; an unparseable value is dropped, not stored.
    """
    if not raw:
        return None
    try:
        address = ipaddress.ip_address(raw.strip().split("%", 1)[0])
    except ValueError:
        return None
    if address.version == 6:
        return clean_ipv6_address(str(address))
    return str(address)


def compute_hash(event: Event) -> str:
    """SHA-256 over the event's content and the previous event's hash (see :func:`hash_values`)."""
    return hash_values({name: getattr(event, name) for name in HASHED_FIELDS})


def hash_values(values: Mapping[str, Any]) -> str:
    """SHA-256 over the :data:`HASHED_FIELDS` of an event, given as a mapping (e.g. a ``.values()`` row).

    Every value is put in one canonical form (UTC time to the microsecond, ids as strings,
    JSON normalised as :func:`_canonical` says), so the hash computed when writing equals
    the one recomputed from the row read back on SQLite and PostgreSQL alike.
    """
    payload = {}
    for name in HASHED_FIELDS:
        value = values[name]
        if name == "occurred_at":
            value = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        elif name in ("actor_id", "organisation_id") and value is not None:
            value = str(value)
        elif name in ("changes", "detail"):
            value = _canonical(value)
        payload[name] = value
    canonical = json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def lock_chain() -> None:
    """Hold the audit chain's write lock until the current transaction ends.

    On PostgreSQL this is a transaction-level advisory lock (re-entrant, so taking it twice
    is harmless). On SQLite every transaction already begins IMMEDIATE, which takes the
    database write lock, so nothing more is needed. A service that takes other locks before
    it writes its audit event (e.g. numbering a record) calls this first, so every writer
    takes the locks in the same order and none can deadlock on the chain.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_chain() must be called inside transaction.atomic().")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


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
    action = Action(action)  # an unknown action is a programming error: fail loudly
    ctx = context.current()
    user = actor if actor is not None else ctx.user
    if obj is not None:
        object_type, object_id, object_repr = object_label(obj)
    organisation = getattr(user, "organisation", None) if user is not None else None
    # No savepoint: if writing the event fails, the change it describes must not commit either.
    with transaction.atomic(savepoint=False):
        lock_chain()
        last = Event.objects.order_by("-id").values_list("hash", flat=True).first()
        event = Event(
            occurred_at=timezone.now(),
            actor_id=user.pk if user is not None else None,
            actor_label=user.email if user is not None else f"system ({ctx.channel})",
            organisation_id=organisation.pk if organisation is not None else None,
            organisation_label=organisation.name if organisation is not None else "",
            action=action.value,
            object_type=object_type,
            object_id=str(object_id)[:64],
            object_repr=_clean_text(object_repr)[:300],
            changes=_plain(dict(changes or {})),
            search_terms=_clean_text(search_terms),
            export_count=export_count,
            justification=_clean_text(justification),
            detail=_plain(dict(detail or {})),
            ip_address=_clean_ip(ctx.ip_address),
            request_id=ctx.request_id[:64],
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


def record_view(*, obj: models.Model, justification: str = "") -> Event:
    """A read of a sensitive record (DPA 2018 s62 'consultation')."""
    return record(Action.VIEW, obj=obj, justification=justification)


def record_search(*, record_type: str, terms: Mapping[str, str], results: int | None = None) -> Event | None:
    """A search or filter with its terms (what was looked for, in which records).

    ``terms`` maps each filter's label to the value as the user gave it; nothing is written
    when no term was given, since an unfiltered list is not a search.
    """
    if not terms:
        return None
    detail: dict[str, Any] = {"terms": dict(terms)}
    if results is not None:
        detail["results"] = results
    return record(
        Action.SEARCH,
        object_type=record_type,
        search_terms=format_terms(terms),
        detail=detail,
    )


def format_terms(terms: Mapping[str, str]) -> str:
    """``{"User": "jo", "Action": "Viewed"}`` as ``User: jo; Action: Viewed``."""
    return "; ".join(f"{label}: {value}" for label, value in terms.items())


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


def record_create(obj: models.Model, *, fields: Iterable[str], actor: User | None = None) -> Event:
    """Record a new record with its initial values (shown as blank → value).

    ``actor`` as in :func:`record`: the current context's user unless given.
    """
    return record(Action.CREATE, obj=obj, actor=actor, changes=diff({}, snapshot(obj, fields)))


def record_verification(report: ChainReport) -> Event:
    """Record a run of ``audit_verify``, intact or not, so auditors see when it last ran."""
    detail: dict[str, Any] = {
        "result": "intact" if report.intact else "broken",
        "events_checked": report.checked,
        "first_id": report.first_id,
        "last_id": report.last_id,
        "last_hash": report.last_hash,
    }
    if report.broken is not None:
        detail.update(broken_at=report.broken.event_id, reason=report.broken.reason)
    return record(Action.VERIFY, detail=detail)
