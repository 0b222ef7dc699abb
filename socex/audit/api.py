"""Audit API: the event log for auditors (``audit.view``); 403 for every other token holder.

The filters are the auditor's page's filters, checked by the same form. Every page of events
returned is itself recorded as an export, with the filters (as the page's CSV export is).
"""

# No ``from __future__ import annotations`` here: django-ninja must see ``Query[...]`` as a
# real type when the module is imported.

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from socex.audit.access import can_read_audit, get_event_for
from socex.audit.forms import EventFilterForm
from socex.audit.listing import ApiExport, AuditedApiPagination
from socex.audit.models import Event

router = Router()


class EventOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor_id: uuid.UUID | None
    actor_label: str
    organisation_id: uuid.UUID | None
    organisation_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    search_terms: str
    export_count: int | None
    justification: str
    detail: dict[str, Any]
    ip_address: str | None
    request_id: str
    prev_hash: str
    hash: str


class EventFilters(Schema):
    user: str = ""
    organisation: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    period: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _require_auditor(request: HttpRequest) -> None:
    if not can_read_audit(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "Only auditors (the audit.view capability) can read the audit log.")


@router.get("/events", response=list[EventOut], summary="List audit events, newest first")
@paginate(AuditedApiPagination)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> ApiExport:
    """The same filters as the audit log page; a bad filter value is a 422 naming the field.

    Every page returned is recorded as an export of audit events, with the filters.
    """
    _require_auditor(request)
    form = EventFilterForm(data={k: v for k, v in filters.dict().items() if v not in ("", None)})
    if not form.is_valid():
        raise HttpError(422, form.error_text())
    events = form.filter(Event.objects.visible_to(request.auth))  # type: ignore[attr-defined]
    return ApiExport(rows=events, record_type="audit.event", filters=form.terms())


@router.get("/events/{event_id}", response=EventOut, summary="One audit event")
def get_event(request: HttpRequest, event_id: int) -> Event:
    """One event; reading it is recorded, as on the page. 404 for anyone but an auditor."""
    return get_event_for(request.auth, event_id)  # type: ignore[attr-defined]
