"""The seasonal model on synthetic series with a known seasonal shape, the spike check, the
backtest on the real Lambeth months, and the seasonality page."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pytest
from django.urls import reverse

from socex.analytics import seasonal
from socex.analytics.models import CrimeLPAMonth
from socex.analytics.tests import test_import_fixtures as fixtures
from socex.analytics.tests.test_import_fixtures import LAMBETH_COUNTS
from socex.areas.models import LPA

reference = fixtures.reference

# A summer peak and a winter trough; mean 1.
SHAPE = np.array([0.9, 0.85, 0.95, 1.0, 1.05, 1.1, 1.3, 1.25, 1.0, 1.0, 0.9, 0.7])
SHAPE = SHAPE / SHAPE.mean()


def months_from(start: dt.date, n: int) -> list[dt.date]:
    return [seasonal.add_months(start, i) for i in range(n)]


def synthetic(
    n: int = 36, level: float = 400.0, seed: int = 1, shape: np.ndarray = SHAPE
) -> tuple[list[dt.date], list[float]]:
    months = months_from(dt.date(2021, 1, 1), n)
    rng = np.random.default_rng(seed)
    values = [float(rng.poisson(level * shape[m.month - 1])) for m in months]
    return months, values


def test_the_model_recovers_a_known_seasonal_shape_and_forecasts_it():
    months, values = synthetic()

    model = seasonal.fit(months, values)
    ahead = seasonal.forecast(model, horizon=6, coverage=0.8)

    assert np.abs(model.indices - SHAPE).max() < 0.06
    assert model.shrinkage > 0.9
    assert [f.month for f in ahead] == months_from(dt.date(2024, 1, 1), 6)
    for f in ahead:
        truth = 400 * SHAPE[f.month.month - 1]
        assert f.expected == pytest.approx(truth, rel=0.08)
        assert f.lower < f.expected < f.upper


def test_summer_months_are_expected_above_normal_and_marked_as_holidays():
    months, values = synthetic(n=30)  # ends June 2023: the next six months run July to December

    ahead = seasonal.forecast(seasonal.fit(months, values), horizon=6)

    above = [f.month.month for f in ahead if f.above_normal]
    assert above == [7, 8]
    assert [f.month.month for f in ahead if f.summer_holiday] == [7, 8]
    assert not ahead[-1].above_normal  # December, the trough


def test_a_series_with_no_season_is_forecast_flat():
    months, values = synthetic(shape=np.ones(12), seed=3)

    model = seasonal.fit(months, values)

    assert model.shrinkage < 0.5
    assert np.abs(model.indices - 1).max() < 0.03
    assert not any(f.above_normal for f in seasonal.forecast(model))


def test_gaps_are_filled_between_their_neighbours():
    months, values = synthetic(n=24)
    del months[5], values[5]

    model = seasonal.fit(months, values)

    assert model.imputed == [dt.date(2021, 6, 1)]
    assert len(model.values) == 24


def test_a_spike_this_month_is_flagged_and_an_ordinary_month_is_not():
    months, values = synthetic(n=30)
    ordinary = seasonal.spike_check(months, values)
    expected = ordinary.expected
    spiked = seasonal.spike_check(months, [*values[:-1], expected * 1.5])

    assert ordinary.status == "normal"
    assert ordinary.lower < values[-1] < ordinary.upper
    assert spiked.status == "spike"
    assert spiked.observed > spiked.upper
    assert spiked.warning_upper < spiked.upper


def test_too_few_months_cannot_be_forecast():
    with pytest.raises(ValueError, match="at least 4 months"):
        seasonal.fit(months_from(dt.date(2024, 1, 1), 3), [1, 2, 3])
    assert seasonal.spike_check(months_from(dt.date(2024, 1, 1), 4), [1, 2, 3, 4]) is None


def _lambeth(categories: set[str] | None) -> tuple[list[dt.date], list[float]]:
    totals: dict[str, int] = {}
    with LAMBETH_COUNTS.open() as handle:
        for row in csv.DictReader(handle):
            if categories is None or row["category"] in categories:
                totals[row["month"]] = totals.get(row["month"], 0) + int(row["count"])
    months = sorted(totals)
    return [dt.date.fromisoformat(f"{m}-01") for m in months], [float(totals[m]) for m in months]


@pytest.mark.parametrize("categories", [None, {"violent-crime"}])
def test_on_the_lambeth_months_the_model_beats_seasonal_naive_and_default_ets(categories):
    months, values = _lambeth(categories)

    result = seasonal.backtest(months, values)

    assert len(months) == 29  # 2016-01 to 2018-06, March 2016 missing
    assert result["origins"] == 12
    assert result["model"] < result["seasonal_naive"]
    assert result["model"] < result["default_ets"]


@pytest.fixture
def walsall_series(reference) -> LPA:
    """30 months of violent crime in Walsall with a summer peak; the last month a spike."""
    walsall = LPA.objects.get(code="E08000030")
    months, values = synthetic(n=30, level=700)
    values[-1] = values[-1] * 1.6
    CrimeLPAMonth.objects.bulk_create(
        CrimeLPAMonth(month=m, lpa=walsall, category="violent-crime", count=int(v))
        for m, v in zip(months, values, strict=True)
    )
    return walsall


@pytest.mark.django_db
def test_the_seasonality_page_shows_the_forecast_the_summer_and_the_spike(signed_in, analyst, walsall_series):
    response = signed_in(analyst).get(
        reverse("analytics:seasonal"), {"lpa": "E08000030", "categories": ["violent-crime"]}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Spike: above the control limit" in page
    assert 'id="forecast-table"' in page
    assert page.count("School summer holidays") >= 3  # two forecast rows and the chart's key
    assert page.count("Above normal</strong>") == 2
    assert "socex-line-chart" in page
    assert [f.month.month for f in response.context["forecast"]] == [7, 8, 9, 10, 11, 12]


@pytest.mark.django_db
def test_one_month_of_figures_is_too_few_for_a_forecast(signed_in, analyst, walsall_series):
    CrimeLPAMonth.objects.exclude(month=dt.date(2023, 6, 1)).delete()

    page = signed_in(analyst).get(reverse("analytics:seasonal")).content.decode()

    assert "There is 1 month of figures. A forecast needs at least 4" in page
