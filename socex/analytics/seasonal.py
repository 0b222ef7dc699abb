"""Seasonal models of monthly crime counts: forecasts, months above normal, and spikes.

The model (chosen by the rolling-origin backtest on the Lambeth months; see ADR 0019 and
``benchmarks/analytics_backtest.py``): a classical multiplicative decomposition with the seasonal
indices shrunk towards "no season" by how much of their spread is noise, then simple
exponential smoothing, ETS(A,N,N), on the seasonally adjusted series.

* The seasonal index of each calendar month is the mean ratio of the count to its centred
  12-month moving average. With two or three years of data an index holds a lot of noise, so
  all of them are multiplied by ``w = max(0, 1 - noise/signal)``: the share of their variance
  that is not explained by noise (an empirical-Bayes shrinkage). A series with no real season
  gets ``w = 0`` and is forecast flat.
* The level is ETS(A,N,N) on the adjusted series (statsmodels ``ETSModel``); the forecast is the
  level times each month's index, with the model's prediction interval scaled the same way.
* This month's control limits: the one-step-ahead forecast from the months before it, plus
  or minus ``SOCEX_ANALYTICS_CONTROL_SIGMA`` standard deviations of the one-step errors (never
  less than the Poisson spread, the square root of the expected count).

Everything works on plain lists of counts, so it is tested on synthetic series with a known
seasonal shape (``tests/test_seasonal.py``).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from socex.analytics import conf

PERIOD = 12
MIN_SEASONAL = PERIOD + 1  # a season needs every calendar month at least once, and one more
MIN_MONTHS = 4


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


@dataclass
class SeasonalFit:
    months: list[dt.date]
    values: np.ndarray
    imputed: list[dt.date]
    indices: np.ndarray  # by calendar month, 1 = January (index 0)
    shrinkage: float
    level: float
    sigma: float
    seasonal: bool
    _model: object | None = field(default=None, repr=False)

    def index_for(self, month: dt.date) -> float:
        return float(self.indices[month.month - 1])


def _fill(months: Sequence[dt.date], values: Sequence[float | None]) -> tuple[list[dt.date], np.ndarray, list[dt.date]]:
    """A gap-free monthly series: missing months (None, or absent) filled by linear interpolation."""
    known = {m: v for m, v in zip(months, values, strict=True) if v is not None}
    full = month_range(min(known), max(known))
    series = np.array([known.get(m, np.nan) for m in full], dtype=float)
    imputed = [m for m, v in zip(full, series, strict=True) if math.isnan(v)]
    if imputed:
        positions = np.arange(len(series))
        ok = ~np.isnan(series)
        series = np.interp(positions, positions[ok], series[ok])
    return full, series, imputed


def seasonal_indices(values: np.ndarray, months: Sequence[dt.date]) -> tuple[np.ndarray, float]:
    """Multiplicative seasonal indices by calendar month (mean 1), shrunk; and the shrinkage weight."""
    n = len(values)
    if n < MIN_SEASONAL:
        return np.ones(PERIOD), 0.0
    kernel = np.ones(PERIOD) / PERIOD
    # Centred 12-month moving average (a 2x12 MA), extended flat to the ends.
    ma = np.convolve(values, kernel, mode="valid")
    centred = (ma[:-1] + ma[1:]) / 2
    trend = np.full(n, np.nan)
    trend[PERIOD // 2 : PERIOD // 2 + len(centred)] = centred
    first, last = PERIOD // 2, PERIOD // 2 + len(centred) - 1
    trend[:first] = trend[first]
    trend[last + 1 :] = trend[last]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(trend > 0, values / trend, 1.0) - 1.0
    calendar = np.array([m.month - 1 for m in months])
    raw = np.array([ratio[calendar == j].mean() for j in range(PERIOD)])
    raw -= raw.mean()
    resid = ratio - raw[calendar]
    counts = np.array([(calendar == j).sum() for j in range(PERIOD)])
    noise = float(np.var(resid, ddof=1)) if n > 1 else 0.0
    signal = float(np.var(raw))
    weight = max(0.0, 1.0 - float(np.mean(noise / counts)) / signal) if signal > 0 else 0.0
    return 1.0 + raw * weight, weight


def fit(months: Sequence[dt.date], values: Sequence[float | None]) -> SeasonalFit:
    """Fit the model to a monthly series (first-of-month dates; None or gaps are interpolated)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    full, series, imputed = _fill(months, values)
    if len(series) < MIN_MONTHS:
        raise ValueError(f"A forecast needs at least {MIN_MONTHS} months of figures; there are {len(series)}.")
    indices, weight = seasonal_indices(series, full)
    factors = np.array([indices[m.month - 1] for m in full])
    adjusted = series / factors
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if np.ptp(adjusted) == 0:
            model, level, sigma = None, float(adjusted[-1]), 0.0
        else:
            model = ETSModel(adjusted, error="add", trend=None, seasonal=None).fit(disp=False)
            level = float(model.forecast(1)[0])
            sigma = float(math.sqrt(max(model.mse, 0.0)))
    return SeasonalFit(
        months=full,
        values=series,
        imputed=imputed,
        indices=indices,
        shrinkage=weight,
        level=level,
        sigma=sigma,
        seasonal=len(series) >= MIN_SEASONAL,
        _model=model,
    )


@dataclass(frozen=True)
class ForecastMonth:
    month: dt.date
    expected: float
    lower: float
    upper: float
    index: float
    above_normal: bool
    summer_holiday: bool


def forecast(model: SeasonalFit, horizon: int | None = None, coverage: float | None = None) -> list[ForecastMonth]:
    """The next ``horizon`` months: expected counts with a ``coverage`` prediction interval."""
    from scipy.stats import norm

    horizon = horizon or conf.forecast_months()
    coverage = coverage or conf.interval()
    z = float(norm.ppf(0.5 + coverage / 2))
    start = add_months(model.months[-1], 1)
    threshold = above_normal_threshold()
    out = []
    for h in range(1, horizon + 1):
        month = add_months(start, h - 1)
        index = model.index_for(month)
        # ETS(A,N,N): the h-step variance is sigma^2 (1 + (h-1) alpha^2).
        alpha = float(getattr(model._model, "smoothing_level", 0.0) or 0.0)
        spread = z * model.sigma * math.sqrt(1 + (h - 1) * alpha**2)
        expected = model.level * index
        out.append(
            ForecastMonth(
                month=month,
                expected=max(expected, 0.0),
                lower=max((model.level - spread) * index, 0.0),
                upper=max((model.level + spread) * index, 0.0),
                index=index,
                above_normal=index >= 1 + threshold,
                summer_holiday=in_summer_holiday(month),
            )
        )
    return out


def above_normal_threshold() -> float:
    """A month runs 'above normal' when its seasonal index is at least this much above 1."""
    from django.conf import settings

    return float(getattr(settings, "SOCEX_ANALYTICS_ABOVE_NORMAL", 0.05))


def in_summer_holiday(month: dt.date, min_days: int = 7) -> bool:
    """True if at least ``min_days`` of the month fall in the school summer holidays (config data)."""
    end = add_months(month, 1) - dt.timedelta(days=1)
    for holiday in conf.school_summer_holidays():
        overlap = (min(end, holiday.end) - max(month, holiday.start)).days + 1
        if overlap >= min_days:
            return True
    return False


@dataclass(frozen=True)
class SpikeCheck:
    month: dt.date
    observed: float
    expected: float
    warning_lower: float
    warning_upper: float
    lower: float
    upper: float
    status: str  # "spike", "high", "normal", "low"

    @property
    def label(self) -> str:
        return {
            "spike": "Spike: above the control limit",
            "high": "Higher than usual: above the warning limit",
            "low": "Lower than usual: below the warning limit",
        }.get(self.status, "Within the expected range")


def spike_check(months: Sequence[dt.date], values: Sequence[float | None]) -> SpikeCheck | None:
    """The latest month's count against what the months before it predicted, with control limits.

    ``None`` when there are too few earlier months to predict it.
    """
    pairs = [(m, v) for m, v in zip(months, values, strict=True) if v is not None]
    if len(pairs) < MIN_MONTHS + 1:
        return None
    *before, (month, observed) = pairs
    model = fit([m for m, _ in before], [v for _, v in before])
    steps = (month.year - model.months[-1].year) * 12 + month.month - model.months[-1].month
    expected = forecast(model, horizon=steps, coverage=0.5)[-1].expected
    sigma = max(model.sigma * model.index_for(month), math.sqrt(max(expected, 1.0)))
    k = conf.control_sigma()
    warn = min(2.0, k)
    status = "normal"
    if observed > expected + k * sigma:
        status = "spike"
    elif observed > expected + warn * sigma:
        status = "high"
    elif observed < expected - warn * sigma:
        status = "low"
    return SpikeCheck(
        month=month,
        observed=float(observed),
        expected=expected,
        warning_lower=max(expected - warn * sigma, 0.0),
        warning_upper=expected + warn * sigma,
        lower=max(expected - k * sigma, 0.0),
        upper=expected + k * sigma,
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# Backtest: rolling origin, MASE against seasonal naive and a default ETS
# ---------------------------------------------------------------------------------------------


def _model_forecast(train: np.ndarray, months: Sequence[dt.date], h: int) -> np.ndarray:
    model = fit(list(months), list(train))
    return np.array([f.expected for f in forecast(model, horizon=h, coverage=0.5)])


def _seasonal_naive(train: np.ndarray, h: int) -> np.ndarray:
    return np.array([train[len(train) - PERIOD + (i % PERIOD)] for i in range(h)])


def _default_ets(train: np.ndarray, h: int) -> np.ndarray:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(ETSModel(train).fit(disp=False).forecast(h))


def _holt_winters(train: np.ndarray, h: int) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(
            train, trend="add", seasonal="add", seasonal_periods=PERIOD, initialization_method="estimated"
        )
        return np.asarray(model.fit().forecast(h))


def backtest(
    months: Sequence[dt.date], values: Sequence[float | None], *, first_origin: int = 18, horizon: int = 6
) -> dict[str, float]:
    """Mean MASE over rolling origins (train on the first t months, forecast up to ``horizon``).

    MASE scales each origin's mean absolute error by the in-sample mean absolute error of the
    seasonal naive forecast on that origin's training months. Returns MASE by method over every
    origin: ``model`` (this module), ``seasonal_naive``, ``default_ets`` (statsmodels ETSModel
    with its defaults, i.e. ETS(A,N,N)); and, over the origins with two full years of training
    months (Holt-Winters cannot start with fewer), the same three plus ``holt_winters``
    (additive trend and season), keys ending ``_24``. ``origins`` and ``origins_24`` count them.
    """
    full, series, _ = _fill(months, values)
    methods = {
        "model": lambda tr, h, t: _model_forecast(tr, full[:t], h),
        "seasonal_naive": lambda tr, h, t: _seasonal_naive(tr, h),
        "default_ets": lambda tr, h, t: _default_ets(tr, h),
        "holt_winters": lambda tr, h, t: _holt_winters(tr, h),
    }
    errors: dict[str, list[float]] = {}
    origins = origins_24 = 0
    for t in range(first_origin, len(series)):
        train, test = series[:t], series[t : t + horizon]
        scale = float(np.mean(np.abs(train[PERIOD:] - train[:-PERIOD])))
        if scale == 0:
            continue
        origins += 1
        origins_24 += t >= 2 * PERIOD
        for name, method in methods.items():
            if name == "holt_winters" and t < 2 * PERIOD:
                continue
            mase = float(np.mean(np.abs(test - method(train, len(test), t)))) / scale
            if name != "holt_winters":
                errors.setdefault(name, []).append(mase)
            if t >= 2 * PERIOD:
                errors.setdefault(f"{name}_24", []).append(mase)
    result = {name: float(np.mean(values)) for name, values in errors.items() if values}
    result["origins"] = float(origins)
    result["origins_24"] = float(origins_24)
    return result
