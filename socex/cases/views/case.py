"""The case list and the case page, and the pages that change a case.

Every page starts from ``socex.cases.access``: a case the user may not see is a 404 (and each
read of one is audited there), one they may see but not change is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.audit.listing import audited_filtered_page
from socex.cases import conf, services
from socex.cases.access import RECORD_TYPE, can_approve_closure, get_case_for, sees_all_cases
from socex.cases.forms import (
    CaseEditForm,
    CaseFilterForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    FlagForm,
    RiskReviewForm,
    SubjectAddForm,
)
from socex.cases.models import Case, ClosureDecision
from socex.cases.pages import case_page_context
from socex.cases.views.common import case_url, require_cases, user_of
from socex.core.forms import add_service_errors
from socex.core.templatetags.socex import uk_date


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    require_cases(request)
    form = CaseFilterForm(request.GET or None, user=user_of(request))
    cases = (
        Case.objects.visible_to(request.user)
        .select_related("lpa", "lead_agency", "keyworker")
        .prefetch_related("case_subjects__person")
        .order_by("-opened_at", "-id")
    )
    context = {
        "page_title": "Cases",
        **audited_filtered_page(request, form, cases, record_type=RECORD_TYPE),
        "sees_all": sees_all_cases(request.user),
    }
    return render(request, "cases/case_list.html", context)


@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    return render(request, "cases/case_detail.html", case_page_context(user_of(request), case))


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, need="edit")
    form = CaseEditForm(request.POST or None, initial=CaseEditForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                actor=user_of(request),
                case=case,
                expected_version=data["version"],
                summary=data["summary"],
                keyworker=data["keyworker"],
                lead_agency=data["lead_agency"],
                lpa=data["lpa"],
                exploitation_types=data["exploitation_types"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"version": None})
        else:
            messages.success(request, f"Saved the changes to {case.reference}.")
            return redirect(case_url(case))
    context = {"page_title": f"Change {case.reference}", "case": case, "form": form}
    return render(request, "cases/case_form.html", context)


@require_http_methods(["GET", "POST"])
def subject_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, need="edit")
    form = SubjectAddForm(request.POST or None, user=user_of(request))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.case_add_subjects(actor=user_of(request), case=case, people=[person])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Added {person.display_name} ({person.reference}) to {case.reference}.")
            return redirect(case_url(case, "subjects"))
    context = {"page_title": "Add a subject", "case": case, "form": form, "button": "Add subject"}
    return render(request, "cases/simple_form.html", context)


@require_http_methods(["GET", "POST"])
def risk_review_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, need="edit")
    form = RiskReviewForm(request.POST or None, initial={"level": case.risk_level})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.risk_review_add(actor=user_of(request), case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Risk review recorded: {review.get_level_display()}. "
                f"The next review is due by {uk_date(review.next_review_due)}.",
            )
            return redirect(case_url(case, "risk"))
    context = {"page_title": "Record a risk review", "case": case, "form": form, "button": "Save risk review"}
    return render(request, "cases/simple_form.html", context)


@require_http_methods(["GET", "POST"])
def flag_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, need="edit")
    form = FlagForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_flag(actor=user_of(request), case=case, on=True, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Flag added: {conf.flag_labels()[form.cleaned_data['flag']]}.")
            return redirect(case_url(case, "flags"))
    context = {"page_title": "Add a flag", "case": case, "form": form, "button": "Add flag"}
    return render(request, "cases/simple_form.html", context)


@require_POST
def flag_remove(request: HttpRequest, case_id: int, flag: str) -> HttpResponse:
    case = get_case_for(request.user, case_id, need="edit")
    try:
        services.case_flag(actor=user_of(request), case=case, flag=flag, on=False)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Flag removed: {conf.flag_labels().get(flag, flag)}.")
    return redirect(case_url(case, "flags"))


@require_http_methods(["GET", "POST"])
def closure_request(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, need="edit")
    form = ClosureRequestForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_closure_request(
                actor=user_of(request),
                case=case,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"version": None})
        else:
            messages.success(request, f"Closure requested: a supervisor will approve or reject it ({case.reference}).")
            return redirect(case_url(case, "closure"))
    context = {"page_title": "Ask to close the case", "case": case, "form": form, "button": "Ask a supervisor"}
    return render(request, "cases/simple_form.html", context)


@require_http_methods(["GET", "POST"])
def closure_decide(request: HttpRequest, case_id: int, closure_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    if not can_approve_closure(request.user):
        raise PermissionDenied("Only supervisors (case.approve_closure) can decide whether a case closes.")
    closure = case.closure_requests.select_related("requested_by").filter(pk=closure_id).first()
    if closure is None:
        raise Http404
    form = ClosureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        decide = services.case_closure_approve if approve else services.case_closure_reject
        try:
            decide(actor=user_of(request), closure=closure, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{case.reference} closed." if approve else f"{case.reference} stays open.")
            return redirect(case_url(case, "closure"))
    context = {
        "page_title": "Decide on closing the case",
        "case": case,
        "form": form,
        "closure": closure,
        "pending": closure.decision == ClosureDecision.PENDING,
    }
    return render(request, "cases/closure_decide.html", context)


@require_http_methods(["GET", "POST"])
def case_share(request: HttpRequest, case_id: int) -> HttpResponse:
    from socex.sharing.views import share_record_view

    case = get_case_for(request.user, case_id, need="edit")
    return share_record_view(request, case, back_url=case_url(case, "agencies"))


urlpatterns = [
    path("", case_list, name="list"),
    path("<int:case_id>/", case_detail, name="detail"),
    path("<int:case_id>/edit/", case_edit, name="edit"),
    path("<int:case_id>/share/", case_share, name="share"),
    path("<int:case_id>/subjects/add/", subject_add, name="subject_add"),
    path("<int:case_id>/risk-reviews/add/", risk_review_add, name="risk_review_add"),
    path("<int:case_id>/flags/add/", flag_add, name="flag_add"),
    path("<int:case_id>/flags/<slug:flag>/remove/", flag_remove, name="flag_remove"),
    path("<int:case_id>/closure/", closure_request, name="closure_request"),
    path("<int:case_id>/closure/<int:closure_id>/decide/", closure_decide, name="closure_decide"),
]
