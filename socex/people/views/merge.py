"""Merging two records of one person, and undoing a merge (``person.merge`` only).

The preview shows both records side by side and the survivor as it will be under the
survivorship rules (``services.survivorship``), so the officer sees exactly what the merge does
before giving a reason and confirming it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from socex.core.forms import add_service_errors
from socex.core.templatetags.socex import uk_date
from socex.people import services
from socex.people.access import can_merge, get_person_for
from socex.people.forms import ReasonForm
from socex.people.links import linked_fields
from socex.people.models import DobPrecision, Ethnicity, Gender, Merge, Person

if TYPE_CHECKING:
    from socex.accounts.models import User

_REFERENCE = re.compile(r"^\s*(?:P-?)?0*(\d+)\s*$", re.IGNORECASE)

COMPARED_FIELDS = [
    ("given_name", "First name"),
    ("middle_names", "Middle names"),
    ("family_name", "Last name"),
    ("preferred_name", "Preferred name"),
    ("date_of_birth", "Date of birth"),
    ("gender", "Gender"),
    ("ethnicity", "Ethnic group"),
    ("nationality", "Nationality"),
    ("notes", "Notes"),
]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_merge(request: HttpRequest) -> None:
    if not can_merge(request.user):
        raise PermissionDenied("Your roles do not include merging people.")


def person_id_from(raw: str | None) -> int:
    """A person's id from ``123`` or their reference ``P-0000123``; 404 for anything else."""
    match = _REFERENCE.match(raw or "")
    if not match:
        raise Http404
    return int(match.group(1))


def shown_value(state: dict[str, Any], name: str) -> str:
    """A field of ``services.person_state`` as the page shows it."""
    value = state.get(name) or ""
    if name == "date_of_birth" and value:
        day = dt.date.fromisoformat(value)
        precision = state.get("dob_precision")
        return f"about {day.year}" if precision in (DobPrecision.YEAR, DobPrecision.AGE) else uk_date(day)
    if name == "gender":
        label = str(Gender(value).label) if value in Gender.values else value
        return f"{label} ({state['gender_self_described']})" if state.get("gender_self_described") else label
    if name == "ethnicity":
        label = str(Ethnicity(value).label) if value in Ethnicity.values else value
        own = state.get("ethnicity_self_described")
        return f"{label} ({own})" if own else label
    return str(value)


def comparison_rows(survivor: Person, merged: Person) -> list[dict[str, str]]:
    """One row per field: the survivor's value, the merged record's, and the value after the merge."""
    before, other = services.person_state(survivor), services.person_state(merged)
    after = services.survivorship(survivor, merged)
    rows = []
    for name, label in COMPARED_FIELDS:
        row = {
            "label": label,
            "survivor": shown_value(before, name),
            "merged": shown_value(other, name),
            "result": shown_value(after, name),
        }
        row["changes"] = "yes" if row["result"] != row["survivor"] else ""
        rows.append(row)
    return rows


# How the merge preview names each kind of detail that moves: (one, many).
PART_WORDS = {
    "alias": ("name they are known by", "names they are known by"),
    "identifier": ("identifier", "identifiers"),
    "address": ("address", "addresses"),
    "phone": ("phone number", "phone numbers"),
    "email": ("email address", "email addresses"),
    "marker": ("warning marker", "warning markers"),
    "holding": ("agency holding a record", "agencies holding a record"),
}


def moving_details(merged: Person) -> list[str]:
    """What moves to the survivor, in words: "2 addresses", "1 phone number"..."""
    counts = [
        (model._default_manager.filter(person=merged).count(), *PART_WORDS[kind])
        for kind, model in services.PART_MODELS.items()
    ]
    for model, field in linked_fields():
        count = model._default_manager.filter(**{field: merged}).count()
        counts.append((count, f"linked {model._meta.verbose_name}", f"linked {model._meta.verbose_name_plural}"))
    return [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]


@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest) -> HttpResponse:
    _require_merge(request)
    survivor = get_person_for(request.user, person_id_from(request.GET.get("survivor")))
    merged = get_person_for(request.user, person_id_from(request.GET.get("merged")))
    problem = services.merge_problem(survivor, merged)
    form = ReasonForm(
        request.POST or None,
        label="Why are these the same person?",
        hint="For example: same NHS number and date of birth; the school confirmed the change of surname",
        required_message="Enter why these records are the same person",
    )
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            services.merge_people(
                actor=_user(request), survivor=survivor, merged=merged, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, f"Merged {merged.reference} into {survivor.reference}.")
            return redirect("people:person", survivor.pk)
    context = {
        "page_title": f"Merge {merged.reference} into {survivor.reference}",
        "survivor": survivor,
        "merged": merged,
        "problem": problem,
        "rows": comparison_rows(survivor, merged) if problem is None else [],
        "moving": moving_details(merged) if problem is None else [],
        "form": form,
        "swap_url": f"{reverse('people:merge')}?survivor={merged.pk}&merged={survivor.pk}",
    }
    return render(request, "people/merge.html", context)


@require_http_methods(["GET", "POST"])
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    _require_merge(request)
    merge = Merge.objects.select_related("merged_by", "undone_by").filter(pk=merge_id).first()
    if merge is None:
        raise Http404
    survivor = get_person_for(request.user, merge.survivor_id)
    merged = get_person_for(request.user, merge.merged_id)
    form = ReasonForm(
        request.POST or None,
        label="Why was the merge wrong?",
        hint="For example: different dates of birth confirmed by the school; twins",
        required_message="Enter why the merge was wrong",
    )
    if request.method == "POST" and not merge.is_undone and form.is_valid():
        try:
            services.unmerge(actor=_user(request), merge=merge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, f"Undid the merge: {merged.reference} is a separate record again.")
            return redirect("people:person", merged.pk)
    context = {
        "page_title": f"Undo the merge of {merged.reference} into {survivor.reference}",
        "merge": merge,
        "survivor": survivor,
        "merged": merged,
        "form": form,
    }
    return render(request, "people/unmerge.html", context)


urlpatterns = [
    path("merge/", person_merge, name="merge"),
    path("merges/<int:merge_id>/undo/", merge_undo, name="unmerge"),
]
