"""The safeguarding plan's pages: work trays, one action, adding, updating, completing and
cancelling actions, and overdue actions by agency.

Every list starts from ``Action.objects.visible_to``; one action comes through
``get_action_for`` (404 if its case is not visible, 403 if the user may not change it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from socex.audit.listing import audited_filtered_page
from socex.cases.access import get_case_for
from socex.cases.models import ChronologyEntry
from socex.safeguarding import services
from socex.safeguarding.access import ACTION_TYPE, can_add_action, can_change_case_of, get_action_for
from socex.safeguarding.conf import due_soon_days
from socex.safeguarding.forms import (
    ActionCancelForm,
    ActionCompleteForm,
    ActionFilterForm,
    ActionForm,
    ActionUpdateForm,
)
from socex.safeguarding.models import Action
from socex.safeguarding.views.common import require_safeguarding, show_errors, subnav

SCOPES = {
    "tray": ("My actions", "The actions you own."),
    "agency_tray": ("My agency's actions", "The actions your agency owns, whoever in it owns them."),
    "actions": ("All actions", "Every action in the plans of the cases you can see."),
}


def _scoped(request: HttpRequest, scope: str) -> Any:
    user = require_safeguarding(request)
    actions = Action.objects.visible_to(user)
    if scope == "tray":
        actions = actions.filter(owner=user)
    elif scope == "agency_tray":
        if user.organisation_id is None:
            raise PermissionDenied("You belong to no agency, so you have no agency actions.")
        actions = actions.filter(owner_agency_id=user.organisation_id)
    return actions


def _tray(request: HttpRequest, scope: str) -> HttpResponse:
    actions = _scoped(request, scope)
    user = require_safeguarding(request)
    form = ActionFilterForm(request.GET or None, user=user, with_agency=scope == "actions")
    today = timezone.localdate()
    listed = actions.select_related("case", "owner_agency", "owner").order_by("due_date", "reference")
    title, intro = SCOPES[scope]
    context = {
        "page_title": title,
        "intro": intro,
        "scope": scope,
        "subnav": subnav(request, scope),
        **audited_filtered_page(request, form, listed, record_type=ACTION_TYPE),
        "overdue_count": actions.overdue(today).count(),
        "due_soon_count": actions.due_soon(today).count(),
        "due_soon_days": due_soon_days(),
        "today": today,
    }
    return render(request, "safeguarding/tray.html", context)


@require_GET
def tray(request: HttpRequest) -> HttpResponse:
    return _tray(request, "tray")


@require_GET
def agency_tray(request: HttpRequest) -> HttpResponse:
    return _tray(request, "agency_tray")


@require_GET
def all_actions(request: HttpRequest) -> HttpResponse:
    return _tray(request, "actions")


def history_of(action: Action) -> Any:
    """The chronology entries this action wrote, newest first (through the case's index)."""
    return ChronologyEntry.objects.filter(
        case_id=action.case_id, source_type=ACTION_TYPE, source_id=str(action.pk)
    ).select_related("author", "agency")


@require_GET
def action_detail(request: HttpRequest, action_id: str) -> HttpResponse:
    action = get_action_for(request.user, pk=action_id)
    editable = Action.objects.editable_by(request.user).filter(pk=action.pk).exists()
    context = {
        "page_title": f"Action {action.reference}",
        "action": action,
        "can_update": editable and action.is_open,
        "can_cancel": action.is_open and can_change_case_of(request.user, action),
        "history": history_of(action),
    }
    return render(request, "safeguarding/action_detail.html", context)


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, need="view", pk=case_id)
    user = require_safeguarding(request)
    if not can_add_action(user, case):
        raise PermissionDenied("Only someone who may change the case can add actions to its plan.")
    form = ActionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(actor=user, case=case, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Action {action.reference} added to the plan for {case.reference}.")
            return redirect(case.get_absolute_url())
    context = {"page_title": "Add an action", "form": form, "case": case, "back_url": case.get_absolute_url()}
    return render(request, "safeguarding/action_form.html", context)


def _conflict(form: Any, action: Action) -> None:
    """After a version clash, show the action as it is now and let the user try again from it."""
    action.refresh_from_db()
    data = form.data.copy()
    data["version"] = str(action.version)
    form.data = data


@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, action_id: str) -> HttpResponse:
    action = get_action_for(request.user, need="edit", pk=action_id)
    user = require_safeguarding(request)
    whole = can_change_case_of(user, action)
    form = ActionUpdateForm(request.POST or None, action=action, whole=whole)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=user, action=action, version=form.cleaned_data["version"], **form.changes())
        except ValidationError as error:
            show_errors(form, error)
            if "version" in getattr(error, "error_dict", {}):
                _conflict(form, action)
        else:
            messages.success(request, f"Saved the changes to action {action.reference}.")
            return redirect(action.get_absolute_url())
    context = {"page_title": f"Update action {action.reference}", "form": form, "action": action, "whole": whole}
    return render(request, "safeguarding/action_update.html", context)


def _close_view(request: HttpRequest, action_id: str, *, cancel: bool) -> HttpResponse:
    action = get_action_for(request.user, need="edit", pk=action_id)
    user = require_safeguarding(request)
    if cancel and not can_change_case_of(user, action):
        raise PermissionDenied("Only someone who may change the case can cancel an action.")
    form_class = ActionCancelForm if cancel else ActionCompleteForm
    form = form_class(request.POST or None, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            if cancel:
                services.action_cancel(actor=user, action=action, **form.cleaned_data)
            else:
                services.action_complete(actor=user, action=action, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
            if "version" in getattr(error, "error_dict", {}):
                _conflict(form, action)
        else:
            done = "cancelled" if cancel else "marked as done"
            messages.success(request, f"Action {action.reference} {done}.")
            return redirect(action.get_absolute_url())
    title = f"{'Cancel' if cancel else 'Complete'} action {action.reference}"
    context = {"page_title": title, "form": form, "action": action, "cancel": cancel}
    return render(request, "safeguarding/action_close.html", context)


@require_http_methods(["GET", "POST"])
def action_complete(request: HttpRequest, action_id: str) -> HttpResponse:
    return _close_view(request, action_id, cancel=False)


@require_http_methods(["GET", "POST"])
def action_cancel(request: HttpRequest, action_id: str) -> HttpResponse:
    return _close_view(request, action_id, cancel=True)


def overdue_rows(user: Any, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Open actions by owning agency (overdue, due soon, open), most overdue first."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=due_soon_days())
    rows = (
        Action.objects.visible_to(user)
        .open()
        .values("owner_agency_id", "owner_agency__name")
        .annotate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
            open=Count("pk"),
        )
        .order_by("-overdue", "owner_agency__name")
    )
    return [dict(row) for row in (rows[:limit] if limit else rows)]


@require_GET
def overdue_by_agency(request: HttpRequest) -> HttpResponse:
    user = require_safeguarding(request)
    rows = overdue_rows(user)
    context = {
        "page_title": "Overdue actions by agency",
        "subnav": subnav(request, "overdue"),
        "rows": rows,
        "total_overdue": sum(row["overdue"] for row in rows),
        "due_soon_days": due_soon_days(),
    }
    return render(request, "safeguarding/overdue.html", context)
