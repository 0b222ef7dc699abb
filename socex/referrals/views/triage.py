"""The hub's triage queue and the triage decision.

Only users with ``referral.triage`` work the queue (others: 403). A referral the user may not
see is a 404; one they may see but not triage (the referrer's own colleagues) is a 403. The
queue's filters are audited as a search; opening a referral is audited by ``get_referral_for``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from socex.audit.listing import audited_filtered_page
from socex.cases.models import Case
from socex.core.forms import add_service_errors
from socex.referrals import conf, services
from socex.referrals.access import RECORD_TYPE, get_referral_for
from socex.referrals.forms import QueueFilterForm, TriageForm, case_reference_error
from socex.referrals.models import Referral, ReferralStatus, TriageOutcome
from socex.referrals.triage import duration_text, queue_counts, queue_for, waiting
from socex.referrals.views.common import answers_context, current_user, require_triage

TRIAGE_ERROR_FIELDS = {"case": "case_reference", "version": None, "risk_level": "risk_level"}


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    require_triage(request)
    user = current_user(request)
    form = QueueFilterForm(request.GET or None)
    items = queue_for(user).prefetch_related("subjects__person")
    context = audited_filtered_page(request, form, items, record_type=RECORD_TYPE)
    now = timezone.now()
    context["rows"] = [(referral, waiting(referral, now)) for referral in context["page_obj"].object_list]
    counts = queue_counts(user, now)
    context.update(
        page_title="Triage queue",
        awaiting=counts["awaiting"],
        breaches=counts["breaches"],
        targets=[(level, duration_text(dt.timedelta(hours=hours))) for level, hours in _targets()],
    )
    return render(request, "referrals/queue.html", context)


def _targets() -> list[tuple[str, float]]:
    from socex.cases.vocab import RiskLevel

    hours = conf.triage_target_hours()
    return [(str(RiskLevel(level).label), hours[level]) for level in reversed(RiskLevel.values)]


def _related_cases(request: HttpRequest, referral: Referral) -> list[Case]:
    """Open cases the user can see about any of the referral's subjects: candidates to add it to."""
    people = [pk for pk in referral.subjects.values_list("person_id", flat=True) if pk]
    if not people:
        return []
    cases = Case.objects.visible_to(request.user).open().filter(case_subjects__person_id__in=people)
    return list(cases.distinct().order_by("-opened_at")[:10])


def _decide(request: HttpRequest, referral: Referral, form: TriageForm) -> Referral | None:
    data = form.cleaned_data
    case = None
    if data["outcome"] == TriageOutcome.EXISTING_CASE:
        case = Case.objects.visible_to(request.user).filter(reference=data["case_reference"]).first()
        if case is None:
            add_service_errors(form, case_reference_error(data["case_reference"]))
            return None
    user = current_user(request)
    try:
        return services.referral_triage(
            actor=user,
            referral=referral,
            outcome=data["outcome"],
            reason=data["reason"],
            version=data["version"],
            case=case,
            lead_agency=data["lead_agency"],
            keyworker=user if data["keyworker_me"] else None,
            risk_level=data["risk_level"] or None,
            signposted_to=data["signposted_to"],
        )
    except ValidationError as error:
        add_service_errors(form, error, TRIAGE_ERROR_FIELDS)
        return None


@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = get_referral_for(request.user, pk=referral_id)
    require_triage(request)
    if referral.status == ReferralStatus.DRAFT:  # only its author sees a draft, and it is not sent yet
        return redirect(referral.get_absolute_url())
    if referral.status == ReferralStatus.TRIAGED and request.method == "GET":
        messages.info(request, f"{referral.reference} has already been triaged: a referral is triaged only once.")
        return redirect(referral.get_absolute_url())
    user = current_user(request)
    initial: dict[str, Any] = {
        "risk_level": referral.confirmed_level,
        "lead_agency": user.organisation_id,
        "version": referral.version,
    }
    form = TriageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        decided = _decide(request, referral, form)
        if decided is not None:
            outcome = decided.get_triage_outcome_display().lower()
            where = f" {decided.case.reference}" if decided.case else ""
            messages.success(request, f"{decided.reference} triaged: {outcome}{where}. The referrer has been told.")
            return redirect(decided.get_absolute_url())
    context = {
        **answers_context(referral),
        "page_title": f"Triage {referral.reference}",
        "form": form,
        "related_cases": _related_cases(request, referral),
    }
    return render(request, "referrals/triage.html", context)


urlpatterns = [
    path("queue/", queue, name="queue"),
    path("<uuid:referral_id>/triage/", triage, name="triage"),
]
