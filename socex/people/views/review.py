"""The duplicate review pages (``person.merge`` only): the queue, one pair side by side with the
decision form, and the duplicate checks that filled the queue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.audit.listing import audited_filtered_page
from socex.core.forms import add_service_errors
from socex.core.listing import paginate
from socex.people import review
from socex.people.access import get_person_for
from socex.people.models import CandidatePair, Decision, DedupeRun
from socex.people.review_forms import DecisionForm, QueueFilterForm
from socex.people.tasks import dedupe_start, run_in_progress

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.people.models import Person

PAIR_TYPE = "people.candidatepair"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    decision = form.decision_wanted()
    pairs = review.pairs_for_review(request.user, decision=decision)
    context = {
        "page_title": "Possible duplicates",
        **audited_filtered_page(request, form, pairs, record_type=PAIR_TYPE),
        "decision": decision,
        "pending_count": review.pending_count(),
        "last_run": DedupeRun.objects.first(),
    }
    return render(request, "people/review_queue.html", context)


def merge_url(survivor: Person, merged: Person) -> str:
    """The merge page for the pair, with ``survivor`` kept."""
    return f"{reverse('people:merge')}?survivor={survivor.pk}&merged={merged.pk}"


@require_http_methods(["GET", "POST"])
def review_pair(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = review.get_pair_for(request.user, pair_id)
    person_a = get_person_for(request.user, pair.person_a_id, justification="Reviewing a possible duplicate")
    person_b = get_person_for(request.user, pair.person_b_id, justification="Reviewing a possible duplicate")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pair = review.pair_decide(actor=_user(request), pair=pair, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            return _after_decision(request, pair)
    context = {
        "page_title": f"Possible duplicate: {person_a.reference} and {person_b.reference}",
        "pair": pair,
        "person_a": person_a,
        "person_b": person_b,
        "rows": review.compare(person_a, person_b),
        "form": form,
        "merge_url": merge_url(person_a, person_b),
        "either_merged": person_a.is_merged or person_b.is_merged,
    }
    return render(request, "people/review_pair.html", context)


def _after_decision(request: HttpRequest, pair: CandidatePair) -> HttpResponse:
    label = Decision(pair.decision).label.lower()
    if pair.decision == Decision.SAME:
        messages.success(request, f"Recorded: {label}. Merge the two records when you are ready.")
        return redirect("people:review_pair", pair.pk)
    messages.success(request, f"Recorded: {label} ({pair.person_a.reference} and {pair.person_b.reference}).")
    following = review.next_pending(pair)
    return redirect("people:review_pair", following.pk) if following else redirect("people:review_queue")


@require_GET
def dedupe_runs(request: HttpRequest) -> HttpResponse:
    review.require_reviewer(request.user)
    context = {
        "page_title": "Duplicate checks",
        "page_obj": paginate(request, DedupeRun.objects.select_related("requested_by")),
        "query_without_page": "",
        "in_progress": run_in_progress(),
    }
    return render(request, "people/dedupe_runs.html", context)


@require_POST
def dedupe_start_view(request: HttpRequest) -> HttpResponse:
    review.require_reviewer(request.user)
    try:
        run = dedupe_start(actor=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Duplicate check asked for at {timezone.localtime(run.requested_at):%H:%M}. It runs in the background.",
        )
    return redirect("people:dedupe_runs")


urlpatterns = [
    path("duplicates/", review_queue, name="review_queue"),
    path("duplicates/<int:pair_id>/", review_pair, name="review_pair"),
    path("duplicates/checks/", dedupe_runs, name="dedupe_runs"),
    path("duplicates/checks/start/", dedupe_start_view, name="dedupe_start"),
]
