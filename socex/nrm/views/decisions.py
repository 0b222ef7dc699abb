"""Recording decisions, requesting reconsideration and recording its outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from socex.core.forms import add_service_errors
from socex.nrm import services
from socex.nrm.access import get_referral_for
from socex.nrm.forms import DecisionForm, ReconsiderationForm, ReconsiderationOutcomeForm
from socex.nrm.models import Decision, Reconsideration
from socex.nrm.views.common import user_of


@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, pk: str) -> HttpResponse:
    referral = get_referral_for(request.user, need="edit", pk=pk)
    form = DecisionForm(request.POST or None, initial={"stage": request.GET.get("stage", "")})
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(actor=user_of(request), referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Recorded the {decision.get_stage_display().lower()} decision on {referral.reference}."
            )
            return redirect("nrm:referral", referral.pk)
    context = {
        "page_title": f"Record a decision: {referral.reference}",
        "form": form,
        "referral": referral,
        "heading": "Record a decision",
        "button": "Record decision",
    }
    return render(request, "nrm/simple_form.html", context)


@require_http_methods(["GET", "POST"])
def reconsideration_add(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision, pk=pk)
    referral = get_referral_for(request.user, need="edit", pk=decision.referral_id)
    form = ReconsiderationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_of(request)
        try:
            services.reconsideration_request(
                actor=user,
                decision=decision,
                requested_by=user.organisation or referral.first_responder,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error, {"decision": None})
        else:
            messages.success(request, "Recorded the request for reconsideration.")
            return redirect("nrm:referral", referral.pk)
    context = {
        "page_title": f"Request reconsideration: {referral.reference}",
        "form": form,
        "referral": referral,
        "heading": f"Request reconsideration of the {decision.get_outcome_display().lower()} "
        f"{decision.get_stage_display().lower()} decision",
        "button": "Record request",
    }
    return render(request, "nrm/simple_form.html", context)


@require_http_methods(["GET", "POST"])
def reconsideration_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    reconsideration = get_object_or_404(Reconsideration.objects.select_related("decision"), pk=pk)
    referral = get_referral_for(request.user, need="edit", pk=reconsideration.decision.referral_id)
    form = ReconsiderationOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reconsideration_decide(
                actor=user_of(request), reconsideration=reconsideration, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error, {"decided_on": "outcome_on", "stage": None, "decision_maker": None})
        else:
            messages.success(request, "Recorded the outcome of the reconsideration.")
            return redirect("nrm:referral", referral.pk)
    context = {
        "page_title": f"Outcome of reconsideration: {referral.reference}",
        "form": form,
        "referral": referral,
        "heading": "Record the outcome of the reconsideration",
        "button": "Save",
        "back": reverse("nrm:referral", args=[referral.pk]),
    }
    return render(request, "nrm/simple_form.html", context)


urlpatterns = [
    path("referrals/<uuid:pk>/decisions/new/", decision_add, name="decision_add"),
    path("decisions/<int:pk>/reconsider/", reconsideration_add, name="reconsider"),
    path("reconsiderations/<int:pk>/outcome/", reconsideration_outcome, name="reconsideration_outcome"),
]
