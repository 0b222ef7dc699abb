"""Areas pages: the force's LPAs and hubs, and each LPA's neighbourhoods. Public geography,
so every signed-in user may see them (socex.areas.access)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socex.areas import boundaries, queries
from socex.areas.access import get_hub_for, get_lpa_for
from socex.areas.forms import LSOASearchForm
from socex.core.listing import paginate, query_without


@require_GET
def area_list(request: HttpRequest) -> HttpResponse:
    forces = queries.forces_with_lpas(request.user)
    context = {
        "page_title": "Areas and hubs",
        "forces": [(force, lpas, [(item.lpa.name, item.residents) for item in lpas]) for force, lpas in forces],
        "hubs": queries.hub_summaries(request.user),
    }
    return render(request, "areas/area_list.html", context)


@require_GET
def hub_detail(request: HttpRequest, code: str) -> HttpResponse:
    hub = get_hub_for(request.user, code)
    summary = queries.hub_summary(request.user, hub)
    return render(request, "areas/hub_detail.html", {"page_title": hub.name, "summary": summary})


@require_GET
def lpa_detail(request: HttpRequest, code: str) -> HttpResponse:
    lpa = get_lpa_for(request.user, code)
    form = LSOASearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, queries.lsoas_in(request.user, lpa, search=search))
    context = {
        "page_title": f"{lpa.name} local policing area",
        "summary": queries.lpa_summary(request.user, lpa),
        "form": form,
        "search": search,
        "page_obj": page,
        "query_without_page": query_without(request, "page"),
    }
    # htmx asks for the results only, as the person types in the search box.
    template = "areas/_lsoa_results.html" if request.htmx else "areas/lpa_detail.html"  # type: ignore[attr-defined]
    return render(request, template, context)


# Boundaries are public geography: served to any signed-in user, unaudited, and cached by the
# browser for an hour (they change only when the reference data is rebuilt).
GEOJSON = "application/geo+json"


@require_GET
def lpa_boundaries(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(boundaries.lpa_geojson(), content_type=GEOJSON)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def lsoa_boundaries(request: HttpRequest) -> HttpResponse:
    """LSOA boundaries, of one LPA with ``?lpa=<ONS code>`` (404 if unknown) or of all of them."""
    code = request.GET.get("lpa", "")
    lpa_code = get_lpa_for(request.user, code).code if code else None
    response = HttpResponse(boundaries.lsoa_geojson(lpa_code), content_type=GEOJSON)
    response["Cache-Control"] = "private, max-age=3600"
    return response
