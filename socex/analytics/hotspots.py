"""LSOA hotspots: counts, rates and the Getis-Ord Gi* statistic, with deprivation beside them.

Gi* (Getis and Ord 1992; Ord and Getis 1995) compares the sum of a value over an area and its
neighbours with what the whole map would give by chance:

    Gi* = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n sum_j w_ij^2 - W_i^2) / (n - 1)))

with binary queen-contiguity weights that include the area itself (w_ii = 1), W_i = sum_j w_ij,
xbar and S the mean and standard deviation of x over all n areas. Gi* is a z-score: a large
positive value is a cluster of high values (a hotspot), a large negative one a cold spot.
p-values are two-sided from the normal distribution; because one test is run per LSOA, the
page also marks the hotspots that survive a Benjamini-Hochberg false discovery rate control.
The statistic is computed on the rate per 1,000 residents over the whole force (clusters do
not stop at LPA borders); pages then show the LPA asked for.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from socex.analytics import conf, crime
from socex.analytics.crime import Period


@dataclass(frozen=True)
class GiStar:
    z: np.ndarray
    p: np.ndarray
    fdr_significant: np.ndarray


def gi_star(values: Sequence[float], neighbours: Sequence[Sequence[int]], alpha: float | None = None) -> GiStar:
    """Gi* z-scores and p-values for ``values``; ``neighbours[i]`` are the indexes next to area i
    (queen contiguity; the area itself is added here)."""
    from scipy import sparse
    from scipy.stats import norm

    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 3:
        raise ValueError("Gi* needs at least three areas.")
    rows = np.concatenate([np.arange(n), np.repeat(np.arange(n), [len(nb) for nb in neighbours])])
    cols = np.concatenate([np.arange(n), np.fromiter((j for nb in neighbours for j in nb), dtype=int)])
    w = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    w.data[:] = 1.0  # an area listed twice as a neighbour still counts once
    w.sum_duplicates()
    w.data[:] = 1.0
    weights = np.asarray(w.sum(axis=1)).ravel()
    mean = x.mean()
    s = np.sqrt((x**2).mean() - mean**2)
    numerator = w @ x - mean * weights
    denominator = s * np.sqrt((n * weights - weights**2) / (n - 1))  # binary weights: sum w^2 = W
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(denominator > 0, numerator / denominator, 0.0)
    p = 2 * norm.sf(np.abs(z))
    alpha = conf.hotspot_alpha() if alpha is None else alpha
    return GiStar(z=z, p=p, fdr_significant=benjamini_hochberg(p, alpha))


def benjamini_hochberg(p: np.ndarray, alpha: float) -> np.ndarray:
    """True where a p-value is significant under Benjamini-Hochberg FDR control at ``alpha``."""
    n = len(p)
    order = np.argsort(p)
    thresholds = alpha * np.arange(1, n + 1) / n
    passed = p[order] <= thresholds
    significant = np.zeros(n, dtype=bool)
    if passed.any():
        last = np.max(np.nonzero(passed)[0])
        significant[order[: last + 1]] = True
    return significant


@dataclass(frozen=True)
class Deprivation:
    imd2025_score: float | None
    imd2025_decile: int | None
    imd2019_rank: int | None
    imd2019_decile: int | None


def deprivation_file() -> Path:
    from django.conf import settings

    name = str(getattr(settings, "SOCEX_ANALYTICS_DEPRIVATION_FILE", "imd-lsoa21-west-midlands.csv"))
    path = Path(name)
    return path if path.is_absolute() else conf.REFERENCE_DIR / path


@cache
def _deprivation(path: Path) -> dict[str, Deprivation]:
    def num(text: str, kind: type) -> object:
        return kind(text) if text else None

    with path.open(encoding="utf-8") as handle:
        return {
            row["lsoa21_code"]: Deprivation(
                num(row["imd2025_score"], float),  # type: ignore[arg-type]
                num(row["imd2025_decile"], int),  # type: ignore[arg-type]
                num(row["imd2019_rank"], int),  # type: ignore[arg-type]
                num(row["imd2019_decile"], int),  # type: ignore[arg-type]
            )
            for row in csv.DictReader(handle)
        }


def deprivation() -> dict[str, Deprivation]:
    """IMD 2025 and IMD 2019 by LSOA 2021 code (``SOCEX_ANALYTICS_DEPRIVATION_FILE``)."""
    return _deprivation(deprivation_file())


@dataclass
class LSOARow:
    code: str
    name: str
    lpa_code: str
    lpa_name: str
    population: int
    count: int
    rate: float | None
    z: float
    p: float
    hotspot: bool
    coldspot: bool
    fdr: bool
    deprivation: Deprivation | None

    @property
    def classification(self) -> str:
        if self.hotspot:
            return "Hotspot"
        if self.coldspot:
            return "Cold spot"
        return "Not significant"


@dataclass
class Hotspots:
    period: Period
    categories: list[str]
    rows: list[LSOARow]  # every LSOA of the force, by code

    def for_lpa(self, lpa_code: str | None) -> list[LSOARow]:
        return [r for r in self.rows if lpa_code is None or r.lpa_code == lpa_code]

    def ranked(self, lpa_code: str | None = None) -> list[LSOARow]:
        return sorted(self.for_lpa(lpa_code), key=lambda r: (-r.z, r.code))

    def map_values(self, lpa_code: str | None = None) -> dict[str, dict[str, object]]:
        values: dict[str, dict[str, object]] = {}
        for r in self.for_lpa(lpa_code):
            d = r.deprivation
            values[r.code] = {
                "count": r.count,
                "rate": None if r.rate is None else round(r.rate, 2),
                "z": round(r.z, 2),
                "imd2025": d.imd2025_decile if d else None,
                "imd2019": d.imd2019_decile if d else None,
            }
        return values


def hotspots(categories: Sequence[str], period: Period, force_id: int | None = None) -> Hotspots:
    """Counts, rates and Gi* for every LSOA of the force over ``period``."""
    from socex.areas.boundaries import lsoa_neighbours
    from socex.areas.models import LSOA

    lsoas = LSOA.objects.select_related("lpa").order_by("code")
    if force_id is not None:
        lsoas = lsoas.filter(lpa__force_id=force_id)
    areas = list(lsoas.values_list("id", "code", "name", "population", "lpa__code", "lpa__name"))
    counts = crime.lsoa_totals(list(categories), period)
    index = {code: i for i, (_, code, *_rest) in enumerate(areas)}
    links = lsoa_neighbours()
    neighbours = [[index[c] for c in links.get(code, ()) if c in index] for _, code, *_rest in areas]
    per = conf.population_per()
    rates = [counts.get(pk, 0) * per / pop if pop else 0.0 for pk, _, _, pop, _, _ in areas]
    result = gi_star(rates, neighbours) if len(areas) >= 3 else None
    alpha = conf.hotspot_alpha()
    depr = deprivation()
    rows = []
    for i, (pk, code, name, pop, lpa_code, lpa_name) in enumerate(areas):
        z = float(result.z[i]) if result is not None else 0.0
        p = float(result.p[i]) if result is not None else 1.0
        rows.append(
            LSOARow(
                code=code,
                name=name,
                lpa_code=lpa_code,
                lpa_name=lpa_name,
                population=pop,
                count=counts.get(pk, 0),
                rate=rates[i] if pop else None,
                z=z,
                p=p,
                hotspot=z > 0 and p < alpha,
                coldspot=z < 0 and p < alpha,
                fdr=bool(result.fdr_significant[i]) if result is not None else False,
                deprivation=depr.get(code),
            )
        )
    return Hotspots(period=period, categories=list(categories), rows=rows)


def correlation_with_deprivation(rows: Sequence[LSOARow]) -> float | None:
    """Spearman's rank correlation between the rate and the IMD 2025 score (higher = more deprived)."""
    from scipy.stats import spearmanr

    pairs = [
        (r.rate, r.deprivation.imd2025_score)
        for r in rows
        if r.rate is not None and r.deprivation and r.deprivation.imd2025_score is not None
    ]
    if len(pairs) < 3:
        return None
    rho = spearmanr([a for a, _ in pairs], [b for _, b in pairs]).statistic
    return None if np.isnan(rho) else float(rho)
