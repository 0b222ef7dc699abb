"""Investigation pages: the list, one investigation and its changes, operations, the disruption
log, hub staffing and workload, and the hub manager's dashboard. Police only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from socex.audit.listing import audited_filtered_page
from socex.core.forms import add_service_errors
from socex.core.views import form_page
from socex.investigations import access, figures, services, workload
from socex.investigations.forms import (
    DisruptionForm,
    InvestigationFilterForm,
    InvestigationForm,
    OperationForm,
    OutcomeForm,
    PersonForm,
    StaffForm,
    StatusForm,
)
from socex.investigations.models import (
    Disruption,
    DisruptionKind,
    Investigation,
    InvestigationStatus,
    Operation,
    PersonRole,
    StaffMember,
)
from socex.investigations.offences import offence_list

if TYPE_CHECKING:
    from socex.accounts.models import User


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- Investigations ------------------------------------------------------------------------------


@require_GET
def investigation_list(request: HttpRequest) -> HttpResponse:
    _require(access.can_read(request.user), "Investigations are for police hub staff.")
    form = InvestigationFilterForm(request.GET or None)
    rows = Investigation.objects.visible_to(request.user).select_related("officer_in_case", "lpa", "operation")
    context = {
        "page_title": "Investigations",
        **audited_filtered_page(request, form, rows, record_type=access.RECORD_TYPE),
        "can_manage": access.can_manage(request.user),
    }
    return render(request, "investigations/list.html", context)


@require_GET
def investigation_detail(request: HttpRequest, reference: str) -> HttpResponse:
    investigation = access.get_investigation_for(request.user, reference=reference)
    offences = offence_list()
    context = {
        "page_title": f"{investigation.reference}: {investigation.title}",
        "investigation": investigation,
        "offences": [offences.label(code) for code in investigation.offences],
        "people": investigation.people.select_related("person", "case"),
        "reports": investigation.intelligence_reports.visible_to(request.user),  # type: ignore[attr-defined]
        "targets": investigation.targets.all(),
        "history": investigation.status_history.select_related("changed_by"),
        "outcomes": investigation.outcomes.select_related("person"),
        "disruptions": investigation.disruptions.all(),
        "can_manage": access.can_manage(request.user),
    }
    return render(request, "investigations/detail.html", context)


def _reports_from(references: list[str], user: User) -> tuple[list[Any], list[str]]:
    from socex.intelligence.models import Report

    found = {report.reference: report for report in Report.objects.visible_to(user).filter(reference__in=references)}
    return [found[ref] for ref in references if ref in found], [ref for ref in references if ref not in found]


@require_http_methods(["GET", "POST"])
def investigation_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_manage(request.user), "Only police users with investigation.manage can open investigations.")
    initial = {"opened_on": timezone.localdate(), "intelligence_reports": request.GET.get("intelligence", "")}
    form = InvestigationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        reports, unknown = _reports_from(values.pop("intelligence_reports"), _user(request))
        if unknown:
            form.add_error(
                "intelligence_reports", f"No intelligence report you may read has the reference {', '.join(unknown)}"
            )
        else:
            try:
                investigation = services.investigation_create(
                    actor=_user(request), intelligence_reports=reports, **values
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Investigation {investigation.reference} opened.")
                return redirect("investigations:detail", investigation.reference)
    return form_page(
        request,
        form,
        title="Open an investigation",
        back_url=reverse("investigations:list"),
        button="Open investigation",
    )


@require_http_methods(["GET", "POST"])
def investigation_status(request: HttpRequest, reference: str) -> HttpResponse:
    investigation = access.get_investigation_for(request.user, need="edit", reference=reference)
    form = StatusForm(
        request.POST or None, initial={"version": investigation.version, "changed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.investigation_set_status(actor=_user(request), investigation=investigation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Status changed to {InvestigationStatus(form.cleaned_data['status']).label.lower()}."
            )
            return redirect("investigations:detail", investigation.reference)
    back = reverse("investigations:detail", args=[investigation.reference])
    lead = f"It is {investigation.get_status_display().lower()} now."
    return form_page(
        request,
        form,
        title="Change the status",
        back_url=back,
        button="Save status",
        caption=investigation.reference,
        lead_text=lead,
    )


@require_http_methods(["GET", "POST"])
def investigation_add_person(request: HttpRequest, reference: str) -> HttpResponse:
    from socex.people.access import get_person_for

    investigation = access.get_investigation_for(request.user, need="edit", reference=reference)
    form = PersonForm(request.POST or None, initial={"role": request.GET.get("role", PersonRole.SUSPECT)})
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        person = get_person_for(request.user, values.pop("person"))
        try:
            services.investigation_add_person(
                actor=_user(request), investigation=investigation, person=person, **values
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.display_name} added as a {values['role']}.")
            return redirect("investigations:detail", investigation.reference)
    back = reverse("investigations:detail", args=[investigation.reference])
    return form_page(
        request,
        form,
        title="Add a suspect or victim",
        back_url=back,
        button="Add person",
        caption=investigation.reference,
    )


@require_http_methods(["GET", "POST"])
def investigation_outcome(request: HttpRequest, reference: str) -> HttpResponse:
    from socex.people.models import Person

    investigation = access.get_investigation_for(request.user, need="edit", reference=reference)
    suspects = Person.objects.filter(
        investigation_roles__investigation=investigation, investigation_roles__role=PersonRole.SUSPECT
    )
    form = OutcomeForm(request.POST or None, suspects=suspects, initial={"outcome_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.outcome_record(actor=_user(request), investigation=investigation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Outcome recorded: {outcome.get_kind_display().lower()}.")
            return redirect("investigations:detail", investigation.reference)
    back = reverse("investigations:detail", args=[investigation.reference])
    return form_page(
        request,
        form,
        title="Record an outcome",
        back_url=back,
        button="Record outcome",
        caption=investigation.reference,
    )


# --- Disruptions ---------------------------------------------------------------------------------


@require_GET
def disruption_list(request: HttpRequest) -> HttpResponse:
    _require(access.can_read(request.user), "The disruption log is for police hub staff.")
    end = timezone.localdate()
    start = figures.month_starts(end, 12)[0]
    context = {
        "page_title": "Disruption log",
        "disruptions": Disruption.objects.visible_to(request.user).select_related(
            "lpa", "operation", "investigation", "county_line"
        )[:200],
        "by_lpa": figures.disruptions_by_lpa(start, end),
        "kinds": DisruptionKind.choices,
        "start": start,
        "end": end,
        "cash": figures.cash_seized(start, end),
        "can_manage": access.can_manage(request.user),
    }
    return render(request, "investigations/disruption_list.html", context)


@require_http_methods(["GET", "POST"])
def disruption_create(request: HttpRequest) -> HttpResponse:
    from socex.intelligence.models import Group

    _require(access.can_manage(request.user), "Only police users with investigation.manage can record disruptions.")
    # From an investigation's page the form carries ?investigation=INV-... (kept when it posts).
    reference = request.GET.get("investigation")
    investigation = access.get_investigation_for(request.user, reference=reference) if reference else None
    initial = {"occurred_on": timezone.localdate(), "quantity": 1}
    if investigation is not None:
        initial |= {"lpa": investigation.lpa_id, "operation": investigation.operation_id}
    form = DisruptionForm(request.POST or None, groups=Group.objects.visible_to(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            disruption = services.disruption_record(
                actor=_user(request), investigation=investigation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Disruption recorded: {disruption}.")
            return (
                redirect("investigations:detail", investigation.reference)
                if investigation
                else redirect("investigations:disruptions")
            )
    back = (
        reverse("investigations:detail", args=[investigation.reference])
        if investigation
        else reverse("investigations:disruptions")
    )
    caption = investigation.reference if investigation else ""
    return form_page(
        request, form, title="Record a disruption", back_url=back, button="Record disruption", caption=caption
    )


# --- Operations ----------------------------------------------------------------------------------


@require_GET
def operation_list(request: HttpRequest) -> HttpResponse:
    _require(access.can_read(request.user), "Operations are for police hub staff.")
    operations = Operation.objects.visible_to(request.user).select_related("lead").prefetch_related("lpas", "hubs")
    return render(
        request,
        "investigations/operation_list.html",
        {"page_title": "Operations", "operations": operations, "can_manage": access.can_manage(request.user)},
    )


@require_GET
def operation_detail(request: HttpRequest, operation_id: int) -> HttpResponse:
    operation = access.get_operation_for(request.user, pk=operation_id)
    context = {
        "page_title": operation.name,
        "operation": operation,
        "investigations": operation.investigations.select_related("lpa"),
        "disruption_totals": {
            label: total
            for kind, label in DisruptionKind.choices
            if (total := sum(operation.disruptions.filter(kind=kind).values_list("quantity", flat=True)))
        },
    }
    return render(request, "investigations/operation_detail.html", context)


@require_http_methods(["GET", "POST"])
def operation_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_manage(request.user), "Only police users with investigation.manage can add operations.")
    form = OperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.operation_create(actor=_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{operation.name} added.")
            return redirect("investigations:operation", operation.pk)
    return form_page(
        request, form, title="Add an operation", back_url=reverse("investigations:operations"), button="Add operation"
    )


# --- Workload and the manager's dashboard ---------------------------------------------------------


@require_GET
def workload_page(request: HttpRequest) -> HttpResponse:
    _require(access.can_see_workload(request.user), "Hub workload is for police managers (workload.view).")
    picture = workload.capacity_picture()
    context = {
        "page_title": "Hub workload and capacity",
        "picture": picture,
        "loads": workload.officer_loads(),
        "work_labels": workload.WORK_LABELS,
        "demand_labels": workload.DEMAND_LABELS,
        "demand_rows": [(lpa, picture.demand[lpa.pk]) for lpa in picture.lpas],
    }
    return render(request, "investigations/workload.html", context)


@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest) -> HttpResponse:
    _require(access.can_see_workload(request.user), "Hub staffing is for police managers (workload.view).")
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.staff_set(actor=_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{member.user} is on the {member.hub} staff as a {member.get_kind_display().lower()}."
            )
            return redirect("investigations:workload")
    return form_page(
        request, form, title="Add or change a hub post", back_url=reverse("investigations:workload"), button="Save post"
    )


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(access.can_read(request.user), "The hub dashboard is for police hub staff.")
    today = timezone.localdate()
    starts, by_kind = figures.disruptions_by_month(today, 12)
    year_ago = today - dt.timedelta(days=365)
    picture = workload.capacity_picture()
    context = {
        "page_title": "Hub manager's dashboard",
        "open_by_status": figures.open_by_status_and_age(today),
        "age_bands": [band for band, _, _ in figures.AGE_BANDS],
        "month_labels": [f"{start:%b %Y}" for start in starts],
        "disruption_series": [
            {"name": str(DisruptionKind(kind).label), "values": values}
            for kind, values in by_kind.items()
            if any(values)
        ],
        "outcomes": figures.outcomes_by_kind(year_ago, today),
        "capacity_bars": [(hub.label, hub.open_work) for hub in picture.hubs],
        "picture": picture,
        "open_total": Investigation.objects.open().count(),
        "staff_total": StaffMember.objects.count(),
    }
    return render(request, "investigations/dashboard.html", context)
