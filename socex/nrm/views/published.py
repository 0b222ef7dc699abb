"""Published NRM figures: the list, the hub's counts beside them, loading a file and typing one in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.core.forms import add_service_errors
from socex.core.listing import paginate, query_without
from socex.nrm import conf, services
from socex.nrm.access import is_hub_staff
from socex.nrm.coverage import side_by_side
from socex.nrm.forms import PublishedFigureForm, PublishedImportForm
from socex.nrm.models import PublishedFigure
from socex.nrm.published import COLUMNS, OPTIONAL, ImportRefused
from socex.nrm.views.common import require_hub_staff, require_nrm, user_of


@require_GET
def published_view(request: HttpRequest) -> HttpResponse:
    require_nrm(request)
    rows = side_by_side(request.user)
    force_rows = [
        row for row in rows if row.area.casefold() == conf.published_area().casefold() and row.dimension == "total"
    ]
    chart_series = [
        {"name": "Published", "values": [row.published for row in force_rows]},
        {"name": "Recorded in the hub", "values": [row.recorded for row in force_rows]},
    ]
    context = {
        "page_title": "Published NRM figures",
        "rows": rows,
        "force_area": conf.published_area(),
        "chart_labels": [row.period for row in force_rows],
        "chart_series": chart_series,
        "page_obj": paginate(request, PublishedFigure.objects.all()),
        "query_without_page": query_without(request, "page"),
        "can_load": is_hub_staff(request.user),
    }
    return render(request, "nrm/published.html", context)


@require_http_methods(["GET", "POST"])
def published_import_view(request: HttpRequest) -> HttpResponse:
    require_hub_staff(request)
    form = PublishedImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.published_import(
                actor=user_of(request), file_name=upload.name, data=upload.read(), edition=form.cleaned_data["edition"]
            )
        except ImportRefused as refused:
            form.add_error("file", f"Nothing was loaded. {refused.message}")
        else:
            messages.success(request, f"Loaded {batch.rows:,} published figures from {batch.file_name}.")
            return redirect("nrm:published")
    context = {
        "page_title": "Load published figures",
        "form": form,
        "columns": COLUMNS,
        "optional": OPTIONAL,
    }
    return render(request, "nrm/published_import.html", context)


@require_http_methods(["GET", "POST"])
def published_add(request: HttpRequest) -> HttpResponse:
    require_hub_staff(request)
    form = PublishedFigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.published_figure_add(actor=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added the published figure.")
            return redirect("nrm:published")
    context = {
        "page_title": "Add a published figure",
        "form": form,
        "heading": "Add a published figure",
        "button": "Add figure",
        "back": "/nrm/published/",
        "caption": "Published figures",
    }
    return render(request, "nrm/simple_form.html", context)


@require_POST
def published_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_hub_staff(request)
    figure = get_object_or_404(PublishedFigure, pk=pk)
    services.published_figure_delete(actor=user_of(request), figure=figure)
    messages.success(request, "Removed the published figure.")
    return redirect("nrm:published")


urlpatterns = [
    path("published/", published_view, name="published"),
    path("published/import/", published_import_view, name="published_import"),
    path("published/new/", published_add, name="published_add"),
    path("published/<int:pk>/delete/", published_delete, name="published_delete"),
]
