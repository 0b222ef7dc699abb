"""The auditor's pages: the filtered event log, one event, who has looked at a record, CSV export.

Only holders of ``audit.view`` may use them (403 for anyone else). Every filtered list, every
"who has looked at this record?" and every export is itself written to the log.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from socex.audit.access import can_read_audit, get_event_for
from socex.audit.forms import EventFilterForm, record_type_choices
from socex.audit.listing import audited_csv, audited_filtered_page
from socex.audit.models import Action, Event
from socex.audit.services import record_search
from socex.core.listing import paginate, query_without

EVENT_TYPE = "audit.event"
CSV_HEADER = [
    "Event", "Occurred (UTC)", "User", "Organisation", "Action", "Record type", "Record id", "Record",
    "Changes", "Search terms", "Rows exported", "Justification", "Detail", "IP address", "Request id", "Hash",
]  # fmt: skip


def _require_auditor(request: HttpRequest) -> None:
    if not can_read_audit(request.user):
        raise PermissionDenied("Only auditors can search the audit log.")


def _events(request: HttpRequest) -> QuerySet[Event]:
    return Event.objects.visible_to(request.user)  # type: ignore[arg-type]


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = EventFilterForm(request.GET or None)
    context = {
        "page_title": "Audit log",
        **audited_filtered_page(request, form, _events(request), record_type=EVENT_TYPE),
    }
    return render(request, "audit/event_list.html", context)


def _change_rows(changes: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    rows = []
    for field, values in changes.items():
        if isinstance(values, list) and len(values) == 2:
            rows.append((field, values[0], values[1]))
        else:
            rows.append((field, "", values))
    return rows


def _shown(value: Any) -> Any:
    """Lists and mappings as JSON, which reads better than Python's repr; the rest as it is."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


@require_GET
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_event_for(request.user, event_id)
    changes = event.changes if isinstance(event.changes, dict) else {}
    detail = event.detail if isinstance(event.detail, dict) else {"detail": event.detail}
    context = {
        "page_title": f"Audit event #{event.id}",
        "event": event,
        "change_rows": [(field, _shown(old), _shown(new)) for field, old, new in _change_rows(changes)],
        "detail_rows": [(key, _shown(value)) for key, value in detail.items()],
    }
    return render(request, "audit/event_detail.html", context)


def _viewers(views: QuerySet[Event]) -> list[dict[str, Any]]:
    """One row per person who viewed: how often, first and last time, and the reasons they gave."""
    from socex.accounts.models import User

    rows: list[dict[str, Any]] = [
        dict(row)
        for row in views.values("actor_id", "actor_label", "organisation_label")
        .annotate(times=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by("-last")
    ]
    names = dict(
        User.objects.filter(id__in=[r["actor_id"] for r in rows if r["actor_id"]]).values_list("id", "full_name")
    )
    reasons: dict[Any, list[str]] = {}
    for actor_id, justification in (
        views.exclude(justification="").order_by().values_list("actor_id", "justification").distinct()
    ):
        reasons.setdefault(actor_id, []).append(justification)
    for row in rows:
        row["name"] = names.get(row["actor_id"], "")
        row["justifications"] = reasons.get(row["actor_id"], [])
    return rows


@require_GET
def record_history(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    _require_auditor(request)
    events = _events(request).filter(object_type=object_type, object_id=object_id)
    views = events.filter(action=Action.VIEW)
    viewers = _viewers(views)
    page = paginate(request, events.exclude(action=Action.VIEW))
    page.object_list = list(page.object_list)
    latest = events.values_list("object_repr", flat=True).first()
    record_search(
        record_type=EVENT_TYPE,
        terms={"Record type": object_type, "Record id": object_id},
        results=len(viewers) + page.paginator.count,
    )
    context = {
        "page_title": "Who has looked at this record?",
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": latest or "",
        "record_type_label": dict(record_type_choices()).get(object_type, object_type),
        "viewers": viewers,
        "view_count": sum(row["times"] for row in viewers),
        "page_obj": page,
        "query_without_page": query_without(request, "page"),
        "all_events_query": urlencode({"object_type": object_type, "object_id": object_id}),
    }
    return render(request, "audit/record_history.html", context)


def _csv_row(event: Event) -> list[Any]:
    return [
        event.id, event.occurred_at.astimezone(dt.UTC).isoformat(), event.actor_label,
        event.organisation_label, event.get_action_display(), event.object_type, event.object_id,
        event.object_repr, event.changes or "", event.search_terms, event.export_count,
        event.justification, event.detail or "", event.ip_address, event.request_id, event.hash,
    ]  # fmt: skip


@require_GET
def event_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    _require_auditor(request)
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('audit:events')}?{request.GET.urlencode()}")
    events = form.filter(_events(request)).order_by("id")
    return audited_csv(
        filename=f"audit-events-{timezone.localdate():%Y-%m-%d}.csv",
        header=CSV_HEADER,
        rows=(_csv_row(event) for event in events.iterator(chunk_size=2000)),
        count=events.count(),
        record_type=EVENT_TYPE,
        filters=form.terms(),
    )
