"""Contextual safeguarding pages: locations of concern (list, map per LPA, one location) and peer
groups (list, one group, its members and cases).

Everything starts from ``visible_to`` / ``get_<thing>_for``. A member or linked case the user
may not see elsewhere is not named here either: the page says only how many others there are.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.areas.models import LPA
from socex.audit.listing import audited_filtered_page
from socex.audit.services import record_search
from socex.cases.models import Case
from socex.core.listing import paginate
from socex.people.models import Person
from socex.safeguarding import services
from socex.safeguarding.access import LOCATION_TYPE, get_location_for, get_peer_group_for
from socex.safeguarding.forms import LinkCaseForm, LocationFilterForm, LocationForm, MemberForm, PeerGroupForm
from socex.safeguarding.models import Location, LocationKind, PeerGroup
from socex.safeguarding.views.common import require_safeguarding, show_errors, subnav

# Marker colours by type of place (shown in the key and the table as words too).
KIND_COLOURS: dict[str, str] = {
    LocationKind.PARK: "#00703c",
    LocationKind.TAKEAWAY: "#f47738",
    LocationKind.TRANSPORT_HUB: "#1d70b8",
    LocationKind.TRAP_HOUSE: "#d4351c",
    LocationKind.SCHOOL: "#4c2c92",
    LocationKind.OTHER: "#505a5f",
}


def _editable(request: HttpRequest, obj: Location | PeerGroup) -> bool:
    return type(obj).objects.editable_by(request.user).filter(pk=obj.pk).exists()


def _linked_cases(request: HttpRequest, obj: Location | PeerGroup) -> tuple[list[Case], int]:
    linked = obj.cases.all()
    visible = list(linked.filter(pk__in=Case.objects.visible_to(request.user).values("pk")).order_by("reference"))
    return visible, linked.count() - len(visible)


# --- Locations ------------------------------------------------------------------------------------


@require_GET
def location_list(request: HttpRequest) -> HttpResponse:
    user = require_safeguarding(request)
    form = LocationFilterForm(request.GET or None)
    locations = Location.objects.visible_to(user).select_related("lpa", "owner")
    context = {
        "page_title": "Locations of concern",
        "subnav": subnav(request, "locations"),
        **audited_filtered_page(request, form, locations, record_type=LOCATION_TYPE),
        "lpas": LPA.objects.all(),
    }
    return render(request, "safeguarding/location_list.html", context)


def _marker(location: Location) -> dict[str, Any]:
    return {
        "lat": float(location.latitude),  # type: ignore[arg-type]
        "lng": float(location.longitude),  # type: ignore[arg-type]
        "name": location.name,
        "kind": location.get_kind_display(),
        "colour": KIND_COLOURS.get(location.kind, "#505a5f"),
        "url": location.get_absolute_url(),
    }


@require_GET
def location_map(request: HttpRequest, lpa_code: str) -> HttpResponse:
    """The locations of one LPA on a map of its boundary, and in a table beside it."""
    user = require_safeguarding(request)
    lpa = get_object_or_404(LPA, code=lpa_code)
    locations = list(Location.objects.visible_to(user).filter(lpa=lpa).select_related("owner").order_by("kind", "name"))
    record_search(record_type=LOCATION_TYPE, terms={"Local policing area": lpa.name}, results=len(locations))
    context = {
        "page_title": f"Locations of concern in {lpa.name}",
        "subnav": subnav(request, "locations"),
        "lpa": lpa,
        "locations": locations,
        "markers": [_marker(location) for location in locations if location.has_point],
        "without_point": sum(1 for location in locations if not location.has_point),
        "key": [(label, KIND_COLOURS[LocationKind(value)]) for value, label in LocationKind.choices],
        "boundaries_url": reverse("areas:lpa_boundaries"),
        "lpas": LPA.objects.all(),
    }
    return render(request, "safeguarding/location_map.html", context)


def _picker_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "boundaries_url": reverse("areas:lpa_boundaries"),
        "lpa_codes": {str(lpa.pk): lpa.code for lpa in LPA.objects.all()},
    }


@require_http_methods(["GET", "POST"])
def location_new(request: HttpRequest) -> HttpResponse:
    user = require_safeguarding(request)
    form = LocationForm(request.POST or None, user=user, initial={"lpa": getattr(user.lpa, "pk", None)})
    if request.method == "POST" and form.is_valid():
        try:
            location = services.location_create(actor=user, **form.values())
        except ValidationError as error:
            show_errors(form, error, {"cases": "case"})
        else:
            messages.success(request, f"Recorded the location of concern '{location.name}'.")
            return redirect(location.get_absolute_url())
    context = {"page_title": "Record a location of concern", "form": form, **_picker_context(request)}
    return render(request, "safeguarding/location_form.html", context)


def _location_page(request: HttpRequest, location: Location, link_form: LinkCaseForm | None = None) -> HttpResponse:
    cases, hidden = _linked_cases(request, location)
    context = {
        "page_title": location.name,
        "location": location,
        "cases": cases,
        "hidden_cases": hidden,
        "can_edit": _editable(request, location),
        "link_form": link_form or LinkCaseForm(user=require_safeguarding(request)),
        "markers": [_marker(location)] if location.has_point else [],
        "boundaries_url": reverse("areas:lpa_boundaries"),
    }
    return render(request, "safeguarding/location_detail.html", context)


@require_GET
def location_detail(request: HttpRequest, location_id: str) -> HttpResponse:
    return _location_page(request, get_location_for(request.user, pk=location_id))


@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, location_id: str) -> HttpResponse:
    location = get_location_for(request.user, need="edit", pk=location_id)
    user = require_safeguarding(request)
    initial = {
        field: getattr(location, field)
        for field in ("version", "name", "kind", "address", "postcode", "latitude", "longitude", "notes")
    }
    initial["lpa"] = location.lpa_id
    form = LocationForm(request.POST or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.location_update(
                actor=user, location=location, version=form.cleaned_data["version"] or 0, **form.values()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Saved the changes to '{location.name}'.")
            return redirect(location.get_absolute_url())
    context = {"page_title": f"Change {location.name}", "form": form, "location": location, **_picker_context(request)}
    return render(request, "safeguarding/location_form.html", context)


def _link(request: HttpRequest, obj: Location | PeerGroup) -> HttpResponse:
    """Link a case; on a problem, show the page again with the message beside the box."""
    user = require_safeguarding(request)
    form = LinkCaseForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.context_link_case(actor=user, obj=obj, case=form.cleaned_data["case"])
        except ValidationError as error:
            show_errors(form, error, {"cases": "case"})
        else:
            messages.success(request, f"Linked {form.cleaned_data['case'].reference}.")
            return redirect(obj.get_absolute_url())
    if isinstance(obj, Location):
        return _location_page(request, obj, link_form=form)
    return _group_page(request, obj, link_form=form)


def _unlink(request: HttpRequest, obj: Location | PeerGroup, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    services.context_unlink_case(actor=require_safeguarding(request), obj=obj, case=case)
    messages.success(request, f"{case.reference} is no longer linked.")
    return redirect(obj.get_absolute_url())


@require_POST
def location_link(request: HttpRequest, location_id: str) -> HttpResponse:
    return _link(request, get_location_for(request.user, need="edit", pk=location_id))


@require_POST
def location_unlink(request: HttpRequest, location_id: str, case_id: int) -> HttpResponse:
    return _unlink(request, get_location_for(request.user, need="edit", pk=location_id), case_id)


# --- Peer groups ----------------------------------------------------------------------------------


@require_GET
def peer_group_list(request: HttpRequest) -> HttpResponse:
    user = require_safeguarding(request)
    groups = PeerGroup.objects.visible_to(user).select_related("lpa", "owner")
    context = {
        "page_title": "Peer groups",
        "subnav": subnav(request, "peer_groups"),
        "page_obj": paginate(request, groups),
        "query_without_page": "",
    }
    return render(request, "safeguarding/peer_group_list.html", context)


@require_http_methods(["GET", "POST"])
def peer_group_new(request: HttpRequest) -> HttpResponse:
    user = require_safeguarding(request)
    form = PeerGroupForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.peer_group_create(actor=user, **form.values())
        except ValidationError as error:
            show_errors(form, error, {"cases": "case"})
        else:
            messages.success(request, f"Recorded the peer group '{group.name}'. Add its members next.")
            return redirect(group.get_absolute_url())
    return render(request, "safeguarding/peer_group_form.html", {"page_title": "Record a peer group", "form": form})


def _group_page(
    request: HttpRequest,
    group: PeerGroup,
    *,
    link_form: LinkCaseForm | None = None,
    member_form: MemberForm | None = None,
) -> HttpResponse:
    user = require_safeguarding(request)
    members = group.members.all()
    visible = list(members.filter(pk__in=Person.objects.visible_to(user).values("pk")))
    cases, hidden_cases = _linked_cases(request, group)
    context = {
        "page_title": group.name,
        "group": group,
        "members": visible,
        "hidden_members": members.count() - len(visible),
        "cases": cases,
        "hidden_cases": hidden_cases,
        "can_edit": _editable(request, group),
        "member_form": member_form or MemberForm(user=user),
        "link_form": link_form or LinkCaseForm(user=user),
    }
    return render(request, "safeguarding/peer_group_detail.html", context)


@require_GET
def peer_group_detail(request: HttpRequest, group_id: str) -> HttpResponse:
    return _group_page(request, get_peer_group_for(request.user, pk=group_id))


@require_http_methods(["GET", "POST"])
def peer_group_edit(request: HttpRequest, group_id: str) -> HttpResponse:
    group = get_peer_group_for(request.user, need="edit", pk=group_id)
    user = require_safeguarding(request)
    initial = {"version": group.version, "name": group.name, "lpa": group.lpa_id, "notes": group.notes}
    form = PeerGroupForm(request.POST or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_group_update(
                actor=user, group=group, version=form.cleaned_data["version"] or 0, **form.values()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Saved the changes to '{group.name}'.")
            return redirect(group.get_absolute_url())
    context = {"page_title": f"Change {group.name}", "form": form, "group": group}
    return render(request, "safeguarding/peer_group_form.html", context)


@require_POST
def peer_group_add_member(request: HttpRequest, group_id: str) -> HttpResponse:
    group = get_peer_group_for(request.user, need="edit", pk=group_id)
    user = require_safeguarding(request)
    form = MemberForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.peer_group_add_member(actor=user, group=group, person=form.cleaned_data["person"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Added {form.cleaned_data['person'].display_name} to the group.")
            return redirect(group.get_absolute_url())
    return _group_page(request, group, member_form=form)


@require_POST
def peer_group_remove_member(request: HttpRequest, group_id: str, person_id: int) -> HttpResponse:
    group = get_peer_group_for(request.user, need="edit", pk=group_id)
    person = get_object_or_404(
        group.members.filter(pk__in=Person.objects.visible_to(request.user).values("pk")), pk=person_id
    )
    services.peer_group_remove_member(actor=require_safeguarding(request), group=group, person=person)
    messages.success(request, f"Removed {person.display_name} from the group.")
    return redirect(group.get_absolute_url())


@require_POST
def peer_group_link(request: HttpRequest, group_id: str) -> HttpResponse:
    return _link(request, get_peer_group_for(request.user, need="edit", pk=group_id))


@require_POST
def peer_group_unlink(request: HttpRequest, group_id: str, case_id: int) -> HttpResponse:
    return _unlink(request, get_peer_group_for(request.user, need="edit", pk=group_id), case_id)
