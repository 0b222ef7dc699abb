"""Funding pages: the overview, budgets, allocations, bids, response awards, claims, returns and reports.

Every view starts from the access functions; every form goes through a service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.audit.listing import audited_csv, audited_file
from socex.audit.services import record_search
from socex.core.exports import XLSX_TYPE, xlsx_bytes
from socex.core.forms import add_service_errors
from socex.core.pdf import PdfReport
from socex.core.templatetags.socex import money, uk_date
from socex.core.views import form_page
from socex.funding import access, reports, services
from socex.funding.forms import (
    AllocationForm,
    BidDecisionForm,
    BidForm,
    BudgetForm,
    ClaimDecisionForm,
    MonitoringReturnForm,
    ReportFilterForm,
    ResponseAwardForm,
    SpendClaimForm,
    default_year,
    today,
)
from socex.funding.models import (
    Allocation,
    AllocationStatus,
    Bid,
    BidStatus,
    ClaimStatus,
    ResponseAward,
    financial_year_label,
)

if TYPE_CHECKING:
    from socex.accounts.models import User

ALLOCATION_TYPE = "funding.allocation"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- Overview ------------------------------------------------------------------------------------


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """VRP staff: budget against allocated against spent. A lead organisation: its own allocations."""
    user = _user(request)
    if not access.sees_all_funding(user):
        if not access.leads_allocations(user):
            raise Http404
        return my_allocations(request)
    form = ReportFilterForm(request.GET or None)
    lpa = form.cleaned_data.get("lpa") if form.is_valid() else None
    year = (form.cleaned_data.get("financial_year") if form.is_valid() else None) or default_year()
    lines = reports.budget_lines(user, lpa=lpa, year=year)
    record_search(record_type="funding.budget", terms=form.terms(), results=len(lines))
    context = {
        "page_title": "VRP funding",
        "form": form,
        "year": year,
        "year_label": financial_year_label(year),
        "lpa": lpa,
        "lines": lines,
        "totals": reports.year_totals(lines),
        "chart": [(line.budget.name, int(line.allocated)) for line in lines],
        "can_manage": access.can_manage(user),
        "pending_claims": services.SpendClaim.objects.visible_to(user).filter(status=ClaimStatus.SUBMITTED).count(),
        "can_approve": access.can_approve(user),
        # A link, not an import: analytics reads funding, never the other way round (ADR 0022).
        "money_follows_risk_url": reverse("analytics:money") + f"?year={year}"
        if user.has_cap("analytics.view")
        else "",
    }
    return render(request, "funding/overview.html", context)


def my_allocations(request: HttpRequest) -> HttpResponse:
    allocations = Allocation.objects.visible_to(request.user).select_related("budget", "lead")
    return render(
        request,
        "funding/my_allocations.html",
        {"page_title": "Your funded projects", "allocations": allocations},
    )


# --- Budgets -------------------------------------------------------------------------------------


@require_GET
def budget_detail(request: HttpRequest, budget_id: int) -> HttpResponse:
    budget = access.get_budget_for(request.user, pk=budget_id)
    line = reports.budget_lines(request.user, year=budget.financial_year)
    this_line = next(item for item in line if item.budget.pk == budget.pk)
    context = {
        "page_title": str(budget),
        "budget": budget,
        "line": this_line,
        "allocations": budget.allocations.select_related("lead").order_by("-amount"),
        "awards": budget.response_awards.prefetch_related("recipients"),
        "can_manage": access.can_manage(request.user),
    }
    return render(request, "funding/budget_detail.html", context)


@require_http_methods(["GET", "POST"])
def budget_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_manage(request.user), "Only VRP staff with funding.manage can add budgets.")
    form = BudgetForm(request.POST or None, initial={"financial_year": default_year()})
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.budget_create(actor=_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Budget added: {budget}.")
            return redirect("funding:budget", budget.pk)
    return form_page(request, form, title="Add a budget", back_url=reverse("funding:overview"), button="Add budget")


# --- Allocations ---------------------------------------------------------------------------------


@require_GET
def allocation_detail(request: HttpRequest, allocation_id: int) -> HttpResponse:
    user = _user(request)
    allocation = access.get_allocation_for(user, pk=allocation_id)
    reportable = Allocation.objects.reportable_by(user).filter(pk=allocation.pk).exists()
    context = {
        "page_title": allocation.project,
        "allocation": allocation,
        "claims": allocation.spend_claims.select_related("submitted_by", "decided_by"),
        "returns": allocation.monitoring_returns.select_related("submitted_by"),
        "claimed": services.claimed_total(allocation, statuses=(ClaimStatus.APPROVED,)),
        "remaining": services.remaining_to_claim(allocation),
        "referred": reports.referred_from_cases(allocation, police=user.is_police)
        if allocation.takes_case_referrals
        else None,
        "can_manage": access.can_manage(user),
        "can_report": reportable and allocation.status != AllocationStatus.WITHDRAWN,
        "can_approve": access.can_approve(user),
        "sees_budget": access.sees_all_funding(user),
    }
    return render(request, "funding/allocation_detail.html", context)


def _allocation_form_page(
    request: HttpRequest, form: AllocationForm, *, title: str, back_url: str, budget: Any
) -> HttpResponse:
    context = {"page_title": title, "form": form, "back_url": back_url, "budget": budget, "button": "Save allocation"}
    return render(request, "funding/allocation_form.html", context)


@require_http_methods(["GET", "POST"])
def allocation_create(request: HttpRequest, budget_id: int) -> HttpResponse:
    budget = access.get_budget_for(request.user, need="edit", pk=budget_id)
    form = AllocationForm(request.POST or None, initial={"status": AllocationStatus.PROPOSED})
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocation_create(actor=_user(request), budget=budget, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Allocated {money(allocation.amount)} to {allocation.project}.")
            return redirect("funding:allocation", allocation.pk)
    back = reverse("funding:budget", args=[budget.pk])
    return _allocation_form_page(
        request, form, title=f"Add an allocation from {budget.name}", back_url=back, budget=budget
    )


@require_http_methods(["GET", "POST"])
def allocation_edit(request: HttpRequest, allocation_id: int) -> HttpResponse:
    allocation = access.get_allocation_for(request.user, need="edit", pk=allocation_id)
    fields = (
        "project",
        "lead",
        "amount",
        "detail",
        "target_areas",
        "target_cohort",
        "start_date",
        "end_date",
        "status",
        "takes_case_referrals",
    )
    initial = {name: getattr(allocation, name) for name in fields} | {"version": allocation.version}
    form = AllocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            services.allocation_update(
                actor=_user(request), allocation=allocation, version=form.cleaned_data["version"] or 0, **values
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved your changes to {allocation.project}.")
            return redirect("funding:allocation", allocation.pk)
    back = reverse("funding:allocation", args=[allocation.pk])
    return _allocation_form_page(
        request, form, title=f"Change {allocation.project}", back_url=back, budget=allocation.budget
    )


# --- Claims and returns --------------------------------------------------------------------------


def _reportable_allocation(request: HttpRequest, allocation_id: int) -> Allocation:
    allocation = access.get_allocation_for(request.user, pk=allocation_id)
    _require(
        Allocation.objects.reportable_by(request.user).filter(pk=allocation.pk).exists(),
        "Only the lead organisation or VRP staff can report on this allocation.",
    )
    return allocation


@require_http_methods(["GET", "POST"])
def claim_create(request: HttpRequest, allocation_id: int) -> HttpResponse:
    allocation = _reportable_allocation(request, allocation_id)
    form = SpendClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.spend_claim_submit(actor=_user(request), allocation=allocation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Claim for {money(claim.amount)} sent to the VRP for approval.")
            return redirect("funding:allocation", allocation.pk)
    back = reverse("funding:allocation", args=[allocation.pk])
    hint = f"{money(services.remaining_to_claim(allocation))} is left to claim of {money(allocation.amount)}."
    return form_page(
        request,
        form,
        title="Claim spending",
        back_url=back,
        button="Send claim",
        caption=allocation.project,
        lead_text=hint,
    )


@require_http_methods(["GET", "POST"])
def claim_decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = access.get_claim_for(request.user, need="edit", pk=claim_id)
    form = ClaimDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.spend_claim_decide(actor=_user(request), claim=claim, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Claim {'approved' if form.cleaned_data['approve'] else 'rejected'}.")
            return redirect("funding:allocation", claim.allocation_id)
    back = reverse("funding:allocation", args=[claim.allocation_id])
    lead_text = (
        f"{money(claim.amount)} for “{claim.description}”, spent on {uk_date(claim.spent_on)}, "
        f"claimed by {claim.submitted_by}."
    )
    return form_page(
        request,
        form,
        title="Approve or reject a claim",
        back_url=back,
        button="Save decision",
        caption=claim.allocation.project,
        lead_text=lead_text,
    )


@require_http_methods(["GET", "POST"])
def return_create(request: HttpRequest, allocation_id: int) -> HttpResponse:
    allocation = _reportable_allocation(request, allocation_id)
    form = MonitoringReturnForm(request.POST or None, initial={"financial_year": allocation.budget.financial_year})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.monitoring_return_submit(actor=_user(request), allocation=allocation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Monitoring return for {entry.period_label} submitted.")
            return redirect("funding:allocation", allocation.pk)
    back = reverse("funding:allocation", args=[allocation.pk])
    return form_page(
        request,
        form,
        title="Submit a monitoring return",
        back_url=back,
        button="Submit return",
        caption=allocation.project,
    )


# --- Bids ----------------------------------------------------------------------------------------


@require_GET
def bid_list(request: HttpRequest) -> HttpResponse:
    _require(access.can_use_funding(request.user), "Your roles do not include VRP funding.")
    bids = Bid.objects.visible_to(request.user).select_related("lead").prefetch_related("partners")
    context = {"page_title": "Bids", "bids": bids, "can_manage": access.can_manage(request.user)}
    return render(request, "funding/bid_list.html", context)


@require_GET
def bid_detail(request: HttpRequest, bid_id: int) -> HttpResponse:
    bid = access.get_bid_for(request.user, pk=bid_id)
    context = {
        "page_title": bid.title,
        "bid": bid,
        "can_decide": access.can_manage(request.user) and bid.status in (BidStatus.DRAFT, BidStatus.SUBMITTED),
        "budget": getattr(bid, "resulting_budget", None),
    }
    return render(request, "funding/bid_detail.html", context)


@require_http_methods(["GET", "POST"])
def bid_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_manage(request.user), "Only VRP staff with funding.manage can record bids.")
    form = BidForm(request.POST or None, initial={"status": BidStatus.DRAFT})
    if request.method == "POST" and form.is_valid():
        try:
            bid = services.bid_create(actor=_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Bid recorded: {bid.title}.")
            return redirect("funding:bid", bid.pk)
    return form_page(request, form, title="Record a bid", back_url=reverse("funding:bids"), button="Save bid")


@require_http_methods(["GET", "POST"])
def bid_decide(request: HttpRequest, bid_id: int) -> HttpResponse:
    bid = access.get_bid_for(request.user, need="edit", pk=bid_id)
    form = BidDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_decide(actor=_user(request), bid=bid, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Decision recorded."
                + (" The award is now a budget." if form.cleaned_data["status"] == BidStatus.SUCCESSFUL else ""),
            )
            return redirect("funding:bid", bid.pk)
    back = reverse("funding:bid", args=[bid.pk])
    lead_text = (
        f"{bid.funder}: {money(bid.amount_sought)} sought. If it is successful, the amount awarded becomes "
        "a budget (the amount sought, unless you enter another)."
    )
    return form_page(
        request,
        form,
        title="Record the funder's decision",
        back_url=back,
        button="Save decision",
        caption=bid.title,
        lead_text=lead_text,
    )


# --- Response awards -----------------------------------------------------------------------------


@require_GET
def award_list(request: HttpRequest) -> HttpResponse:
    _require(access.sees_all_funding(request.user), "Only VRP staff see response awards.")
    awards = (
        ResponseAward.objects.visible_to(request.user).select_related("lpa", "budget").prefetch_related("recipients")
    )
    context = {"page_title": "Response awards", "awards": awards, "can_manage": access.can_manage(request.user)}
    return render(request, "funding/award_list.html", context)


@require_http_methods(["GET", "POST"])
def award_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_manage(request.user), "Only VRP staff with funding.manage can make response awards.")
    form = ResponseAwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.response_award_create(actor=_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Response award of {money(award.amount)} made.")
            return redirect("funding:awards")
    return form_page(
        request, form, title="Make a response award", back_url=reverse("funding:awards"), button="Make award"
    )


# --- Referring a case to a funded intervention ----------------------------------------------------


@require_POST
def refer_case(request: HttpRequest, case_id: int) -> HttpResponse:
    """From a case page: refer the case to a funded intervention (recorded in its chronology)."""
    from socex.cases.access import get_case_for

    case = get_case_for(request.user, need="edit", pk=case_id)
    allocation = Allocation.objects.filter(takes_case_referrals=True, pk=request.POST.get("allocation") or 0).first()
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("funding:overview")
    if allocation is None:
        messages.error(request, "Choose an intervention to refer the case to.")
        return redirect(back)
    try:
        services.intervention_refer(actor=_user(request), allocation=allocation, case=case, referred_on=today())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{case.reference} referred to {allocation.project}.")
    return redirect(back)


# --- Reports -------------------------------------------------------------------------------------

EXPORT_FORMATS = ("csv", "xlsx", "pdf")


@require_GET
def allocation_report(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The allocation table for an LPA and year, as a page or a CSV, XLSX or PDF download."""
    _require(access.can_use_funding(request.user), "Your roles do not include VRP funding.")
    form = ReportFilterForm(request.GET or None)
    valid = form.is_valid()
    lpa = form.cleaned_data.get("lpa") if valid else None
    year = (form.cleaned_data.get("financial_year") if valid else None) or (
        None if "financial_year" in request.GET else default_year()
    )
    table = reports.allocation_table(request.user, lpa=lpa, year=year)
    record_search(record_type=ALLOCATION_TYPE, terms=form.terms(), results=len(table.rows))
    export = request.GET.get("format", "")
    if export in EXPORT_FORMATS and valid:
        return _export_table(table, export, form.terms())
    query = request.GET.copy()
    query.pop("format", None)
    context = {"page_title": table.title, "form": form, "table": table, "query": query.urlencode()}
    return render(request, "funding/allocation_report.html", context)


def _export_table(
    table: reports.AllocationTable, export: str, filters: dict[str, str]
) -> HttpResponse | StreamingHttpResponse:
    stem = "vrp-allocations-" + "-".join(
        part
        for part in (
            (table.lpa.name.lower() if table.lpa else "all-areas"),
            financial_year_label(table.year).replace("/", "-") if table.year else "all-years",
        )
        if part
    )
    rows = table.export_rows()
    if export == "csv":
        return audited_csv(
            filename=f"{stem}.csv",
            header=reports.ALLOCATION_TABLE_HEADERS,
            rows=rows,
            count=len(table.rows),
            record_type=ALLOCATION_TYPE,
            filters=filters,
        )
    if export == "xlsx":
        content = xlsx_bytes({"Allocations": (reports.ALLOCATION_TABLE_HEADERS, rows)})
        return audited_file(
            content=content,
            filename=f"{stem}.xlsx",
            content_type=XLSX_TYPE,
            record_type=ALLOCATION_TYPE,
            count=len(table.rows),
            filters=filters,
        )
    pdf = PdfReport(table.title, subtitle="West Midlands Violence Reduction Partnership", marking="OFFICIAL")
    pdf.table(
        reports.ALLOCATION_TABLE_HEADERS,
        [[r[0], r[1], money(r[2]), r[3]] for r in rows],  # type: ignore[arg-type]
        widths=[45, 35, 25, 75],
        align_right=[2],
    )
    if table.has_synthetic:
        pdf.paragraph(reports.SYNTHETIC_NOTE, size=8)
    return audited_file(
        content=pdf.output(),
        filename=f"{stem}.pdf",
        content_type="application/pdf",
        record_type=ALLOCATION_TYPE,
        count=len(table.rows),
        filters=filters,
    )
