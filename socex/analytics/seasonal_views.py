"""Seasonality and summer spikes: a forecast with its interval, months above normal with the
school summer holidays marked, and this month against the expected with control limits."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socex.analytics import conf, crime, seasonal
from socex.analytics.access import require_analytics
from socex.analytics.crime import Period
from socex.analytics.needs_forms import SeasonalForm
from socex.areas.access import get_lpa_for


@require_GET
def seasonal_view(request: HttpRequest) -> HttpResponse:
    require_analytics(request)
    bounds = crime.month_bounds()
    if bounds is None:
        return render(request, "analytics/no_data.html", {"page_title": "Seasonality and spikes"})
    form = SeasonalForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    categories, lpa_code = form.choice()
    lpa = get_lpa_for(request.user, lpa_code) if lpa_code else None
    context = {
        "page_title": "Seasonality and spikes",
        "form": form,
        "lpa": lpa,
        "labels": conf.category_labels(),
        "categories": categories,
        "interval": conf.interval(),
        "sigma": conf.control_sigma(),
        "threshold": seasonal.above_normal_threshold(),
    }
    if valid:
        series = crime.monthly_series(categories, Period(*bounds), lpa.pk if lpa else None)
        settings_key = (
            conf.interval(),
            conf.control_sigma(),
            conf.forecast_months(),
            seasonal.above_normal_threshold(),
        )
        context.update(_outlook(tuple(series), settings_key))
    return render(request, "analytics/seasonal.html", context)


@lru_cache(maxsize=512)
def _outlook(series: tuple[tuple[dt.date, int], ...], settings_key: tuple[float, ...]) -> dict[str, object]:
    """The model, forecast and spike check for a series. Cached: the same figures (and settings,
    in ``settings_key``) always give the same outlook, and fitting is the slow part of the page."""
    months = [m for m, _ in series]
    values = [v for _, v in series]
    if len(series) < seasonal.MIN_MONTHS:
        return {"too_short": True, "month_count": len(series), "min_months": seasonal.MIN_MONTHS}
    model = seasonal.fit(months, values)
    ahead = seasonal.forecast(model)
    labels = [f"{m:%b %Y}" for m in model.months] + [f"{f.month:%b %Y}" for f in ahead]
    history = [round(float(v)) for v in model.values]
    gap = [None] * len(history)
    # The forecast line starts at the last observed month so the two lines join.
    expected = gap[:-1] + [history[-1]] + [round(f.expected) for f in ahead]
    band = {
        "name": f"{conf.interval():.0%} interval",
        "lower": gap + [round(f.lower) for f in ahead],
        "upper": gap + [round(f.upper) for f in ahead],
    }
    all_months = model.months + [f.month for f in ahead]
    marks = [i for i, m in enumerate(all_months) if seasonal.in_summer_holiday(m)]
    return {
        "model": model,
        "forecast": ahead,
        "chart_labels": labels,
        "chart_series": [
            {"name": "Recorded", "values": history + [None] * len(ahead)},
            {"name": "Forecast", "values": expected},
        ],
        "band": band,
        "marks": marks,
        "spike": seasonal.spike_check(months, values),
        "indices": [(calendar.month_name[i + 1], float(x)) for i, x in enumerate(model.indices)],
        "above": [f for f in ahead if f.above_normal],
        "month_count": len(model.months),
    }
