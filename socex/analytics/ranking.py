"""The threat-risk ranking of LPAs: a transparent scoring model in the spirit of MoRiLE.

    score = harm x likelihood x capacity

* Every measure is first turned into a **ratio to the force-wide figure** (1.00 = the force
  average; the force figure weights each LPA by its denominator, so it is the rate for the
  whole force).
* **Harm** is the weighted mean of the harm ratios (serious violence, youth violence,
  exploitation referrals, NRM referrals), **likelihood** the weighted mean of the likelihood
  ratios (intelligence volume, deprivation). The weights, which measure belongs to which, the
  crime categories and the denominators come from a versioned file
  (``reference/weights-<version>.json``), never from code.
* **Capacity**: hub posts serving the LPA per resident against the force figure ``c``; the
  factor ``1 + a(1 - min(c, 2))`` raises an under-served area by up to ``a`` and lowers a
  well-served one by up to ``a`` (``a`` is the capacity weight in the file).
* **Confidence** is the share of the weight resting on measures with data and at least
  ``min_count`` events behind them: high, medium or low.
* **Stability**: each weight is moved at random within +/- ``spread`` many times (and each one
  alone by exactly +/- ``spread``) and the ranking recomputed. The page says whether it holds.

ADR 0020 explains what "MoRiLE-style" means here and why. :func:`score` is pure (no
database), so the tests check it on hand-computed cases; :func:`gather_inputs` reads the data.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from django.core.exceptions import ImproperlyConfigured

from socex.analytics import internal, options
from socex.analytics.weights import DIMENSIONS, Component, ScoringModel, load_model

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User

TIMES = "\u00d7"  # the multiplication sign
CAPACITY_CAP = 2.0  # staffing above twice the force figure earns no further reduction


# --- inputs: what was measured in each LPA ----------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One measure for one LPA: its value (a rate or a score), the base that weights it into the
    force figure (the denominator), and how many events it rests on (None for scores)."""

    value: float | None
    base: float = 0.0
    count: float | None = None


@dataclass(frozen=True)
class AreaInput:
    code: str
    name: str
    residents: int
    measures: Mapping[str, Measure]
    posts: float | None = None  # hub posts serving the LPA (a share of each hub's staff)


@dataclass(frozen=True)
class LpaContext:
    code: str
    name: str
    population: float
    imd_score: float
    share_most_deprived_decile: float
    latitude: float
    longitude: float


@cache
def _read_context(path: Path, mtime: float) -> dict[str, LpaContext]:
    with path.open(encoding="utf-8") as handle:
        return {
            row["lpa_code"]: LpaContext(
                code=row["lpa_code"],
                name=row["lpa_name"],
                population=float(row["population_2024"]),
                imd_score=float(row["imd_score"]),
                share_most_deprived_decile=float(row["share_most_deprived_decile"]),
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        }


def lpa_context() -> dict[str, LpaContext]:
    """Deprivation and centre of each LPA (``SOCEX_ANALYTICS_LPA_CONTEXT``), by LPA code."""
    path = options.lpa_context_file()
    if not path.exists():
        raise ImproperlyConfigured(f"{path.name}: the LPA context file does not exist (SOCEX_ANALYTICS_LPA_CONTEXT)")
    return _read_context(path, path.stat().st_mtime)


@dataclass
class Inputs:
    period: internal.Period
    areas: list[AreaInput]
    crime_months: int
    missing_internal: list[str]
    posts_known: bool


def gather_inputs(
    user: User | AnonymousUser,
    model: ScoringModel,
    period: internal.Period,
    *,
    crimes: internal.CrimeCounts | None = None,
    counts: internal.InternalCounts | None = None,
) -> Inputs:
    """Every measure the model names, for each current LPA the user may see. ``crimes`` and
    ``counts`` for the same period may be passed in by a caller that has already read them."""
    from socex.areas.queries import lpa_summaries

    summaries = lpa_summaries(user)
    crimes = crimes or internal.crime_counts(period)
    needed = {c.internal for c in model.components if c.source == "internal"}
    counts = counts or internal.internal_counts(period, [s for s in internal.INTERNAL_SOURCES if s.key in needed])
    context = lpa_context()
    posts = internal.posts_by_lpa()
    crime_years = crimes.months_with_data / 12
    internal_years = period.months / 12
    areas = []
    for summary in summaries:
        lpa = summary.lpa
        denominators = {"residents": lpa.population, "residents_0_24": summary.residents_0_24}
        measures: dict[str, Measure] = {}
        for component in model.components:
            if component.source == "deprivation":
                found = context.get(lpa.code)
                measures[component.key] = (
                    Measure(getattr(found, component.measure), base=found.population) if found else Measure(None)
                )
                continue
            base = denominators[component.denominator] or 0
            if component.source == "crime":
                count, years = float(crimes.count(lpa.pk, component.categories)), crime_years
            elif component.internal in counts.missing:
                measures[component.key] = Measure(None)
                continue
            else:
                count, years = float(counts.count(component.internal, lpa.pk)), internal_years
            value = count / years / base * component.per if base and years else None
            measures[component.key] = Measure(value, base=float(base), count=count)
        areas.append(
            AreaInput(
                code=lpa.code, name=lpa.name, residents=lpa.population, measures=measures, posts=posts.get(lpa.pk)
            )
        )
    return Inputs(
        period=period,
        areas=areas,
        crime_months=crimes.months_with_data,
        missing_internal=counts.missing,
        posts_known=bool(posts) and sum(posts.values()) > 0,
    )


# --- scoring ------------------------------------------------------------------------------


@dataclass
class ComponentScore:
    component: Component
    value: float | None
    count: float | None
    force_value: float | None
    ratio: float | None
    share: float  # its weight as a share of the weights of its dimension's measures with figures
    contribution: float | None  # its part of the harm or likelihood index (share x ratio)
    evidenced: bool
    suppressed: bool = False  # a small count of internal records the viewer may not see

    @property
    def push(self) -> float:
        """How far it moves its index from the force average (share x (ratio - 1)); the pushes sum to index - 1."""
        return self.share * (self.ratio - 1) if self.ratio is not None else 0.0

    @property
    def available(self) -> bool:
        return self.ratio is not None


@dataclass
class AreaScore:
    code: str
    name: str
    residents: int
    harm: float
    likelihood: float
    capacity: float
    score: float
    rank: int = 0
    demand: float = 0.0
    demand_share: float = 0.0
    confidence: str = ""
    confidence_share: float = 0.0
    components: list[ComponentScore] = field(default_factory=list)
    posts: float | None = None
    posts_ratio: float | None = None
    sentences: list[str] = field(default_factory=list)

    def component(self, key: str) -> ComponentScore:
        return next(c for c in self.components if c.component.key == key)


@dataclass
class Swap:
    higher: str
    lower: str
    share: float


@dataclass
class Stability:
    draws: int
    spread: float
    same_order_share: float
    rank_ranges: dict[str, tuple[int, int]]
    kept_rank_share: dict[str, float]
    swaps: list[Swap]
    single_changes: list[str]
    verdict: str  # "holds", "mostly holds", "does not hold"
    sentence: str

    @property
    def holds(self) -> bool:
        return self.verdict == "holds"


@dataclass
class Ranking:
    model: ScoringModel
    areas: list[AreaScore]
    force_values: dict[str, float | None]
    unavailable: list[Component]
    notes: list[str]
    posts_known: bool
    stability: Stability | None = None

    def area(self, code: str) -> AreaScore:
        return next(a for a in self.areas if a.code == code)

    def ties(self) -> list[str]:
        """A sentence for each group of areas with the same score (their order is alphabetical)."""
        groups: dict[float, list[str]] = {}
        for area in self.areas:
            groups.setdefault(round(area.score, 9), []).append(area.name)
        return [
            f"{', '.join(names[:-1])} and {names[-1]} have the same score ({value:.2f}), so they are listed "
            "alphabetically; their order means nothing."
            for value, names in groups.items()
            if len(names) > 1
        ]


def _matrices(
    areas: Sequence[AreaInput], model: ScoringModel
) -> tuple[np.ndarray, np.ndarray, dict[str, float | None], np.ndarray]:
    """Ratios to the force figure (areas x components), the availability mask, the force figures
    and each area's staffing ratio (NaN where staffing is not known)."""
    n, m = len(areas), len(model.components)
    ratios, mask = np.zeros((n, m)), np.zeros((n, m))
    force: dict[str, float | None] = {}
    for k, component in enumerate(model.components):
        measures = [a.measures.get(component.key, Measure(None)) for a in areas]
        usable = [(i, mm.value, mm.base) for i, mm in enumerate(measures) if mm.value is not None and mm.base > 0]
        total_base = sum(base for _, _, base in usable)
        reference = sum(value * base for _, value, base in usable) / total_base if total_base else 0.0
        force[component.key] = reference if reference > 0 else None
        if reference <= 0:
            continue
        for i, value, _ in usable:
            ratios[i, k] = value / reference
            mask[i, k] = 1.0
    posts = [a.posts for a in areas]
    total_posts = sum(p for p in posts if p is not None)
    total_residents = sum(a.residents for a in areas)
    staffing = np.full(n, np.nan)
    if total_posts > 0 and total_residents > 0:
        per_resident = total_posts / total_residents
        for i, area in enumerate(areas):
            if area.residents:
                staffing[i] = ((area.posts or 0.0) / area.residents) / per_resident
    return ratios, mask, force, staffing


def _indices(
    ratios: np.ndarray,
    mask: np.ndarray,
    dims: np.ndarray,
    weights: np.ndarray,
    staffing: np.ndarray,
    capacity: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Harm, likelihood and capacity factor for each area (rows) under each weight set (columns).

    ``weights`` is weight-sets x components; ``capacity`` one capacity weight per weight set.
    An area with no usable measure in a dimension is put at the force average (1.0) there.
    """
    results = []
    for dimension in DIMENSIONS:
        selected = (dims == dimension).astype(float)
        numerator = (ratios * mask * selected) @ weights.T
        denominator = (mask * selected) @ weights.T
        with np.errstate(invalid="ignore", divide="ignore"):
            results.append(np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), 1.0))
    known = ~np.isnan(staffing)
    shortfall = np.where(known, 1.0 - np.minimum(np.nan_to_num(staffing, nan=1.0), CAPACITY_CAP), 0.0)
    factor = 1.0 + np.outer(shortfall, capacity)
    return results[0], results[1], factor


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank (1 = highest) of each row in each column; ties keep the input (alphabetical) order."""
    order = np.argsort(-np.round(scores, 12), axis=0, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(scores.shape[0])[:, None]
    np.put_along_axis(ranks, order, np.broadcast_to(rows + 1, order.shape), axis=0)
    return ranks


def _confidence(model: ScoringModel, share: float) -> str:
    if share >= model.high:
        return "High"
    if share >= model.medium:
        return "Medium"
    return "Low"


def score(
    inputs: Sequence[AreaInput] | Inputs,
    model: ScoringModel,
    *,
    stability: bool = False,
    suppress_below: int | None = None,
) -> Ranking:
    """Score and rank the areas. Pure: the same inputs and model always give the same ranking.

    ``suppress_below`` (for viewers outside the police) marks measures of internal records that
    rest on 1 to ``suppress_below - 1`` events as suppressed: the page and the sentences then
    give no figure or ratio for them, though they still count in the score."""
    posts_known = True
    if isinstance(inputs, Inputs):
        posts_known = inputs.posts_known
        inputs = inputs.areas
    areas = sorted(inputs, key=lambda a: (a.name, a.code))
    dims = np.array([c.dimension for c in model.components])
    weights = np.array([[c.weight for c in model.components]])
    ratios, mask, force, staffing = _matrices(areas, model)
    harm, likelihood, capacity = _indices(ratios, mask, dims, weights, staffing, np.array([model.capacity_weight]))
    scores = harm * likelihood * capacity
    ranks = _ranks(scores)[:, 0]
    demand = np.array([a.residents for a in areas], dtype=float) * harm[:, 0] * likelihood[:, 0]
    total_demand = demand.sum()
    total_weight = sum(c.weight for c in model.components) or 1.0

    results = []
    for i, area in enumerate(areas):
        dimension_weight = {
            d: sum(c.weight for k, c in enumerate(model.components) if c.dimension == d and mask[i, k])
            for d in DIMENSIONS
        }
        parts = []
        evidenced_weight = 0.0
        for k, component in enumerate(model.components):
            measure = area.measures.get(component.key, Measure(None))
            available = bool(mask[i, k])
            evidenced = available and (measure.count is None or measure.count >= model.min_count)
            if evidenced:
                evidenced_weight += component.weight
            share = (
                component.weight / dimension_weight[component.dimension] if dimension_weight[component.dimension] else 0
            )
            parts.append(
                ComponentScore(
                    component=component,
                    value=measure.value,
                    count=measure.count,
                    force_value=force[component.key],
                    ratio=float(ratios[i, k]) if available else None,
                    share=float(share) if available else 0.0,
                    contribution=float(share * ratios[i, k]) if available else None,
                    evidenced=evidenced,
                    suppressed=bool(
                        suppress_below
                        and component.source == "internal"
                        and measure.count is not None
                        and 0 < measure.count < suppress_below
                    ),
                )
            )
        confidence_share = evidenced_weight / total_weight
        results.append(
            AreaScore(
                code=area.code,
                name=area.name,
                residents=area.residents,
                harm=float(harm[i, 0]),
                likelihood=float(likelihood[i, 0]),
                capacity=float(capacity[i, 0]),
                score=float(scores[i, 0]),
                rank=int(ranks[i]),
                demand=float(demand[i]),
                demand_share=float(demand[i] / total_demand) if total_demand else 0.0,
                confidence=_confidence(model, confidence_share),
                confidence_share=confidence_share,
                components=parts,
                posts=area.posts,
                posts_ratio=None if np.isnan(staffing[i]) else float(staffing[i]),
            )
        )
    results.sort(key=lambda a: a.rank)
    unavailable = [c for c in model.components if force[c.key] is None]
    ranking = Ranking(
        model=model,
        areas=results,
        force_values=force,
        unavailable=unavailable,
        notes=_notes(model, unavailable, posts_known and not np.isnan(staffing).all()),
        posts_known=posts_known and not np.isnan(staffing).all(),
    )
    for area_score in results:
        area_score.sentences = explain(area_score, ranking)
    if stability and len(areas) > 1:
        ranking.stability = assess_stability(areas, model, ranks, ratios, mask, staffing)
    return ranking


def _notes(model: ScoringModel, unavailable: Sequence[Component], posts_known: bool) -> list[str]:
    notes = [
        f"{c.label} has no figures for any LPA in this period, so it is left out and the other "
        f"{DIMENSIONS[c.dimension].lower()} measures carry its weight."
        for c in unavailable
        if c.weight > 0
    ]
    if not posts_known and model.capacity_weight > 0:
        notes.append("No hub staff are recorded, so capacity does not change any score.")
    return notes


# --- plain English --------------------------------------------------------------------------


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def lower_first(label: str) -> str:
    """ "Serious violence" -> "serious violence", but "NRM referrals" stays as it is."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def times(ratio: float) -> str:
    return f"{ratio:.2f} times"


def _drivers(area: AreaScore, dimension: str, index: float) -> str:
    label = DIMENSIONS[dimension]
    parts = [c for c in area.components if c.component.dimension == dimension and c.available]
    if not parts:
        return f"{label}: no measure has figures, so it is put at the force average."
    if abs(index - 1) < 0.005:
        return f"{label} is at the force average ({index:.2f})."
    above = index > 1
    pushing = sorted((c for c in parts if (c.push > 0) == above and c.push != 0), key=lambda c: -abs(c.push))[:2]
    named = " and ".join(
        f"{lower_first(c.component.label)} "
        f"({'low numbers' if c.suppressed else times(c.ratio or 0) + ' the force figure'})"
        for c in pushing
    )
    direction = "above" if above else "below"
    return f"{label} is {index:.2f}, {direction} the force average of 1.00, mainly because of {named}."


def explain(area: AreaScore, ranking: Ranking) -> list[str]:
    """What drives this LPA's score, in plain English."""
    n = len(ranking.areas)
    sentences = [
        f"{area.name} ranks {ordinal(area.rank)} of {n}, with a score of {area.score:.2f} "
        f"(harm {area.harm:.2f} {TIMES} likelihood {area.likelihood:.2f} {TIMES} capacity {area.capacity:.2f}; "
        f"1.00 is the force average)."
    ]
    sentences.append(_drivers(area, "harm", area.harm))
    sentences.append(_drivers(area, "likelihood", area.likelihood))
    if ranking.model.capacity_weight > 0 and area.posts_ratio is not None:
        change = abs(area.capacity - 1) * 100
        if area.posts_ratio == 0 and area.capacity > 1.0005:
            sentences.append(
                f"No hub posts are recorded for the hub serving {area.name}, which raises the score by {change:.0f}%."
            )
        elif area.capacity > 1.0005:
            sentences.append(
                f"Hub posts per resident are {times(area.posts_ratio)} the force figure, "
                f"which raises the score by {change:.0f}%."
            )
        elif area.capacity < 0.9995:
            sentences.append(
                f"Hub posts per resident are {times(area.posts_ratio)} the force figure, "
                f"which lowers the score by {change:.0f}%."
            )
        else:
            sentences.append("Hub posts per resident match the force figure, so capacity does not change the score.")
    weak = [lower_first(c.component.label) for c in area.components if c.component.weight > 0 and not c.evidenced]
    if weak:
        sentences.append(
            f"Confidence is {area.confidence.lower()}: {', '.join(weak)} "
            f"{'has' if len(weak) == 1 else 'have'} no figures or fewer than {ranking.model.min_count} events behind "
            f"{'it' if len(weak) == 1 else 'them'}."
        )
    else:
        sentences.append(f"Confidence is {area.confidence.lower()}: every measure rests on enough events.")
    return sentences


# --- stability ------------------------------------------------------------------------------


def assess_stability(
    areas: Sequence[AreaInput],
    model: ScoringModel,
    baseline: np.ndarray,
    ratios: np.ndarray,
    mask: np.ndarray,
    staffing: np.ndarray,
) -> Stability:
    """Do the ranks hold when every weight moves by up to +/- ``spread``?"""
    dims = np.array([c.dimension for c in model.components])
    base_weights = np.array([c.weight for c in model.components] + [model.capacity_weight])
    rng = np.random.default_rng(model.seed)
    factors = rng.uniform(1 - model.spread, 1 + model.spread, size=(model.draws, len(base_weights)))
    draws = factors * base_weights
    harm, likelihood, capacity = _indices(ratios, mask, dims, draws[:, :-1], staffing, draws[:, -1])
    ranks = _ranks(harm * likelihood * capacity)
    names = [a.name for a in areas]
    same = (ranks == baseline[:, None]).all(axis=0)
    kept = (ranks == baseline[:, None]).mean(axis=1)
    ranges = {names[i]: (int(ranks[i].min()), int(ranks[i].max())) for i in range(len(areas))}
    swaps = []
    for i in range(len(areas)):
        for j in range(len(areas)):
            if baseline[i] < baseline[j]:
                flipped = float((ranks[i] > ranks[j]).mean())
                if flipped > 0:
                    swaps.append(Swap(higher=names[i], lower=names[j], share=flipped))
    swaps.sort(key=lambda s: (-s.share, s.higher, s.lower))

    single = []
    labels = [lower_first(c.label) for c in model.components] + ["the capacity adjustment"]
    for k, label in enumerate(labels):
        if base_weights[k] == 0:
            continue
        for sign, word in ((1, "Raising"), (-1, "Lowering")):
            moved = base_weights.copy()
            moved[k] *= 1 + sign * model.spread
            h, lk, cp = _indices(ratios, mask, dims, moved[None, :-1], staffing, moved[-1:])
            changed = _ranks(h * lk * cp)[:, 0]
            if (changed != baseline).any():
                movers = ", ".join(
                    f"{names[i]} to {ordinal(int(changed[i]))}"
                    for i in np.argsort(changed)
                    if changed[i] != baseline[i]
                )
                single.append(f"{word} the weight of {label} by {model.spread:.0%} moves {movers}.")

    share_same = float(same.mean())
    if share_same == 1.0 and not single:
        verdict = "holds"
        sentence = (
            f"The ranking holds: in all {model.draws} trials with every weight moved at random by up to "
            f"{model.spread:.0%}, and with each weight moved by {model.spread:.0%} on its own, "
            "every LPA kept its place."
        )
    else:
        unstable = [names[i] for i in np.argsort(baseline) if ranges[names[i]][0] != ranges[names[i]][1]]
        pairs = "; ".join(f"{s.higher} and {s.lower} change places in {s.share:.0%} of trials" for s in swaps[:3])
        verdict = "mostly holds" if share_same >= 1 - model.tolerance else "does not hold"
        lead = (
            "The ranking mostly holds"
            if verdict == "mostly holds"
            else "The ranking does not hold under small weight changes"
        )
        sentence = (
            f"{lead}: the order stayed the same in {share_same:.0%} of {model.draws} trials with every weight "
            f"moved at random by up to {model.spread:.0%}. "
            + (f"{pairs}. " if pairs else "")
            + (
                f"Read the places of {', '.join(unstable)} as a range, not a single position."
                if unstable
                else "Single weight changes below show where the order is close."
            )
        )
    return Stability(
        draws=model.draws,
        spread=model.spread,
        same_order_share=share_same,
        rank_ranges=ranges,
        kept_rank_share={names[i]: float(kept[i]) for i in range(len(areas))},
        swaps=swaps,
        single_changes=single,
        verdict=verdict,
        sentence=sentence,
    )


def rank_movements(baseline: Ranking, other: Ranking) -> dict[str, int]:
    """Places each LPA moves up (positive) or down under ``other`` compared with ``baseline``."""
    before = {a.code: a.rank for a in baseline.areas}
    return {a.code: before[a.code] - a.rank for a in other.areas if a.code in before}


def published_ranking(
    user: User | AnonymousUser,
    period: internal.Period | None = None,
    *,
    crimes: internal.CrimeCounts | None = None,
    counts: internal.InternalCounts | None = None,
) -> Ranking:
    """The ranking under the published weights, with its stability check (pages and briefings)."""
    model = load_model()
    inputs = gather_inputs(user, model, period or internal.default_period(), crimes=crimes, counts=counts)
    return score(inputs, model, stability=True, suppress_below=suppression_for(user))


def suppression_for(user: User | AnonymousUser) -> int | None:
    """The small-number threshold for ``user``: None (exact counts) for the police."""
    return None if internal.sees_exact_counts(user) else options.suppress_below()
