"""The work tray, the list of referrals and reports, starting a referral (from a case or on its own),
a referral's page, changing it, submitting it, its age assessment and its support referrals; and
the Duty to Notify report's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from socex.audit.listing import audited_filtered_page
from socex.core.forms import add_service_errors
from socex.nrm import rules, services
from socex.nrm.access import REFERRAL_RECORD, get_dtn_for, get_referral_for
from socex.nrm.clocks import clock_for, with_decisions, work_tray
from socex.nrm.forms import (
    AgeAssessmentForm,
    DtnSubmitForm,
    EditForm,
    ReferralFilterForm,
    StartForm,
    SubmitForm,
    SupportForm,
    SupportUpdateForm,
)
from socex.nrm.models import AgeGroup, DutyToNotify, NrmReferral, ReconsiderationOutcome, SupportReferral
from socex.nrm.services.first_responders import first_responder_for
from socex.nrm.views.common import can_edit, require_nrm, user_of

# Where a service's error about a field belongs on the start form.
START_FIELDS = {"person": "person", "referred_on": "referred_on", "submitted_on": None}


def referral_url(referral: NrmReferral) -> str:
    return reverse("nrm:referral", args=[referral.pk])


@require_GET
def tray(request: HttpRequest) -> HttpResponse:
    require_nrm(request)
    context = {
        "page_title": "NRM work tray",
        "tray": work_tray(request.user),
        "target": rules.rg_target_working_days(),
        "holidays_label": rules.bank_holidays_label(),
    }
    return render(request, "nrm/tray.html", context)


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    require_nrm(request)
    form = ReferralFilterForm(request.GET or None)
    referrals = NrmReferral.objects.visible_to(request.user).select_related("person", "lpa").order_by("-referred_on")
    context = audited_filtered_page(request, form, referrals, record_type=REFERRAL_RECORD)
    context.update(
        page_title="NRM referrals",
        dtn_reports=DutyToNotify.objects.visible_to(request.user).select_related("lpa")[:50],
    )
    return render(request, "nrm/referral_list.html", context)


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest) -> HttpResponse:
    require_nrm(request)
    user = user_of(request)
    case, subjects = None, None
    if request.GET.get("case"):
        from socex.cases.access import get_case_for

        case = get_case_for(user, pk=request.GET["case"])
        from socex.people.models import Person

        subjects = list(
            Person.objects.visible_to(user).filter(case_subjects__case=case).order_by("family_name", "given_name")
        )
    initial: dict[str, Any] = {"lpa": case.lpa_id if case else None}
    if case is not None:
        initial["exploitation_types"] = rules.types_from_case(list(case.exploitation_types))
        initial["county_lines"] = "county_lines" in case.exploitation_types
    form = StartForm(request.POST or None, user=user, subjects=subjects, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.nrm_start(
                actor=user,
                person=form.chosen_person(),
                under_18=form.cleaned_data["under_18"],
                facts=form.facts(),
                consent=form.cleaned_data["consent"],
                consent_on=form.cleaned_data["consent_on"],
                refusal_reason=form.cleaned_data["refusal_reason"],
                case=case,
                indicators=form.cleaned_data["indicators"],
                referred_on=form.cleaned_data["referred_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error, START_FIELDS)
        else:
            if isinstance(record, DutyToNotify):
                messages.success(
                    request, f"The adult did not consent: Duty to Notify report {record.reference} was made instead."
                )
                return redirect("nrm:dtn", record.pk)
            messages.success(request, f"Started NRM referral {record.reference}.")
            return redirect(referral_url(record))
    context = {
        "page_title": "Start an NRM referral",
        "form": form,
        "case": case,
        "first_responder": first_responder_for(user.organisation),
    }
    return render(request, "nrm/referral_form.html", context)


@require_GET
def referral_detail(request: HttpRequest, pk: str) -> HttpResponse:
    referral = get_referral_for(request.user, pk=pk)
    referral = with_decisions(NrmReferral.objects.filter(pk=referral.pk)).get()
    clock = clock_for(referral)
    context = {
        "page_title": f"NRM referral {referral.reference}",
        "referral": referral,
        "clock": clock,
        "can_edit": can_edit(request, referral),
        "types": [rules.exploitation_type_label(code) for code in referral.exploitation_types],
        "fro_type": rules.first_responder_type_label(referral.first_responder_type),
        "support": list(referral.support_referrals.all()),
        "reconsiderations": {d.pk: list(d.reconsiderations.all()) for d in clock.decisions},
        "pending": ReconsiderationOutcome.PENDING,
        "may_be_child": referral.age_group != AgeGroup.ADULT,
        "age_unknown": referral.age_group == AgeGroup.UNKNOWN,
        "target": rules.rg_target_working_days(),
    }
    return render(request, "nrm/referral_detail.html", context)


@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, pk: str) -> HttpResponse:
    referral = get_referral_for(request.user, need="edit", pk=pk)
    form = EditForm(request.POST or None, initial=EditForm.initial_for(referral))
    if request.method == "POST" and form.is_valid():
        try:
            services.nrm_referral_update(actor=user_of(request), referral=referral, changes=form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved the changes to {referral.reference}.")
            return redirect(referral_url(referral))
    context = {"page_title": f"Change {referral.reference}", "form": form, "referral": referral}
    return render(request, "nrm/referral_edit.html", context)


@require_http_methods(["GET", "POST"])
def referral_submit(request: HttpRequest, pk: str) -> HttpResponse:
    referral = get_referral_for(request.user, need="edit", pk=pk)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nrm_referral_submit(actor=user_of(request), referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Recorded that {referral.reference} was submitted to the Home Office.")
            return redirect(referral_url(referral))
    context = {"page_title": f"Record the submission of {referral.reference}", "form": form, "referral": referral}
    return render(request, "nrm/simple_form.html", context | _form_text("submit"))


@require_http_methods(["GET", "POST"])
def age_assessment(request: HttpRequest, pk: str) -> HttpResponse:
    referral = get_referral_for(request.user, need="edit", pk=pk)
    form = AgeAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.nrm_age_assessment_record(actor=user_of(request), referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if isinstance(result, DutyToNotify):
                messages.success(
                    request,
                    f"Assessed as an adult who does not consent: {referral.reference} was replaced by Duty to Notify "
                    f"report {result.reference}, which holds no identifying details.",
                )
                return redirect("nrm:dtn", result.pk)
            messages.success(request, f"Recorded the age assessment for {referral.reference}.")
            return redirect(referral_url(referral))
    context = {"page_title": f"Record an age assessment: {referral.reference}", "form": form, "referral": referral}
    return render(request, "nrm/simple_form.html", context | _form_text("age"))


@require_http_methods(["GET", "POST"])
def support_add(request: HttpRequest, pk: str) -> HttpResponse:
    referral = get_referral_for(request.user, need="edit", pk=pk)
    form = SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_referral_add(actor=user_of(request), referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Recorded the support referral.")
            return redirect(referral_url(referral))
    context = {"page_title": f"Add a support referral: {referral.reference}", "form": form, "referral": referral}
    return render(request, "nrm/simple_form.html", context | _form_text("support"))


@require_http_methods(["GET", "POST"])
def support_update(request: HttpRequest, pk: int) -> HttpResponse:
    support = get_object_or_404(SupportReferral.objects.select_related("referral"), pk=pk)
    referral = get_referral_for(request.user, need="edit", pk=support.referral_id)
    form = SupportUpdateForm(request.POST or None, initial={"status": support.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.support_referral_update(actor=user_of(request), support=support, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Updated the support referral.")
            return redirect(referral_url(referral))
    context = {
        "page_title": f"Update the support referral to {support.provider_label}",
        "form": form,
        "referral": referral,
    }
    return render(request, "nrm/simple_form.html", context | _form_text("support_update"))


@require_GET
def dtn_detail(request: HttpRequest, pk: str) -> HttpResponse:
    report = get_dtn_for(request.user, pk=pk)
    context = {
        "page_title": f"Duty to Notify report {report.reference}",
        "report": report,
        "can_edit": can_edit(request, report),
        "types": [rules.exploitation_type_label(code) for code in report.exploitation_types],
        "fro_type": rules.first_responder_type_label(report.first_responder_type),
    }
    return render(request, "nrm/dtn_detail.html", context)


@require_http_methods(["GET", "POST"])
def dtn_submit(request: HttpRequest, pk: str) -> HttpResponse:
    report = get_dtn_for(request.user, need="edit", pk=pk)
    form = DtnSubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dtn_submit(actor=user_of(request), report=report, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Recorded that {report.reference} was sent to the Home Office.")
            return redirect("nrm:dtn", report.pk)
    context = {
        "page_title": f"Record sending {report.reference}",
        "form": form,
        "back": reverse("nrm:dtn", args=[report.pk]),
        "caption": report.reference,
        "heading": "Record that the Duty to Notify report was sent",
        "button": "Save",
    }
    return render(request, "nrm/simple_form.html", context)


FORM_TEXT = {
    "submit": ("Record the submission to the Home Office", "Save"),
    "age": ("Record the age assessment", "Save"),
    "support": ("Add a support referral", "Add support referral"),
    "support_update": ("Update the support referral", "Save"),
}


def _form_text(kind: str) -> dict[str, str]:
    heading, button = FORM_TEXT[kind]
    return {"heading": heading, "button": button}


urlpatterns = [
    path("", tray, name="tray"),
    path("referrals/", referral_list, name="list"),
    path("new/", referral_create, name="create"),
    path("referrals/<uuid:pk>/", referral_detail, name="referral"),
    path("referrals/<uuid:pk>/change/", referral_edit, name="edit"),
    path("referrals/<uuid:pk>/submit/", referral_submit, name="submit"),
    path("referrals/<uuid:pk>/age/", age_assessment, name="age"),
    path("referrals/<uuid:pk>/support/new/", support_add, name="support_add"),
    path("support/<int:pk>/", support_update, name="support_update"),
    path("dtn/<uuid:pk>/", dtn_detail, name="dtn"),
    path("dtn/<uuid:pk>/submit/", dtn_submit, name="dtn_submit"),
]
