"""Report pages: search, submit, the report page, and the workflow (evaluate, sanitise, publish,
disseminate). Every page starts from ``socex.intelligence.access``: a report the user may not see
is a 404, one they may see but not change a 403, and each read is audited there."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from socex.audit.listing import selected_filters
from socex.core.forms import add_service_errors
from socex.core.listing import query_without
from socex.core.templatetags.socex import uk_date
from socex.intelligence import conf, services
from socex.intelligence.access import (
    can_add_mentions,
    can_disseminate,
    can_evaluate,
    can_read_intel,
    can_submit,
)
from socex.intelligence.forms import DisseminateForm, EvaluateForm, ReportForm, ReportSearchForm, SanitiseForm
from socex.intelligence.models import HandlingCode, Report, ReportStatus
from socex.intelligence.search import search_reports
from socex.intelligence.views.common import report_for, report_url, require_intelligence, user_of
from socex.sharing.models import LegalBasis
from socex.sharing.services import shares_for

PER_PAGE = 20


@dataclass
class _Paginator:
    num_pages: int
    count: int


@dataclass
class OffsetPage:
    """What ``includes/pagination.html`` reads, for results fetched by offset rather than a Paginator."""

    number: int
    paginator: _Paginator

    def has_other_pages(self) -> bool:
        return self.paginator.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.paginator.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() and len(raw) < 7 else 1


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    require_intelligence(request)
    user = user_of(request)
    form = ReportSearchForm(request.GET or None, user=user)
    results = None
    number = _page_number(request)
    if not form.is_bound or form.is_valid():
        # Pages beyond the ranked window hold nothing, so the page number stops there.
        reachable = conf.search_rank_window() if form.query() else conf.search_count_cap()
        number = min(number, max(1, math.ceil(reachable / PER_PAGE)))
        results = search_reports(user, form.query(), form.report_filters(), PER_PAGE, (number - 1) * PER_PAGE)
        pages = max(1, math.ceil(min(results.total, reachable) / PER_PAGE))
        page = OffsetPage(number=min(number, pages), paginator=_Paginator(num_pages=pages, count=results.total))
    else:
        page = OffsetPage(number=1, paginator=_Paginator(num_pages=1, count=0))
    context = {
        "page_title": "Intelligence",
        "form": form,
        "results": results,
        "page_obj": page,
        "query_without_page": query_without(request, "page"),
        "selected": selected_filters(request, form) if form.is_bound else [],
        "can_submit": can_submit(request.user),
        "can_read": can_read_intel(request.user),
    }
    return render(request, "intelligence/report_list.html", context)


@require_http_methods(["GET", "POST"])
def report_submit(request: HttpRequest) -> HttpResponse:
    require_intelligence(request)
    if not can_submit(request.user):
        raise PermissionDenied("You need the intel.create capability to submit intelligence.")
    user = user_of(request)
    form = ReportForm(request.POST or None, user=user, initial={"lpa": getattr(user.organisation, "lpa", None)})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Report {report.reference} submitted. Confirm the entities it mentions below.")
            return redirect(report_url(report))
    return render(request, "intelligence/report_form.html", {"page_title": "Submit intelligence", "form": form})


def _timeline(report: Report) -> list[dict[str, Any]]:
    events = [{"title": "Submitted", "by": report.author, "at": report.created_at}]
    if report.evaluated_at:
        events.append(
            {"title": f"Evaluated: {report.grade_text}", "by": report.evaluated_by, "at": report.evaluated_at}
        )
    if report.sanitised_at:
        events.append({"title": "Sanitised", "by": report.sanitised_by, "at": report.sanitised_at})
    if report.published_at:
        events.append({"title": "Published", "by": report.published_by, "at": report.published_at})
    return list(reversed(events))


@require_GET
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    report = report_for(request, reference)
    user = user_of(request)
    reader = can_read_intel(user)
    context = {
        "page_title": f"Intelligence report {report.reference}",
        "report": report,
        "timeline": _timeline(report),
        "mentions": report.mentions.select_related("entity", "confirmed_by").order_by("entity__kind", "entity__label"),
        "links": report.links.select_related("source", "target").order_by("link_type") if reader else [],
        "shares": shares_for(report).visible_to(user).select_related("organisation", "legal_basis"),
        "is_reader": reader,
        "is_author": report.author_id == user.pk,
        "can_evaluate": can_evaluate(user)
        and report.author_id != user.pk
        and report.status in (ReportStatus.SUBMITTED, ReportStatus.EVALUATED),
        "can_sanitise": can_evaluate(user) and report.status in (ReportStatus.EVALUATED, ReportStatus.SANITISED),
        "can_publish": can_evaluate(user) and report.status == ReportStatus.SANITISED,
        "can_disseminate": can_disseminate(user) and report.status == ReportStatus.PUBLISHED,
        "can_add_mentions": can_add_mentions(user, report),
        "can_link": can_add_mentions(user, report) and reader,
    }
    return render(request, "intelligence/report_detail.html", context)


@require_http_methods(["GET", "POST"])
def report_evaluate(request: HttpRequest, reference: str) -> HttpResponse:
    report = report_for(request, reference, need="edit")
    user = user_of(request)
    if not can_evaluate(user):
        raise PermissionDenied("You need the intel.evaluate capability to evaluate intelligence.")
    form = EvaluateForm(request.POST or None, initial=EvaluateForm.initial_for(report))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_evaluate(
                actor=user, report=report, grade=form.grade(), retention_group=form.cleaned_data["retention_group"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Report {report.reference} evaluated: {report.grade_text}. Review date {uk_date(report.review_date)}.",
            )
            return redirect(report_url(report))
    context = {
        "page_title": f"Evaluate {report.reference}",
        "form": form,
        "report": report,
        "is_author": report.author_id == user.pk,
    }
    return render(request, "intelligence/report_evaluate.html", context)


@require_http_methods(["GET", "POST"])
def report_sanitise(request: HttpRequest, reference: str) -> HttpResponse:
    report = report_for(request, reference, need="edit")
    user = user_of(request)
    if not can_evaluate(user):
        raise PermissionDenied("You need the intel.evaluate capability to sanitise intelligence.")
    form = SanitiseForm(request.POST or None, initial={"sanitised_text": report.sanitised_text})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_sanitise(actor=user, report=report, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Sanitised text saved for {report.reference}. It can now be published.")
            return redirect(report_url(report))
    context = {"page_title": f"Sanitise {report.reference}", "form": form, "report": report}
    return render(request, "intelligence/report_sanitise.html", context)


@require_http_methods(["GET", "POST"])
def report_publish(request: HttpRequest, reference: str) -> HttpResponse:
    report = report_for(request, reference, need="edit")
    user = user_of(request)
    if not can_evaluate(user):
        raise PermissionDenied("You need the intel.evaluate capability to publish intelligence.")
    problem = ""
    if request.method == "POST":
        try:
            report = services.report_publish(actor=user, report=report)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, f"Report {report.reference} published.")
            return redirect(report_url(report))
    context = {"page_title": f"Publish {report.reference}", "report": report, "problem": problem}
    return render(request, "intelligence/report_publish.html", context, status=400 if problem else 200)


@require_http_methods(["GET", "POST"])
def report_disseminate(request: HttpRequest, reference: str) -> HttpResponse:
    report = report_for(request, reference)
    user = user_of(request)
    if not can_disseminate(user):
        raise PermissionDenied("You need intel.view and sharing.manage to disseminate intelligence.")
    blocked = services.dissemination_problem(report, conditions_confirmed=True)
    form = DisseminateForm(request.POST or None, sharer=user.organisation, report=report)
    if request.method == "POST" and blocked is None and form.is_valid():
        data = form.cleaned_data
        try:
            dissemination = services.report_disseminate(
                actor=user, report=report, conditions_confirmed=data.pop("conditions_confirmed", False), **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            share = dissemination.share
            messages.success(
                request,
                f"Sanitised copy of {report.reference} disseminated to {share.organisation} "
                f"until {uk_date(share.until)} ({share.reference}).",
            )
            return redirect(report_url(report))
    context = {
        "page_title": f"Disseminate {report.reference}",
        "form": form,
        "report": report,
        "blocked": " ".join(blocked.messages) if blocked else "",
        "needs_confirmation": report.handling_code == HandlingCode.CONDITIONS,
        "current_shares": shares_for(report).visible_to(user).active().select_related("organisation", "legal_basis"),
        "legal_bases": LegalBasis.objects.active(),
    }
    status = 400 if blocked and request.method == "POST" else 200
    return render(request, "intelligence/report_disseminate.html", context, status=status)


urlpatterns = [
    path("", report_list, name="list"),
    path("new/", report_submit, name="submit"),
    path("reports/<str:reference>/", report_detail, name="report"),
    path("reports/<str:reference>/evaluate/", report_evaluate, name="evaluate"),
    path("reports/<str:reference>/sanitise/", report_sanitise, name="sanitise"),
    path("reports/<str:reference>/publish/", report_publish, name="publish"),
    path("reports/<str:reference>/disseminate/", report_disseminate, name="disseminate"),
]
