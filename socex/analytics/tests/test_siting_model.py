"""Hub siting on small cases whose optimum is known by hand, and the exact solvers checked against
each other. Sites lie on one meridian, so the distance between two is the difference of their
kilometre marks."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from socex.analytics.siting import (
    Rules,
    Site,
    _enumerate,
    _feasible_pairs,
    _milp,
    allocate,
    build_plan,
    compare,
    distance_km,
    solve,
)

KM_PER_DEGREE = 6371.0088 * np.pi / 180


def site(name: str, km: float, demand: float, detective: float | None = None, other: float | None = None) -> Site:
    return Site(
        code=name,
        name=name,
        latitude=52.0 + km / KM_PER_DEGREE,
        longitude=-1.9,
        demand=demand,
        detective_demand=demand if detective is None else detective,
        non_detective_demand=demand if other is None else other,
    )


# A at 0 km, B at 10, C at 20, D at 100; equal demand.
LINE = [site("A", 0, 0.25), site("B", 10, 0.25), site("C", 20, 0.25), site("D", 100, 0.25)]


def bases(plan) -> list[str]:
    return sorted(hub.base.name for hub in plan.hubs)


def served(plan) -> dict[str, list[str]]:
    return {hub.base.name: sorted(s.name for s, _ in hub.served) for hub in plan.hubs}


def test_distances_are_great_circle_kilometres():
    assert distance_km(LINE[0], LINE[3]) == pytest.approx(100, abs=1e-6)


def test_one_hub_goes_to_the_median():
    """Costs: A 0.25(10+20+100) = 32.5; B 0.25(10+10+90) = 27.5; C 0.25(20+10+80) = 27.5; D 42.5.
    B and C tie: the first in alphabetical order wins, every time."""
    plan = solve(LINE, Rules(hubs=1, detective_posts=4, non_detective_posts=4))

    assert bases(plan) == ["B"]
    assert plan.mean_km == pytest.approx(27.5)


def test_two_hubs_without_a_capacity_limit():
    """{B, D}: A and C go to B, 0.25(10 + 10) = 5, the least of all six pairs."""
    plan = solve(LINE, Rules(hubs=2, detective_posts=4, non_detective_posts=4))

    assert served(plan) == {"B": ["A", "B", "C"], "D": ["D"]}
    assert plan.mean_km == pytest.approx(5)


def test_a_capacity_limit_splits_the_cluster():
    """No hub may carry more than half, so two LPAs each: {A, B} and {C, D} is the only split
    that avoids sending anyone across the gap twice, costing 0.25 x (10 + 80) = 22.5 whichever
    LPA of each pair is the base. Bases {A, C} are the first such pair in alphabetical order."""
    plan = solve(LINE, Rules(hubs=2, detective_posts=4, non_detective_posts=4, max_share=0.5))

    assert plan.mean_km == pytest.approx(22.5)
    assert all(hub.demand <= 0.5 + 1e-9 for hub in plan.hubs)
    assert bases(plan) == ["A", "C"]
    assert served(plan) == {"A": ["A", "B"], "C": ["C", "D"]}


def test_a_distance_limit_forces_a_hub_at_the_outlier():
    """Within 15 km: D is 80 km from anyone, so it must have its own hub; A and C join B."""
    plan = solve(LINE, Rules(hubs=2, detective_posts=4, non_detective_posts=4, max_km=15))

    assert served(plan) == {"B": ["A", "B", "C"], "D": ["D"]}
    assert plan.breaches == []


def test_rules_nobody_can_meet_are_refused_naming_them():
    with pytest.raises(ValidationError) as refused:
        solve(LINE, Rules(hubs=2, detective_posts=4, non_detective_posts=4, max_km=5))

    assert "No way of placing 2 hubs meets the rules" in refused.value.messages[0]
    assert "within 5 km" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("rules", "field", "message"),
    [
        (Rules(hubs=5, detective_posts=9, non_detective_posts=9), "hubs", "must be from 1 to 4"),
        (Rules(hubs=3, detective_posts=2, non_detective_posts=9), "detective_posts", "3 hubs need at least 3"),
        (Rules(hubs=2, detective_posts=4, non_detective_posts=4, max_share=0), "max_share", "above 0%"),
    ],
)
def test_bad_requests_are_refused_beside_the_field(rules, field, message):
    with pytest.raises(ValidationError) as refused:
        solve(LINE, rules)

    assert message in " ".join(refused.value.message_dict[field])


def test_posts_follow_demand_after_a_minimum_each_by_largest_remainder():
    """10 posts, minimum 1 each: 7 to share by 0.5/0.3/0.2 = 3.5, 2.1, 1.4 -> 3, 2, 1 and the
    spare post to the largest remainder (0.5): 5, 3, 2."""
    assert allocate(10, [0.5, 0.3, 0.2], 1) == [5, 3, 2]
    assert allocate(3, [0.9, 0.1, 0.0], 1) == [1, 1, 1]
    assert allocate(4, [0, 0], 0) == [2, 2]
    with pytest.raises(ValidationError):
        allocate(2, [0.5, 0.5, 0.0], 1)


def test_detective_and_non_detective_posts_follow_their_own_demand():
    """Detective demand sits with X, non-detective demand with Y."""
    x, y = site("X", 0, 0.5, detective=0.8, other=0.2), site("Y", 50, 0.5, detective=0.2, other=0.8)
    plan = solve([x, y], Rules(hubs=2, detective_posts=10, non_detective_posts=10, min_posts=1))

    by_base = {hub.base.name: (hub.detective_posts, hub.non_detective_posts) for hub in plan.hubs}
    # 8 spare posts after 1 each: 6.4 and 1.6 -> 6 and 1, and the last to the larger remainder (0.6).
    assert by_base == {"X": (7, 3), "Y": (3, 7)}


def test_the_comparison_explains_moves_distance_and_load_in_plain_english():
    rules = Rules(hubs=2, detective_posts=4, non_detective_posts=4)
    today = build_plan([("North hub", LINE[0], [(LINE[0], 1.0), (LINE[1], 1.0)]),
                        ("South hub", LINE[3], [(LINE[2], 1.0), (LINE[3], 1.0)])], rules)  # fmt: skip
    proposal = solve(LINE, rules)

    lines = compare(today, proposal, LINE, rules)

    assert lines[0] == (
        "Today the hubs are based in A and D; the proposal bases them in B and D, adding B and dropping A."
    )
    assert "A would be served from B instead of A (10 km farther than today)." in lines
    assert "C would be served from B instead of D (70 km closer than today)." in lines
    assert "On average, demand would be 5.0 km from its hub's base, against 22.5 km today." in lines


def _brute_force(sites, rules):
    """An independent check: every assignment of every LPA to every LPA, read as hubs."""
    n, best = len(sites), None
    for assignment in itertools.product(range(n), repeat=n):
        hubs = set(assignment)
        if len(hubs) != rules.hubs or any(assignment[h] != h for h in hubs):
            continue
        loads = {h: sum(sites[i].demand for i in range(n) if assignment[i] == h) for h in hubs}
        if any(load > rules.max_share + 1e-12 for load in loads.values()):
            continue
        if rules.max_km and any(distance_km(sites[i], sites[assignment[i]]) > rules.max_km for i in range(n)):
            continue
        cost = sum(sites[i].demand * distance_km(sites[i], sites[assignment[i]]) for i in range(n))
        best = cost if best is None else min(best, cost)
    return best


@pytest.mark.parametrize("seed", range(6))
def test_enumeration_and_the_milp_solver_find_the_same_optimum(seed):
    rng = random.Random(seed)
    n, k = 6, rng.choice([1, 2, 3])
    weights = [rng.random() + 0.05 for _ in range(n)]
    sites = [
        Site(f"S{i}", f"S{i}", 52 + rng.random() * 0.4, -2.2 + rng.random() * 0.8, w / sum(weights), 0.0, 0.0)
        for i, w in enumerate(weights)
    ]
    rules = Rules(hubs=k, detective_posts=9, non_detective_posts=9, max_share=rng.choice([1.0, 0.6]), max_km=40)
    dist = np.array([[distance_km(a, b) for b in sites] for a in sites])
    allowed = _feasible_pairs(sites, rules)

    def cost(assignment):
        return None if assignment is None else sum(sites[i].demand * dist[i, b] for i, b in assignment.items())

    expected = _brute_force(sites, rules)
    assert cost(_enumerate(sites, rules, dist, allowed)) == pytest.approx(expected)
    assert cost(_milp(sites, rules, dist, allowed)) == pytest.approx(expected)


def test_an_area_bigger_than_any_hub_may_carry_is_named():
    sites = [site("Big", 0, 0.7), site("Small", 10, 0.3)]

    with pytest.raises(ValidationError) as refused:
        solve(sites, Rules(hubs=2, detective_posts=4, non_detective_posts=4, max_share=0.6))

    assert refused.value.message_dict["max_share"] == [
        "Big alone carries 70% of the force's demand, more than the 60% one hub may carry: allow a larger share"
    ]
