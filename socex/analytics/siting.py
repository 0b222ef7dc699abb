"""Hub siting and staffing: where hubs would go, which LPAs each serves and how many posts of
each kind it needs, from the demand the threat-risk ranking assesses.

A **capacitated p-median** problem over the LPAs:

* choose ``hubs`` LPAs to base a hub in (at most one hub per LPA);
* give every LPA to exactly one hub (a hub always serves its own LPA);
* no hub may carry more than ``max_share`` of the force's demand (its capacity), and no LPA may
  be more than ``max_km`` from its hub's base (coverage), measured between population-weighted
  LPA centres (``reference/lpa-context-*.csv``);
* minimise the demand-weighted mean distance from demand to its hub.

With seven LPAs this is small enough to solve **exactly by enumeration** (every set of bases and
every assignment: at most a few thousand), which also makes ties fall the same way every time
(the first optimum in alphabetical order). For a larger force the same model is solved exactly as
a mixed-integer programme with ``scipy.optimize.milp`` (HiGHS). Posts are then shared among the
hubs by demand (largest remainder, after a minimum per hub): detective posts by the demand from
crime and intelligence, non-detective posts by the demand from referrals and NRM referrals.
The rules' defaults live in ``reference/siting-<version>.json``.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.exceptions import ImproperlyConfigured, ValidationError

from socex.analytics import internal, options
from socex.analytics.ranking import Ranking, lpa_context

if TYPE_CHECKING:
    from socex.areas.models import Hub

EARTH_KM = 6371.0088
ENUMERATION_LIMIT = 200_000  # assignments to try before handing the problem to the MILP solver


@dataclass(frozen=True)
class SitingDefaults:
    version: str
    max_share: float
    max_km: float | None
    min_posts: int
    detective_posts: int
    non_detective_posts: int
    detective_components: tuple[str, ...]
    non_detective_components: tuple[str, ...]
    explain: str


@cache
def _read_defaults(path: Path, mtime: float) -> SitingDefaults:
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        defaults = SitingDefaults(
            version=str(raw["version"]),
            max_share=float(raw["max_share"]),
            max_km=float(raw["max_km"]) if raw.get("max_km") is not None else None,
            min_posts=int(raw["min_posts_each_kind"]),
            detective_posts=int(raw["default_detective_posts"]),
            non_detective_posts=int(raw["default_non_detective_posts"]),
            detective_components=tuple(raw["detective_components"]),
            non_detective_components=tuple(raw["non_detective_components"]),
            explain=str(raw.get("explain", "")),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"{path.name}: not a valid siting rules file ({error})") from None
    if not 0 < defaults.max_share <= 1:
        raise ImproperlyConfigured(f"{path.name}: max_share must be above 0 and at most 1")
    return defaults


def load_defaults() -> SitingDefaults:
    """The siting rules file named by ``SOCEX_ANALYTICS_SITING_VERSION``."""
    path = options.REFERENCE_DIR / f"siting-{options.siting_version()}.json"
    if not path.exists():
        raise ImproperlyConfigured(f"{path.name}: the siting rules file does not exist")
    return _read_defaults(path, path.stat().st_mtime)


# --- the problem ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """An LPA as a place demand comes from and a hub could be based in. Demands are shares of the
    force total (each kind sums to 1 over the sites)."""

    code: str
    name: str
    latitude: float
    longitude: float
    demand: float
    detective_demand: float
    non_detective_demand: float


@dataclass(frozen=True)
class Rules:
    hubs: int
    detective_posts: int
    non_detective_posts: int
    max_share: float = 1.0
    max_km: float | None = None
    min_posts: int = 1


def distance_km(a: Site, b: Site) -> float:
    """Great-circle distance between two LPA centres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def check_rules(rules: Rules, n_sites: int) -> None:
    """The rules a request must meet before solving; each message names the rule."""
    errors: dict[str, list[str]] = {}
    if not 1 <= rules.hubs <= n_sites:
        errors["hubs"] = [f"The number of hubs must be from 1 to {n_sites}: each hub is based in a different LPA"]
    for name, posts, kind in (
        ("detective_posts", rules.detective_posts, "detective"),
        ("non_detective_posts", rules.non_detective_posts, "non-detective"),
    ):
        if posts < rules.hubs * rules.min_posts:
            errors[name] = [
                f"Every hub needs at least {rules.min_posts} {kind} post{'s' if rules.min_posts != 1 else ''}, "
                f"so {rules.hubs} hubs need at least {rules.hubs * rules.min_posts}"
            ]
    if not 0 < rules.max_share <= 1:
        errors["max_share"] = ["The largest share of demand one hub may carry must be above 0% and at most 100%"]
    if rules.max_km is not None and rules.max_km <= 0:
        errors["max_km"] = ["The longest distance to a hub must be more than 0 km, or left empty for no limit"]
    if errors:
        raise ValidationError(errors)


def _feasible_pairs(sites: Sequence[Site], rules: Rules) -> np.ndarray:
    n = len(sites)
    allowed = np.ones((n, n), dtype=bool)
    if rules.max_km is not None:
        for i, j in itertools.product(range(n), range(n)):
            allowed[i, j] = distance_km(sites[i], sites[j]) <= rules.max_km + 1e-9
    return allowed


def _enumerate(sites: Sequence[Site], rules: Rules, dist: np.ndarray, allowed: np.ndarray) -> dict[int, int] | None:
    """Every choice of bases and every assignment; the first optimum in alphabetical order wins."""
    n = len(sites)
    demand = [s.demand for s in sites]
    best: tuple[float, dict[int, int]] | None = None
    for bases in itertools.combinations(range(n), rules.hubs):
        if any(demand[b] > rules.max_share + 1e-12 for b in bases):
            continue
        others = [i for i in range(n) if i not in bases]
        options_for = [[b for b in bases if allowed[i, b]] for i in others]
        if any(not choice for choice in options_for):
            continue
        for choice in itertools.product(*options_for):
            load = {b: demand[b] for b in bases}
            for i, b in zip(others, choice, strict=True):
                load[b] += demand[i]
            if any(value > rules.max_share + 1e-12 for value in load.values()):
                continue
            cost = sum(demand[i] * dist[i, b] for i, b in zip(others, choice, strict=True))
            if best is None or cost < best[0] - 1e-12:
                assignment = {b: b for b in bases} | dict(zip(others, choice, strict=True))
                best = (cost, assignment)
    return best[1] if best else None


def _milp(sites: Sequence[Site], rules: Rules, dist: np.ndarray, allowed: np.ndarray) -> dict[int, int] | None:
    """The same problem as a mixed-integer programme (x[i, j]: i served from j; y[j]: hub at j)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(sites)
    demand = np.array([s.demand for s in sites])
    size = n * n + n

    def x(i: int, j: int) -> int:
        return i * n + j

    cost = np.zeros(size)
    for i, j in itertools.product(range(n), range(n)):
        cost[x(i, j)] = demand[i] * dist[i, j]
    rows, lower, upper = [], [], []

    def add(coefficients: dict[int, float], low: float, high: float) -> None:
        row = np.zeros(size)
        for index, value in coefficients.items():
            row[index] = value
        rows.append(row)
        lower.append(low)
        upper.append(high)

    for i in range(n):
        add({x(i, j): 1.0 for j in range(n)}, 1, 1)  # every LPA served once
    for i, j in itertools.product(range(n), range(n)):
        add({x(i, j): 1.0, n * n + j: -1.0}, -np.inf, 0)  # only from an open hub
    for j in range(n):
        add({x(j, j): 1.0, n * n + j: -1.0}, 0, 0)  # a hub serves its own LPA
        load = {x(i, j): float(demand[i]) for i in range(n)}
        load[n * n + j] = -rules.max_share
        add(load, -np.inf, 1e-12)  # capacity
    add({n * n + j: 1.0 for j in range(n)}, rules.hubs, rules.hubs)
    high = np.ones(size)
    for i, j in itertools.product(range(n), range(n)):
        if not allowed[i, j]:
            high[x(i, j)] = 0
    result = milp(
        cost,
        constraints=LinearConstraint(np.array(rows), lower, upper),
        integrality=np.ones(size),
        bounds=Bounds(np.zeros(size), high),
    )
    if result.status != 0 or result.x is None:
        return None
    values = np.round(result.x).astype(int)
    return {i: next(j for j in range(n) if values[x(i, j)]) for i in range(n)}


def search_size(n: int, k: int) -> int:
    """How many assignments enumeration would try at most."""
    return math.comb(n, k) * k ** (n - k)


# --- plans --------------------------------------------------------------------------------


@dataclass
class HubPlan:
    name: str
    base: Site
    served: list[tuple[Site, float]]  # (LPA, share of it this hub serves)
    demand: float
    detective_demand: float
    non_detective_demand: float
    detective_posts: int = 0
    non_detective_posts: int = 0
    farthest_km: float = 0.0
    staff_today: internal.Staff | None = None

    @property
    def served_names(self) -> str:
        return ", ".join(site.name for site, _ in self.served)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(site.code for site, _ in self.served)


@dataclass
class Plan:
    hubs: list[HubPlan]
    mean_km: float
    breaches: list[str] = field(default_factory=list)
    unserved: list[Site] = field(default_factory=list)

    def hub_for(self, code: str) -> HubPlan | None:
        return next((hub for hub in self.hubs if code in hub.codes), None)


def allocate(total: int, weights: Sequence[float], minimum: int) -> list[int]:
    """``total`` posts shared by ``weights``: ``minimum`` each, the rest by the largest remainder
    (Hamilton), ties to the earlier hub. Equal shares if every weight is 0."""
    k = len(weights)
    if total < minimum * k:
        raise ValidationError(f"{total} posts cannot give {k} hubs at least {minimum} each")
    spare = total - minimum * k
    weight_total = sum(weights)
    quotas = [spare * w / weight_total if weight_total else spare / k for w in weights]
    posts = [math.floor(q + 1e-9) for q in quotas]
    order = sorted(range(k), key=lambda i: (-(quotas[i] - posts[i]), i))
    for i in order[: spare - sum(posts)]:
        posts[i] += 1
    return [minimum + p for p in posts]


def build_plan(groups: Sequence[tuple[str, Site, Sequence[tuple[Site, float]]]], rules: Rules) -> Plan:
    """A plan from hubs given as (name, base, [(LPA, share served)]), with posts shared by demand
    and every breach of the rules named."""
    hubs = []
    for name, base, served in groups:
        hubs.append(
            HubPlan(
                name=name,
                base=base,
                served=sorted(served, key=lambda item: (item[0].code != base.code, item[0].name)),
                demand=sum(site.demand * share for site, share in served),
                detective_demand=sum(site.detective_demand * share for site, share in served),
                non_detective_demand=sum(site.non_detective_demand * share for site, share in served),
                farthest_km=max((distance_km(site, base) for site, _ in served), default=0.0),
            )
        )
    if hubs and rules.detective_posts >= rules.min_posts * len(hubs):
        for hub, posts in zip(
            hubs, allocate(rules.detective_posts, [h.detective_demand for h in hubs], rules.min_posts), strict=True
        ):
            hub.detective_posts = posts
    if hubs and rules.non_detective_posts >= rules.min_posts * len(hubs):
        for hub, posts in zip(
            hubs,
            allocate(rules.non_detective_posts, [h.non_detective_demand for h in hubs], rules.min_posts),
            strict=True,
        ):
            hub.non_detective_posts = posts
    mean_km = sum(site.demand * share * distance_km(site, hub.base) for hub in hubs for site, share in hub.served)
    breaches = []
    for hub in hubs:
        if hub.demand > rules.max_share + 1e-9:
            breaches.append(
                f"The {hub.name} carries {hub.demand:.0%} of the force's demand, above the {rules.max_share:.0%} limit."
            )
        if rules.max_km is not None and hub.farthest_km > rules.max_km + 1e-9:
            far = max(hub.served, key=lambda item: distance_km(item[0], hub.base))[0]
            breaches.append(
                f"{far.name} is {hub.farthest_km:.0f} km from the base of the {hub.name}, "
                f"beyond the {rules.max_km:.0f} km limit."
            )
    return Plan(hubs=hubs, mean_km=mean_km, breaches=breaches)


def solve(sites: Sequence[Site], rules: Rules) -> Plan:
    """The optimal plan for ``rules``, or a ``ValidationError`` saying which rule cannot be met."""
    check_rules(rules, len(sites))
    ordered = sorted(sites, key=lambda s: (s.name, s.code))
    too_big = [site for site in ordered if site.demand > rules.max_share + 1e-12]
    if too_big:
        raise ValidationError(
            {
                "max_share": [
                    f"{site.name} alone carries {site.demand:.0%} of the force's demand, more than the "
                    f"{rules.max_share:.0%} one hub may carry: allow a larger share"
                    for site in too_big
                ]
            }
        )
    dist = np.array([[distance_km(a, b) for b in ordered] for a in ordered])
    allowed = _feasible_pairs(ordered, rules)
    if search_size(len(ordered), rules.hubs) <= ENUMERATION_LIMIT:
        assignment = _enumerate(ordered, rules, dist, allowed)
    else:
        assignment = _milp(ordered, rules, dist, allowed)
    if assignment is None:
        distance = f", and every LPA must be within {rules.max_km:.0f} km of its hub's base" if rules.max_km else ""
        raise ValidationError(
            f"No way of placing {rules.hubs} hub{'s' if rules.hubs != 1 else ''} meets the rules: no hub may carry "
            f"more than {rules.max_share:.0%} of the force's demand{distance}. Allow more hubs, a larger share or a "
            f"longer distance.",
            code="infeasible",
        )
    groups = []
    for base_index in sorted(set(assignment.values()), key=lambda b: ordered[b].name):
        base = ordered[base_index]
        served = [(ordered[i], 1.0) for i, b in assignment.items() if b == base_index]
        groups.append((f"hub based in {base.name}", base, served))
    return build_plan(groups, rules)


def current_plan(sites: Sequence[Site], hubs: Sequence[Hub], rules: Rules) -> Plan:
    """Today's hubs (``areas.Hub``) measured the same way. An LPA served by two hubs is shared
    equally between them; one served by none is listed as unserved."""
    by_code = {site.code: site for site in sites}
    serving: dict[str, int] = {}
    for hub in hubs:
        for lpa in hub.lpas_served.all():
            serving[lpa.code] = serving.get(lpa.code, 0) + 1
    groups = []
    for hub in hubs:
        if hub.base_lpa.code not in by_code:
            continue
        served = [(by_code[lpa.code], 1 / serving[lpa.code]) for lpa in hub.lpas_served.all() if lpa.code in by_code]
        groups.append((hub.name, by_code[hub.base_lpa.code], served))
    plan = build_plan(groups, rules)
    staff = internal.staff_by_hub()
    for hub_plan, hub in zip(plan.hubs, [h for h in hubs if h.base_lpa.code in by_code], strict=True):
        hub_plan.staff_today = staff.get(hub.pk, internal.Staff())
    plan.unserved = [site for site in sites if site.code not in serving]
    for site in plan.unserved:
        plan.breaches.append(f"No hub serves {site.name}.")
    return plan


# --- demand from the ranking ----------------------------------------------------------------


def _shares(ranking: Ranking, keys: Sequence[str]) -> dict[str, float] | None:
    """Weighted mean over ``keys`` of each LPA's share of the force's count (None if no counts)."""
    weights = ranking.model.weights()
    totals: dict[str, float] = {}
    for key in keys:
        counts = [a.component(key).count for a in ranking.areas if key in {c.component.key for c in a.components}]
        if counts and all(c is not None for c in counts) and sum(c or 0 for c in counts) > 0 and weights.get(key):
            totals[key] = sum(c or 0 for c in counts)
    if not totals:
        return None
    weight_sum = sum(weights[key] for key in totals)
    return {
        area.code: sum(weights[key] * (area.component(key).count or 0) / totals[key] for key in totals) / weight_sum
        for area in ranking.areas
    }


def sites_from(ranking: Ranking, defaults: SitingDefaults) -> list[Site]:
    """Each LPA with its centre and its demands: overall (the ranking's residents x harm x
    likelihood), detective and non-detective (shares of the counts behind the named measures;
    the overall demand where those have no counts)."""
    context = lpa_context()
    missing = [area.name for area in ranking.areas if area.code not in context]
    if missing:
        raise ImproperlyConfigured(
            f"No centre is known for {', '.join(missing)}: add {'it' if len(missing) == 1 else 'them'} "
            f"to {options.lpa_context_file().name}"
        )
    overall = {area.code: area.demand_share for area in ranking.areas}
    detective = _shares(ranking, defaults.detective_components) or overall
    non_detective = _shares(ranking, defaults.non_detective_components) or overall
    return [
        Site(
            code=area.code,
            name=area.name,
            latitude=context[area.code].latitude,
            longitude=context[area.code].longitude,
            demand=overall[area.code],
            detective_demand=detective[area.code],
            non_detective_demand=non_detective[area.code],
        )
        for area in sorted(ranking.areas, key=lambda a: a.name)
    ]


# --- plain English --------------------------------------------------------------------------


def _names(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def compare(current: Plan, proposed: Plan, sites: Sequence[Site], rules: Rules) -> list[str]:
    """How the proposal differs from today's configuration, in plain English."""
    lines = []
    today = sorted({hub.base.name for hub in current.hubs})
    future = sorted({hub.base.name for hub in proposed.hubs})
    if today == future:
        lines.append(f"The proposal keeps today's bases: {_names(today)}.")
    else:
        added, dropped = sorted(set(future) - set(today)), sorted(set(today) - set(future))
        text = f"Today the hubs are based in {_names(today)}; the proposal bases them in {_names(future)}"
        if added:
            text += f", adding {_names(added)}"
        if dropped:
            text += f"{' and' if added else ','} dropping {_names(dropped)}"
        lines.append(text + ".")
    for site in sites:
        before, after = current.hub_for(site.code), proposed.hub_for(site.code)
        if after is None or (before is not None and before.base.code == after.base.code):
            continue
        if before is None:
            lines.append(f"{site.name} has no hub today; the proposal serves it from {after.base.name}.")
            continue
        change = distance_km(site, before.base) - distance_km(site, after.base)
        closer = f"{abs(change):.0f} km {'closer' if change > 0 else 'farther'}" if abs(change) >= 0.5 else "as far"
        lines.append(
            f"{site.name} would be served from {after.base.name} instead of {before.base.name} ({closer} than today)."
        )
    lines.append(
        f"On average, demand would be {proposed.mean_km:.1f} km from its hub's base, "
        f"against {current.mean_km:.1f} km today."
    )
    busiest_now = max(current.hubs, key=lambda h: h.demand, default=None)
    busiest = max(proposed.hubs, key=lambda h: h.demand, default=None)
    if busiest_now and busiest:
        lines.append(
            f"Today the busiest hub ({busiest_now.name}) carries {busiest_now.demand:.0%} of the force's demand; "
            f"in the proposal the busiest (based in {busiest.base.name}) carries {busiest.demand:.0%}."
        )
    lines.extend(f"Today: {breach}" for breach in current.breaches)
    for hub in current.hubs:
        staff = hub.staff_today
        if staff is None or staff.total == 0:
            continue
        if (staff.detective, staff.non_detective) != (hub.detective_posts, hub.non_detective_posts):
            lines.append(
                f"Shared by demand, the {hub.name} would have {hub.detective_posts} detective and "
                f"{hub.non_detective_posts} non-detective posts; "
                f"it has {staff.detective} and {staff.non_detective} today."
            )
    return lines


def rules_from(defaults: SitingDefaults, values: Mapping[str, Any]) -> Rules:
    return Rules(
        hubs=int(values["hubs"]),
        detective_posts=int(values["detective_posts"]),
        non_detective_posts=int(values["non_detective_posts"]),
        max_share=float(values["max_share"]) / 100,
        max_km=float(values["max_km"]) if values.get("max_km") not in (None, "") else None,
        min_posts=defaults.min_posts,
    )
