"""MACE meeting pages: the list, setting one up, attendees, the agenda, recording each case's
discussion and actions, making the minutes final and downloading an agency's copy.

A meeting comes through ``get_meeting_for`` (404 if the user's agency is not invited and they do
not see every case; 403 to change it unless they run it). An agenda item's content shows only to
those who can see its case; everyone else sees "Item withheld: not shared with your agency".
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.core.listing import paginate
from socex.core.pdf import pdf_response
from socex.safeguarding import services
from socex.safeguarding.access import can_manage_meetings, get_meeting_for
from socex.safeguarding.forms import (
    ActionForm,
    AgendaAddForm,
    AgendaRecordForm,
    AttendeesForm,
    MeetingForm,
    VersionForm,
)
from socex.safeguarding.minutes import minutes_export, recipients
from socex.safeguarding.models import AgendaItem, Meeting, MeetingStatus
from socex.safeguarding.services.meetings import chairs
from socex.safeguarding.views.common import require_safeguarding, show_errors, subnav


def _runs(request: HttpRequest, meeting: Meeting) -> bool:
    return Meeting.objects.editable_by(request.user).filter(pk=meeting.pk).exists()


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = require_safeguarding(request)
    meetings = Meeting.objects.visible_to(user).select_related("chair", "lpa", "organiser")
    context = {
        "page_title": "MACE meetings",
        "subnav": subnav(request, "meetings"),
        "page_obj": paginate(request, meetings),
        "query_without_page": "",
        "can_create": can_manage_meetings(user) and user.organisation_id is not None,
    }
    return render(request, "safeguarding/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = require_safeguarding(request)
    if not can_manage_meetings(user):
        raise PermissionDenied("Your roles do not include running MACE meetings.")
    available = chairs()
    initial = {"chair": user.pk} if user in available else {}
    form = MeetingForm(request.POST or None, chairs=available, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=user, **form.values())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Set up {meeting.title} on its date ({meeting.reference}). Add the cases next.")
            return redirect(meeting.get_absolute_url())
    return render(request, "safeguarding/meeting_form.html", {"page_title": "Set up a MACE meeting", "form": form})


def _agenda(request: HttpRequest, meeting: Meeting) -> list[dict[str, Any]]:
    """Each agenda item, with its content only when the user may see its case."""
    visible = set(AgendaItem.objects.visible_to(request.user).filter(meeting=meeting).values_list("pk", flat=True))
    items = meeting.items.select_related("case", "case__lead_agency").prefetch_related("actions").order_by("position")
    return [{"position": item.position, "item": item if item.pk in visible else None} for item in items]


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: str) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk=meeting_id)
    runs = _runs(request, meeting)
    context = {
        "page_title": str(meeting),
        "meeting": meeting,
        "agenda": _agenda(request, meeting),
        "agencies": meeting.agencies.order_by("name"),
        "attendees": meeting.attendees.select_related("organisation").order_by("organisation__name", "full_name"),
        "runs": runs,
        "open": meeting.status == MeetingStatus.SCHEDULED,
        "recipients": recipients(meeting, request.user),  # type: ignore[arg-type]
        "finalise_form": VersionForm(initial={"version": meeting.version}),
    }
    return render(request, "safeguarding/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: str) -> HttpResponse:
    meeting = get_meeting_for(request.user, need="edit", pk=meeting_id)
    user = require_safeguarding(request)
    initial = {
        "version": meeting.version,
        "title": meeting.title,
        "meeting_date": meeting.meeting_date,
        "lpa": meeting.lpa_id,
        "chair": meeting.chair_id,
        "agencies": list(meeting.agencies.values_list("pk", flat=True)),
    }
    form = MeetingForm(request.POST or None, chairs=chairs(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=user, meeting=meeting, version=form.cleaned_data["version"] or 0, **form.values()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Saved the changes to {meeting.reference}.")
            return redirect(meeting.get_absolute_url())
    context = {"page_title": f"Change {meeting.reference}", "form": form, "meeting": meeting}
    return render(request, "safeguarding/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def meeting_attendees(request: HttpRequest, meeting_id: str) -> HttpResponse:
    meeting = get_meeting_for(request.user, need="edit", pk=meeting_id)
    user = require_safeguarding(request)
    initial = {"attendees": list(meeting.attendees.values_list("pk", flat=True))}
    form = AttendeesForm(request.POST or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_set_attendees(actor=user, meeting=meeting, attendees=form.cleaned_data["attendees"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Saved who attended.")
            return redirect(meeting.get_absolute_url())
    context = {"page_title": "Who attended", "form": form, "meeting": meeting}
    return render(request, "safeguarding/meeting_attendees.html", context)


@require_http_methods(["GET", "POST"])
def agenda_add(request: HttpRequest, meeting_id: str) -> HttpResponse:
    meeting = get_meeting_for(request.user, need="edit", pk=meeting_id)
    user = require_safeguarding(request)
    form = AgendaAddForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(actor=user, meeting=meeting, case=form.cleaned_data["case"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Added {item.case.reference} to the agenda as item {item.position}.")
            return redirect(meeting.get_absolute_url())
    context = {"page_title": "Add a case to the agenda", "form": form, "meeting": meeting}
    return render(request, "safeguarding/agenda_add.html", context)


def _item_for(request: HttpRequest, meeting: Meeting, item_id: str) -> AgendaItem:
    """An item of ``meeting`` whose case the user can see; otherwise 404 (its content is withheld)."""
    item = (
        AgendaItem.objects.visible_to(request.user)
        .filter(meeting=meeting, pk=item_id)
        .select_related("case", "case__lead_agency", "case__lpa", "meeting")
        .first()
    )
    if item is None:
        raise Http404
    return item


@require_http_methods(["GET", "POST"])
def agenda_item(request: HttpRequest, meeting_id: str, item_id: str) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk=meeting_id)
    item = _item_for(request, meeting, item_id)
    runs = _runs(request, meeting)
    form = AgendaRecordForm(
        request.POST if request.method == "POST" else None,
        initial={"discussion": item.discussion, "decisions": item.decisions},
    )
    if request.method == "POST":
        if not runs:
            raise PermissionDenied("Only the chair or the organising agency can record the meeting.")
        if form.is_valid():
            try:
                services.agenda_item_record(actor=require_safeguarding(request), item=item, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Saved the discussion of {item.case.reference}.")
                return redirect(meeting.get_absolute_url())
    context = {
        "page_title": f"Item {item.position}: {item.case.reference}",
        "meeting": meeting,
        "item": item,
        "form": form,
        "runs": runs,
        "open": meeting.status == MeetingStatus.SCHEDULED,
        "actions": item.actions.select_related("owner_agency", "owner"),
    }
    return render(request, "safeguarding/agenda_item.html", context)


@require_http_methods(["GET", "POST"])
def agenda_action_new(request: HttpRequest, meeting_id: str, item_id: str) -> HttpResponse:
    meeting = get_meeting_for(request.user, need="edit", pk=meeting_id)
    item = _item_for(request, meeting, item_id)
    user = require_safeguarding(request)
    form = ActionForm(request.POST or None, case=item.case)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(actor=user, case=item.case, agenda_item=item, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Action {action.reference} agreed for {item.case.reference}.")
            return redirect(item.get_absolute_url())
    context = {
        "page_title": "Add an action agreed at the meeting",
        "form": form,
        "case": item.case,
        "item": item,
        "back_url": item.get_absolute_url(),
    }
    return render(request, "safeguarding/action_form.html", context)


@require_POST
def meeting_finalise(request: HttpRequest, meeting_id: str) -> HttpResponse:
    meeting = get_meeting_for(request.user, need="edit", pk=meeting_id)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Reload the page and try again.")
        services.meeting_finalise(actor=require_safeguarding(request), meeting=meeting, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"The minutes of {meeting.reference} are final.")
    return redirect(meeting.get_absolute_url())


@require_GET
def minutes(request: HttpRequest, meeting_id: str) -> HttpResponse:
    """``?agency=<id>``: that agency's copy (default: the user's own agency's)."""
    meeting = get_meeting_for(request.user, pk=meeting_id)
    user = require_safeguarding(request)
    wanted = request.GET.get("agency") or str(user.organisation_id or "")
    agency = next((a for a in recipients(meeting, user) if str(a.pk) == wanted), None)
    if agency is None:
        invited = {str(pk) for pk in meeting.agencies.values_list("pk", flat=True)}
        if wanted in invited:
            raise PermissionDenied("You can download only your own agency's copy of these minutes.")
        raise Http404
    content, filename = minutes_export(actor=user, meeting=meeting, agency=agency)
    return pdf_response(content, filename)
