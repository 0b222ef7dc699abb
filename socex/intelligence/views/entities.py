"""Entities on a report (confirming suggestions, adding by hand, people from the index, links),
the entity page, and county line and group pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.audit.services import record_search
from socex.core.forms import add_service_errors
from socex.intelligence import services
from socex.intelligence.access import can_add_mentions, can_read_intel, get_entity_for, get_group_for
from socex.intelligence.forms import ConfirmEntitiesForm, EntityAddForm, GroupEditForm, GroupForm, LinkForm
from socex.intelligence.models import EntityKind, Group, Link, Mention, Report
from socex.intelligence.suggest import suggest_entities
from socex.intelligence.views.common import report_for, report_url, user_of
from socex.people.access import RECORD_TYPE as PERSON_RECORD_TYPE
from socex.people.access import can_use_index
from socex.people.forms import PersonSearchForm
from socex.people.matching import match_person
from socex.people.models import Person

PERSON_CANDIDATES = 10


def _report_to_annotate(request: HttpRequest, reference: str) -> Report:
    report = report_for(request, reference)
    if not can_add_mentions(request.user, report):
        raise PermissionDenied("You may not add entities to this report.")
    return report


@require_http_methods(["GET", "POST"])
def entities_confirm(request: HttpRequest, reference: str) -> HttpResponse:
    """The suggestions from the text, for the officer to tick; only what is ticked is kept."""
    report = _report_to_annotate(request, reference)
    user = user_of(request)
    kept = set(Mention.objects.filter(report=report).values_list("entity__kind", "entity__key"))
    suggestions = [s for s in suggest_entities(report.text, user) if (s.kind, s.key) not in kept]
    form = ConfirmEntitiesForm(request.POST or None, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.mentions_confirm(actor=user, report=report, tokens=form.cleaned_data["entities"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{len(made)} entit{'y' if len(made) == 1 else 'ies'} kept for {report.reference}."
            )
            return redirect(f"{report_url(report)}#entities")
    context = {
        "page_title": f"Confirm the entities in {report.reference}",
        "form": form,
        "report": report,
        "suggestions": suggestions,
        "add_form": EntityAddForm(),
        "can_find_people": can_use_index(user),
    }
    return render(request, "intelligence/entities_confirm.html", context)


@require_POST
def entity_add(request: HttpRequest, reference: str) -> HttpResponse:
    """An entity the suggestions missed, typed by hand."""
    report = _report_to_annotate(request, reference)
    user = user_of(request)
    form = EntityAddForm(request.POST)
    if form.is_valid():
        try:
            entity = services.entity_get_or_create(actor=user, **form.cleaned_data)
            services.mention_add(actor=user, report=report, entity=entity, text=form.cleaned_data["value"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{entity.get_kind_display()} {entity.label} added to {report.reference}.")
            return redirect(f"{report_url(report)}#entities")
    kept = set(Mention.objects.filter(report=report).values_list("entity__kind", "entity__key"))
    suggestions = [s for s in suggest_entities(report.text, user) if (s.kind, s.key) not in kept]
    context = {
        "page_title": f"Confirm the entities in {report.reference}",
        "form": ConfirmEntitiesForm(suggestions=suggestions),
        "report": report,
        "suggestions": suggestions,
        "add_form": form,
        "can_find_people": can_use_index(user),
    }
    return render(request, "intelligence/entities_confirm.html", context, status=400)


@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Find a person in the index (live matching, with reasons) and add them to the report."""
    report = _report_to_annotate(request, reference)
    user = user_of(request)
    if not can_use_index(user):
        raise PermissionDenied("Your roles do not include the person index.")
    if request.method == "POST":
        raw = request.POST.get("person", "")
        person = Person.objects.visible_to(user).current().filter(pk=raw).first() if raw.isdigit() else None
        if person is None:
            raise Http404
        entity = services.person_entity(actor=user, person=person)
        services.mention_add(actor=user, report=report, entity=entity, text=person.display_name)
        messages.success(request, f"{person.display_name} ({person.reference}) added to {report.reference}.")
        return redirect(f"{report_url(report)}#entities")
    form = PersonSearchForm(request.GET or None)
    candidates = None
    if form.has_terms() and form.is_valid() and not form.details().is_empty():
        candidates = match_person(form.details(), user=user, limit=PERSON_CANDIDATES)
        record_search(record_type=PERSON_RECORD_TYPE, terms=form.terms(), results=len(candidates))
    context = {
        "page_title": f"Add a person to {report.reference}",
        "form": form,
        "report": report,
        "candidates": candidates,
    }
    return render(request, "intelligence/person_add.html", context)


@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, reference: str) -> HttpResponse:
    report = _report_to_annotate(request, reference)
    if not can_read_intel(request.user):
        raise PermissionDenied("You need intel.view to add links.")
    user = user_of(request)
    form = LinkForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.link_create(actor=user, report=report, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Link added: {link}.")
            return redirect(f"{report_url(report)}#links")
    context = {"page_title": f"Add a link from {report.reference}", "form": form, "report": report}
    return render(request, "intelligence/link_form.html", context)


# --- Entities ------------------------------------------------------------------------------------


@require_GET
def entity_detail(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = get_entity_for(request.user, entity_id)
    visible = Report.objects.visible_to(request.user)
    mentions = (
        Mention.objects.filter(entity=entity, report__in=visible)
        .select_related("report", "report__lpa")
        .order_by("-report__obtained_on")[:200]
    )
    links = (
        Link.objects.visible_to(request.user)
        .filter(Q(source=entity) | Q(target=entity))
        .select_related("source", "target", "report")
        .order_by("-valid_from", "-id")[:200]
    )
    context = {
        "page_title": f"{entity.get_kind_display()}: {entity.label}",
        "entity": entity,
        "mentions": mentions,
        "links": links,
        "search_url": f"{reverse('intelligence:list')}?entity={entity.pk}",
        "network_url": _network_url(entity.pk),
    }
    return render(request, "intelligence/entity_detail.html", context)


def _network_url(entity_id: int) -> str:
    """The network view of this entity, once the network pages are there."""
    from django.urls import NoReverseMatch

    for name in ("network:view", "network:index", "network:entity"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        return f"{url}?entity={entity_id}"
    return ""


# --- Groups and county lines ---------------------------------------------------------------------


def _require_reader(request: HttpRequest) -> None:
    if not can_read_intel(request.user):
        raise PermissionDenied("You need intel.view to see lines and groups.")


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    groups = Group.objects.visible_to(request.user).prefetch_related("areas_supplied")
    context = {
        "page_title": "County lines and groups",
        "groups": groups,
        "can_create": request.user.has_cap("intel.create"),  # type: ignore[union-attr]
    }
    return render(request, "intelligence/group_list.html", context)


@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    if not request.user.has_cap("intel.create"):  # type: ignore[union-attr]
        raise PermissionDenied("You need intel.create to add lines and groups.")
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(actor=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{group.get_kind_display()} '{group.name}' added.")
            return redirect("intelligence:group", group.pk)
    return render(request, "intelligence/group_form.html", {"page_title": "Add a county line or group", "form": form})


@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_group_for(request.user, group_id, need="edit")
    initial = {
        "deal_line": group.deal_line,
        "areas_supplied": list(group.areas_supplied.all()),
        "area_notes": group.area_notes,
    }
    form = GroupEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(actor=user_of(request), group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved the changes to {group.name}.")
            return redirect("intelligence:group", group.pk)
    context = {"page_title": f"Change {group.name}", "form": form, "group": group}
    return render(request, "intelligence/group_form.html", context)


@require_GET
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_group_for(request.user, group_id)
    node = group.entities.filter(kind=EntityKind.GROUP).first()
    links = (
        Link.objects.visible_to(request.user)
        .filter(Q(source=node) | Q(target=node))
        .select_related("source", "target", "report")
        .order_by("-valid_from", "-id")[:200]
        if node
        else []
    )
    context = {
        "page_title": group.name,
        "group": group,
        "node": node,
        "links": links,
        "areas": group.areas_supplied.all(),
        "search_url": f"{reverse('intelligence:list')}?group={group.pk}",
        "can_edit": Group.objects.editable_by(request.user).filter(pk=group.pk).exists(),
    }
    return render(request, "intelligence/group_detail.html", context)


urlpatterns = [
    path("reports/<str:reference>/entities/", entities_confirm, name="entities"),
    path("reports/<str:reference>/entities/add/", entity_add, name="entity_add"),
    path("reports/<str:reference>/people/", person_add, name="person_add"),
    path("reports/<str:reference>/links/new/", link_add, name="link_add"),
    path("entities/<int:entity_id>/", entity_detail, name="entity"),
    path("groups/", group_list, name="groups"),
    path("groups/new/", group_create, name="group_create"),
    path("groups/<int:group_id>/", group_detail, name="group"),
    path("groups/<int:group_id>/edit/", group_edit, name="group_edit"),
]
