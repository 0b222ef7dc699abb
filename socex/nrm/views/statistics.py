"""Statistics in the Home Office quarterly dimensions, with CSV and XLSX exports (audited).

An export "for partners" shows every count from 1 up to the suppression threshold as ``*``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from socex.audit.listing import audited_csv, audited_file
from socex.core.exports import XLSX_TYPE, xlsx_bytes
from socex.nrm import conf
from socex.nrm.forms import StatisticsForm
from socex.nrm.statistics import Statistics, compute, default_period, long_rows, quarter_label
from socex.nrm.views.common import require_nrm

RECORD_TYPE = "nrm.statistics"


def _form(request: HttpRequest) -> StatisticsForm:
    first, last = default_period()
    data: QueryDict | dict[str, Any] = request.GET
    if "first" not in request.GET:
        data = {"first": quarter_label(first), "last": quarter_label(last), "lpa": request.GET.get("lpa", "")}
    return StatisticsForm(data)


def _result(request: HttpRequest, form: StatisticsForm) -> Statistics | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return compute(request.user, data["first"], data["last"], lpa=data["lpa"])


def _filters(form: StatisticsForm, partners: bool) -> dict[str, str]:
    data = form.cleaned_data
    filters = {"From": quarter_label(data["first"]), "To": quarter_label(data["last"])}
    if data.get("lpa"):
        filters["LPA"] = str(data["lpa"])
    if partners:
        filters["For partners"] = f"counts under {conf.suppression_threshold()} suppressed"
    return filters


@require_GET
def statistics_view(request: HttpRequest) -> HttpResponse:
    require_nrm(request)
    form = _form(request)
    result = _result(request, form)
    chart = list(zip(result.labels, result.referrals.totals(), strict=True)) if result else []
    context = {
        "page_title": "NRM statistics",
        "form": form,
        "result": result,
        "chart": chart,
        "query": request.GET.urlencode() if "first" in request.GET else "",
        "threshold": conf.suppression_threshold(),
    }
    return render(request, "nrm/statistics.html", context)


def _export_name(form: StatisticsForm, extension: str, partners: bool) -> str:
    data = form.cleaned_data
    stem = f"nrm-statistics-{quarter_label(data['first'])}-to-{quarter_label(data['last'])}".replace(" ", "")
    return f"{stem}{'-partners' if partners else ''}.{extension}"


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    require_nrm(request)
    form = _form(request)
    result = _result(request, form)
    if result is None:
        return statistics_view(request)
    partners = request.GET.get("partners") == "1"
    threshold = conf.suppression_threshold() if partners else None
    rows = long_rows(result, threshold=threshold)
    return audited_csv(
        filename=_export_name(form, "csv", partners),
        header=["Table", "Category", "Quarter", "Count"],
        rows=rows,
        count=len(rows),
        record_type=RECORD_TYPE,
        filters=_filters(form, partners),
    )


@require_GET
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    require_nrm(request)
    form = _form(request)
    result = _result(request, form)
    if result is None:
        return statistics_view(request)
    partners = request.GET.get("partners") == "1"
    threshold = conf.suppression_threshold() if partners else None
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for table in result.all_tables():
        sheets[table.title[:31]] = (table.headers, table.body(threshold=threshold))
    sheets["Waiting times"] = (["Wait", "Decisions", "Median", "Mean"], result.waits_rows())
    notes = [
        ["Period", f"{result.labels[0]} to {result.labels[-1]}"],
        ["Records", "NRM referrals and Duty to Notify reports you may see in this service"],
    ]
    if partners:
        notes.append(["Suppression", f"Counts from 1 to {conf.suppression_threshold() - 1} are shown as *"])
    sheets["Notes"] = (["Note", "Detail"], notes)
    filters = _filters(form, partners)
    return audited_file(
        content=xlsx_bytes(sheets),
        filename=_export_name(form, "xlsx", partners),
        content_type=XLSX_TYPE,
        record_type=RECORD_TYPE,
        count=sum(len(table.rows) for table in result.all_tables()),
        filters=filters,
    )


urlpatterns = [
    path("statistics/", statistics_view, name="statistics"),
    path("statistics.csv", statistics_csv, name="statistics_csv"),
    path("statistics.xlsx", statistics_xlsx, name="statistics_xlsx"),
]
