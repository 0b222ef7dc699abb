"""Does the money follow the risk? (socex.analytics.money). Needs ``analytics.view``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socex.analytics import money, ranking
from socex.analytics.access import require_analytics
from socex.funding.forms import default_year, parse_year
from socex.funding.models import financial_year_label


@require_GET
def money_page(request: HttpRequest) -> HttpResponse:
    require_analytics(request)
    years = money.funding_year_choices() or [default_year()]
    year = parse_year(request.GET.get("year"))
    year = year if year in years else years[0]
    published = ranking.published_ranking(request.user)
    rows = money.money_against_risk(published, year)
    correlation = money.spearman(rows)
    context = {
        "page_title": "Does the money follow the risk?",
        "rows": rows,
        "year": year,
        "year_label": financial_year_label(year),
        "years": [(y, financial_year_label(y)) for y in years],
        "correlation": correlation,
        "verdict": money.verdict(correlation),
        "total": money.total_funding(rows),
        "per_head_bars": [(row.name, float(row.funding.per_head)) for row in rows],
    }
    return render(request, "analytics/money.html", context)
