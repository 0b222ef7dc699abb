"""Analytics pages, part B: the threat-risk ranking, hub siting and staffing, internal figures
beside public ones, and area briefings. Every page needs ``analytics.view``
(socex.analytics.access); areas come through ``socex.areas.access`` (unknown LPA: 404)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socex.analytics import briefing as briefings
from socex.analytics import internal, ranking, siting
from socex.analytics.access import require_analytics
from socex.analytics.conf import category_labels, serious_violence_categories
from socex.analytics.forms_ranking import PeriodForm, SitingForm, WhatIfForm
from socex.areas.access import get_lpa_for
from socex.areas.models import Hub
from socex.areas.queries import current_lpas
from socex.audit.listing import audited_file
from socex.core.forms import add_service_errors

# Part B's pages, for the analytics start page: (url name, title, description).
PAGES: list[tuple[str, str, str]] = [
    ("analytics:ranking", "Threat-risk ranking", "How the LPAs compare on threat and risk, and why."),
    ("analytics:siting", "Hub siting and staffing", "Where hubs and posts would go, from the assessed demand."),
    ("analytics:internal", "Internal figures", "Referrals, cases, NRM referrals and intelligence beside public crime."),
    ("analytics:briefing_index", "Area briefings", "An evidence pack for an LPA, to answer a letter."),
]


@require_GET
def ranking_page(request: HttpRequest) -> HttpResponse:
    require_analytics(request)
    period_form = PeriodForm(request.GET if "to" in request.GET or "months" in request.GET else None)
    model = ranking.load_model()
    inputs = ranking.gather_inputs(request.user, model, period_form.period())
    suppress = ranking.suppression_for(request.user)
    published = ranking.score(inputs, model, stability=True, suppress_below=suppress)
    what_if = WhatIfForm(model, request.GET if "whatif" in request.GET else None)
    tried = None
    if what_if.is_bound and what_if.is_valid():
        tried = ranking.score(inputs, what_if.tried_model(), stability=True, suppress_below=suppress)
    context = {
        "page_title": "Threat-risk ranking",
        "period_form": period_form,
        "period": inputs.period,
        "inputs": inputs,
        "ranking": published,
        "score_bars": [(area.name, round(area.score, 2)) for area in published.areas],
        "form": what_if,
        "tried": tried,
        "movements": ranking.rank_movements(published, tried) if tried else {},
        "exact": suppress is None,
        "threshold": suppress,
    }
    return render(request, "analytics/ranking.html", context)


@require_GET
def siting_page(request: HttpRequest) -> HttpResponse:
    require_analytics(request)
    defaults = siting.load_defaults()
    period_form = PeriodForm(request.GET if "to" in request.GET else None)
    period = period_form.period()
    published = ranking.published_ranking(request.user, period)
    sites = siting.sites_from(published, defaults)
    hubs = list(Hub.objects.visible_to(request.user).select_related("base_lpa").prefetch_related("lpas_served"))
    staff = internal.staff_by_hub()
    detectives, others = sum(s.detective for s in staff.values()), sum(s.non_detective for s in staff.values())
    hub_count = len(hubs) or min(3, len(sites))
    enough = hub_count * defaults.min_posts
    # Today's numbers of each kind of post, where they give every hub its minimum; else the file's.
    initial = {
        "hubs": hub_count,
        "detective_posts": detectives if detectives >= enough else defaults.detective_posts,
        "non_detective_posts": others if others >= enough else defaults.non_detective_posts,
        "max_share": round(defaults.max_share * 100),
        "max_km": "" if defaults.max_km is None else f"{defaults.max_km:g}",
    }
    # Always bound (to today's numbers on a first visit), so a plan nobody can meet is explained
    # beside the field like any other answer.
    form = SitingForm(request.GET if "hubs" in request.GET else initial, n_sites=len(sites))
    proposal = current = None
    differences: list[str] = []
    if form.is_valid():
        rules = siting.rules_from(defaults, form.cleaned_data)
        try:
            proposal = siting.solve(sites, rules)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            current = siting.current_plan(sites, hubs, rules)
            differences = siting.compare(current, proposal, sites, rules)
    context = {
        "page_title": "Hub siting and staffing",
        "form": form,
        "period_form": period_form,
        "period": period,
        "ranking": published,
        "sites": sites,
        "defaults": defaults,
        "proposal": proposal,
        "current": current,
        "differences": differences,
        "staff_known": bool(detectives or others),
    }
    return render(request, "analytics/siting.html", context)


@require_GET
def internal_page(request: HttpRequest) -> HttpResponse:
    require_analytics(request)
    period_form = PeriodForm(request.GET or None)
    categories = serious_violence_categories()
    table = internal.figures_table(request.user, list(current_lpas(request.user)), period_form.period(), categories)
    labels = category_labels()
    context = {
        "page_title": "Internal figures beside public crime figures",
        "period_form": period_form,
        "table": table,
        "category_names": [labels.get(c, c) for c in categories],
        "sources": internal.INTERNAL_SOURCES,
    }
    return render(request, "analytics/internal.html", context)


@require_GET
def briefing_index(request: HttpRequest) -> HttpResponse:
    require_analytics(request)
    lpas = current_lpas(request.user).select_related("force")
    return render(request, "analytics/briefing_index.html", {"page_title": "Area briefings", "lpas": lpas})


@require_GET
def briefing_page(request: HttpRequest, code: str) -> HttpResponse:
    require_analytics(request)
    lpa = get_lpa_for(request.user, code)
    period_form = PeriodForm(request.GET or None)
    pack = briefings.build_briefing(request.user, lpa, period_form.period())
    context = {"page_title": pack.title, "briefing": pack, "period_form": period_form, "query": request.GET.urlencode()}
    return render(request, "analytics/briefing.html", context)


@require_GET
def briefing_pdf(request: HttpRequest, code: str) -> HttpResponse:
    require_analytics(request)
    lpa = get_lpa_for(request.user, code)
    pack = briefings.build_briefing(request.user, lpa, PeriodForm(request.GET or None).period())
    period = pack.period
    return audited_file(
        content=briefings.briefing_pdf(pack),
        filename=f"briefing-{lpa.name.lower().replace(' ', '-')}-{period.last_month:%Y-%m}.pdf",
        content_type="application/pdf",
        record_type="analytics.briefing",
        count=pack.figure_count(),
        filters={"period": period.label, "weights": pack.ranking.model.version},
        obj=lpa,
    )
