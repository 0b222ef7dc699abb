"""Analytics pages, part A: the start page, the needs assessment, LSOA hotspots and the map,
and the crime imports. Every page needs ``analytics.view`` (socex.analytics.access)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from socex.analytics import conf, crime
from socex.analytics.access import require_analytics
from socex.analytics.conf import category_labels
from socex.analytics.hotspots import correlation_with_deprivation, hotspots
from socex.analytics.models import CrimeImport
from socex.analytics.needs import assess, lpa_months, youth_note
from socex.analytics.needs_forms import AnalysisForm
from socex.areas.access import get_lpa_for
from socex.core.access import get_for
from socex.core.listing import paginate

HOTSPOT_ROWS = 50

# Pages of the analytics app, in the order the start page lists them. Entries whose URL does not
# exist (yet) are left out, so each part of the app can arrive on its own.
SECTIONS: list[tuple[str, str, str]] = [
    ("analytics:needs", "Needs assessment", "Crimes and rates per 1,000 residents by LPA and month, and trends."),
    ("analytics:hotspots", "Hotspots and map", "Neighbourhoods (LSOAs) where crime clusters, with deprivation."),
    ("analytics:seasonal", "Seasonality and spikes", "Forecasts, summer peaks and this month against the expected."),
    ("analytics:ranking", "Threat-risk ranking", "How the LPAs compare on threat and risk, and why."),
    ("analytics:siting", "Hub siting and staffing", "Where hubs and posts would go, from the assessed demand."),
    ("analytics:internal", "Internal figures", "Referrals, cases, NRM referrals and intelligence by LPA."),
    ("analytics:briefing_index", "Area briefings", "An evidence pack for an LPA, to answer a letter."),
    ("analytics:money", "Does the money follow the risk?", "VRP funding per resident beside the threat-risk ranking."),
    ("analytics:imports", "Crime data imports", "The data.police.uk files loaded, and the rows skipped."),
]


def _sections() -> list[dict[str, str]]:
    found = []
    for url_name, title, description in SECTIONS:
        try:
            found.append({"href": reverse(url_name), "title": title, "description": description})
        except NoReverseMatch:
            continue
    return found


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_analytics(request)
    return render(request, "analytics/index.html", {"page_title": "Analytics", "sections": _sections()})


def _no_data(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "analytics/no_data.html", {"page_title": title})


def _analysis_form(request: HttpRequest, *, with_lpa: str | None = None) -> AnalysisForm | None:
    default = crime.default_period()
    if default is None:
        return None
    return AnalysisForm(request.GET or None, months=crime.available_months(), default=default, with_lpa=with_lpa)


@require_GET
def needs(request: HttpRequest) -> HttpResponse:
    """Counts and rates by LPA over a period, the change on the period before, and trends."""
    require_analytics(request)
    form = _analysis_form(request)
    if form is None:
        return _no_data(request, "Needs assessment")
    categories, period, _ = form.choice()
    valid = not form.is_bound or form.is_valid()
    context = {
        "page_title": "Needs assessment",
        "form": form,
        "assessment": assess(categories, period) if valid else None,
        "labels": category_labels(),
        "youth_note": youth_note(),
        "per": conf.population_per(),
        "query": request.GET.urlencode(),
    }
    return render(request, "analytics/needs.html", context)


@require_GET
def needs_lpa(request: HttpRequest, code: str) -> HttpResponse:
    """One LPA month by month: counts by category, rates, and the trend."""
    require_analytics(request)
    lpa = get_lpa_for(request.user, code)
    form = _analysis_form(request)
    if form is None:
        return _no_data(request, f"{lpa.name}: needs assessment")
    categories, period, _ = form.choice()
    valid = not form.is_bound or form.is_valid()
    rows = lpa_months(lpa, categories, period) if valid else []
    labels = category_labels()
    chart = [{"name": labels.get(c, c), "values": [r.counts[c] for r in rows]} for c in categories]
    context = {
        "page_title": f"{lpa.name}: needs assessment",
        "lpa": lpa,
        "form": form,
        "rows": rows,
        "categories": categories,
        "labels": labels,
        "chart_series": chart,
        "chart_labels": [f"{r.month:%b %Y}" for r in rows],
        "youth_note": youth_note(),
        "per": conf.population_per(),
        "query": request.GET.urlencode(),
        "valid": valid,
    }
    return render(request, "analytics/needs_lpa.html", context)


@require_GET
def hotspots_view(request: HttpRequest) -> HttpResponse:
    """LSOA counts, rates and Gi* hotspots, on a map with deprivation, and as a table."""
    require_analytics(request)
    form = _analysis_form(request, with_lpa="All LPAs (the force)")
    if form is None:
        return _no_data(request, "Hotspots and map")
    categories, period, lpa_code = form.choice()
    valid = not form.is_bound or form.is_valid()
    lpa = get_lpa_for(request.user, lpa_code) if lpa_code else None
    result = hotspots(categories, period) if valid else None
    rows = result.ranked(lpa_code or None) if result else []
    context = {
        "page_title": "Hotspots and map",
        "form": form,
        "lpa": lpa,
        "result": result,
        "rows": rows[:HOTSPOT_ROWS],
        "row_limit": HOTSPOT_ROWS,
        "area_count": len(rows),
        "hotspot_count": sum(1 for r in rows if r.hotspot),
        "fdr_count": sum(1 for r in rows if r.hotspot and r.fdr),
        "rho": correlation_with_deprivation(rows) if rows else None,
        "map_values": result.map_values(lpa_code or None) if result else {},
        "boundaries_url": reverse("areas:lsoa_boundaries") + (f"?lpa={lpa_code}" if lpa_code else ""),
        "alpha": conf.hotspot_alpha(),
        "labels": category_labels(),
        "per": conf.population_per(),
    }
    return render(request, "analytics/hotspots.html", context)


@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    require_analytics(request)
    imports = CrimeImport.objects.visible_to(request.user).select_related("created_by")
    page = paginate(request, imports)
    bounds = crime.month_bounds()
    context = {"page_title": "Crime data imports", "page_obj": page, "bounds": bounds}
    return render(request, "analytics/import_list.html", context)


@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_analytics(request)
    crime_import = get_for(request.user, CrimeImport.objects.select_related("created_by"), pk=pk)
    report = crime_import.report or {}
    context = {
        "page_title": f"Crime data import {crime_import.pk}",
        "item": crime_import,
        "skipped": report.get("skipped", []),
        "skipped_by_reason": report.get("skipped_by_reason", {}),
        "errors": report.get("errors", []),
        "errors_total": report.get("errors_total", 0),
        "ignored_files": report.get("ignored_files", []),
        "per_month": sorted(report.get("per_month", {}).items()),
        "replaced": report.get("replaced", {}),
        "allow_partial": report.get("allow_partial", False),
    }
    return render(request, "analytics/import_detail.html", context)
