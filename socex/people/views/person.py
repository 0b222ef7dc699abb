"""Person pages: search with match explanations, the person page, adding and changing people
and their details, live matching while a form is typed, and sharing a person.

Every page starts from ``socex.people.access``: a person the user may not see is a 404, one they
may see but not change a 403, and each read of a person is audited there. Searches and live
matches are audited here with what was typed and how many candidates came back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.audit.services import record_search
from socex.core.forms import add_service_errors
from socex.people import services
from socex.people.access import RECORD_TYPE, can_create, can_use_index, get_person_for, markers_visible_to
from socex.people.forms import PART_FORMS, PersonCreateForm, PersonDetailsForm, PersonSearchForm
from socex.people.matching import match_person
from socex.people.models import Person
from socex.people.pages import person_page_context
from socex.people.views import merge

if TYPE_CHECKING:
    from socex.accounts.models import User

SEARCH_LIMIT = 20
LIVE_MATCH_LIMIT = 5
PART_TITLES = {
    "alias": "Add a name they are known by",
    "identifier": "Add an identifier",
    "address": "Add an address",
    "phone": "Add a phone number",
    "email": "Add an email address",
    "marker": "Add a warning marker",
    "holding": "Add an agency that holds a record",
}
# Where a service's error about a field of the new-person form belongs on that form.
CREATE_ERROR_FIELDS = {
    "aliases": "nickname",
    "nhs": "identifier",
    "pnc": "identifier",
    "upn": "identifier",
    "la": "identifier",
    "passport": "identifier",
    "other": "identifier",
    "dob_precision": "date_of_birth",
    "profile": None,
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_index(request: HttpRequest) -> None:
    if not can_use_index(request.user):
        raise PermissionDenied("Your roles do not include the person index.")


def _person_url(person: Person) -> str:
    return reverse("people:person", args=[person.pk])


# --- Search --------------------------------------------------------------------------------------


@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    _require_index(request)
    form = PersonSearchForm(request.GET or None)
    candidates = None
    if form.has_terms() and form.is_valid() and not form.details().is_empty():
        candidates = match_person(form.details(), user=request.user, limit=SEARCH_LIMIT)
        record_search(record_type=RECORD_TYPE, terms=form.terms(), results=len(candidates))
    context = {
        "page_title": "Find a person",
        "form": form,
        "candidates": candidates,
        "can_create": can_create(request.user),
    }
    return render(request, "people/search.html", context)


@require_POST
def person_match(request: HttpRequest) -> HttpResponse:
    """The "this person may already be known" panel, for htmx while the new-person form is typed."""
    _require_index(request)
    exclude = [int(value) for value in request.POST.getlist("exclude") if value.isdigit()]
    candidates = _live_candidates(request, PersonCreateForm(request.POST), exclude=exclude)
    return render(request, "people/_match_results.html", {"candidates": candidates})


def _live_candidates(request: HttpRequest, form: PersonDetailsForm, *, exclude: list[int]) -> list[Any] | None:
    """Who may already be known, from the valid fields typed so far (None until a name, identifier,
    phone or email is given). The search is audited."""
    details = form.partial_details()
    if not (details.names() or details.identifiers or details.phones or details.emails):
        return None
    candidates = match_person(details, user=request.user, limit=LIVE_MATCH_LIMIT, exclude=exclude)
    record_search(record_type=RECORD_TYPE, terms=_typed_terms(form), results=len(candidates))
    return candidates


_MATCHED_FIELDS = (
    "given_name",
    "middle_names",
    "family_name",
    "preferred_name",
    "nickname",
    "date_of_birth",
    "year_of_birth",
    "age",
    "postcode",
    "phone",
    "email",
    "identifier",
)


def _typed_terms(form: PersonDetailsForm) -> dict[str, str]:
    """What was typed into the fields matching uses, as ``{label: value}``, for the audit log."""
    terms = {}
    for name in _MATCHED_FIELDS:
        value = str(form.data.get(name, "")).strip()
        if name in form.fields and value:
            terms[str(form.fields[name].label)] = value
    return terms


# --- One person ----------------------------------------------------------------------------------


@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id)
    return render(request, "people/person_detail.html", person_page_context(_user(request), person))


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    _require_index(request)
    if not can_create(request.user):
        raise PermissionDenied("You need to belong to an organisation to add people.")
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=_user(request),
                details=form.details(),
                profile=form.profile(),
                holding_reference=form.cleaned_data["holding_reference"],
                addresses=form.addresses(),
            )
        except ValidationError as error:
            add_service_errors(
                form,
                error,
                {**CREATE_ERROR_FIELDS, "date_of_birth": form.dob_field(), "dob_precision": form.dob_field()},
            )
        else:
            messages.success(request, f"Added {person.display_name} ({person.reference}).")
            return redirect(_person_url(person))
    # Shown again with errors: keep showing who may already be known.
    candidates = _live_candidates(request, form, exclude=[]) if request.method == "POST" else None
    context = {"page_title": "Add a person", "form": form, "candidates": candidates}
    return render(request, "people/person_form.html", context)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(request.user, person_id, need="edit")
    if person.is_merged:
        messages.info(request, f"{person.reference} has been merged into another record: change that one instead.")
        return redirect(_person_url(person))
    form = PersonDetailsForm(request.POST or None, initial=PersonDetailsForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=_user(request), person=person, **form.person_fields())
        except ValidationError as error:
            add_service_errors(form, error, {"dob_precision": form.dob_field(), "date_of_birth": form.dob_field()})
        else:
            messages.success(request, f"Saved the changes to {person.display_name} ({person.reference}).")
            return redirect(_person_url(person))
    context = {
        "page_title": f"Change {person.display_name}",
        "form": form,
        "person": person,
        "candidates": None,
    }
    return render(request, "people/person_form.html", context)


# --- A person's details --------------------------------------------------------------------------


def _part_form_class(kind: str) -> type[Any]:
    form_class = PART_FORMS.get(kind)
    if form_class is None:
        raise Http404
    return form_class


@require_http_methods(["GET", "POST"])
def part_add(request: HttpRequest, person_id: int, kind: str) -> HttpResponse:
    form_class = _part_form_class(kind)
    person = get_person_for(request.user, person_id, need="edit")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.part_add(actor=_user(request), person=person, kind=kind, **form.values())
        except ValidationError as error:
            add_service_errors(form, error, {"kind": f"{kind}_kind"})
        else:
            messages.success(request, f"{services.PART_LABELS[kind]} added.")
            return redirect(f"{_person_url(person)}#{kind}")
    context = {"page_title": PART_TITLES[kind], "form": form, "person": person, "kind": kind}
    return render(request, "people/part_form.html", context)


@require_POST
def part_remove(request: HttpRequest, person_id: int, kind: str, part_id: int) -> HttpResponse:
    _part_form_class(kind)
    person = get_person_for(request.user, person_id, need="edit")
    model = services.PART_MODELS[kind]
    parts = (
        markers_visible_to(request.user, person) if kind == "marker" else model._default_manager.filter(person=person)
    )
    part = parts.filter(pk=part_id).first()
    if part is None:
        raise Http404
    try:
        services.part_remove(actor=_user(request), part=part)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{services.PART_LABELS[kind]} removed: {part}.")
    return redirect(f"{_person_url(person)}#{kind}")


@require_http_methods(["GET", "POST"])
def person_share(request: HttpRequest, person_id: int) -> HttpResponse:
    from socex.sharing.views import share_record_view

    person = get_person_for(request.user, person_id, need="edit")
    if person.is_merged:
        raise Http404
    return share_record_view(request, person, back_url=_person_url(person))


urlpatterns = [
    path("", person_search, name="search"),
    path("new/", person_create, name="create"),
    path("match/", person_match, name="match"),
    path("<int:person_id>/", person_detail, name="person"),
    path("<int:person_id>/edit/", person_edit, name="edit"),
    path("<int:person_id>/share/", person_share, name="share"),
    path("<int:person_id>/<slug:kind>/add/", part_add, name="part_add"),
    path("<int:person_id>/<slug:kind>/<int:part_id>/remove/", part_remove, name="part_remove"),
    *merge.urlpatterns,
]
