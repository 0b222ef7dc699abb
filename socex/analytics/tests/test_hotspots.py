"""Getis-Ord Gi* on small grids with a known hotspot, and the hotspot page."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.urls import reverse
from scipy.stats import norm

from socex.analytics.hotspots import benjamini_hochberg, gi_star
from socex.analytics.tests import test_import_fixtures as fixtures

reference = fixtures.reference
walsall_imported = fixtures.walsall_imported


def queen_grid(size: int) -> list[list[int]]:
    """Neighbours in a size x size grid of squares, numbered row by row (queen: corners too)."""
    neighbours = []
    for r in range(size):
        for c in range(size):
            neighbours.append(
                [
                    rr * size + cc
                    for rr in range(r - 1, r + 2)
                    for cc in range(c - 1, c + 2)
                    if (rr, cc) != (r, c) and 0 <= rr < size and 0 <= cc < size
                ]
            )
    return neighbours


def gi_star_by_hand(x: list[float], neighbours: list[list[int]], i: int) -> float:
    """The textbook formula, one area at a time, with plain Python."""
    n = len(x)
    mean = sum(x) / n
    s = math.sqrt(sum(v * v for v in x) / n - mean * mean)
    members = [i, *neighbours[i]]
    w = len(members)
    return (sum(x[j] for j in members) - mean * w) / (s * math.sqrt((n * w - w * w) / (n - 1)))


def test_a_cluster_of_high_values_in_a_corner_is_a_hotspot():
    x = [1.0] * 25
    for cell in (0, 1, 5, 6):  # the top-left 2x2 block
        x[cell] = 10.0
    neighbours = queen_grid(5)

    result = gi_star(x, neighbours, alpha=0.05)

    assert result.z[0] > 1.96  # the corner, all four high cells around it
    assert result.p[0] < 0.05
    assert np.argmax(result.z) in (0, 6)
    assert result.z[24] < 0  # the far corner is below the mean
    for i in range(25):
        assert result.z[i] == pytest.approx(gi_star_by_hand(x, neighbours, i))
    assert result.p[0] == pytest.approx(2 * norm.sf(abs(result.z[0])))


def test_a_flat_map_has_no_hotspot():
    result = gi_star([3.0] * 16, queen_grid(4))

    assert np.allclose(result.z, 0)
    assert not result.fdr_significant.any()


def test_benjamini_hochberg_matches_a_hand_worked_case():
    p = np.array([0.01, 0.04, 0.03, 0.20])
    # sorted 0.01, 0.03, 0.04, 0.20 against 0.0125, 0.025, 0.0375, 0.05: only the first passes.
    assert benjamini_hochberg(p, 0.05).tolist() == [True, False, False, False]
    assert benjamini_hochberg(np.array([0.01, 0.02, 0.03, 0.04]), 0.05).all()


def test_the_hotspot_page_has_the_map_and_the_ranked_table(signed_in, analyst, walsall_imported):
    response = signed_in(analyst).get(
        reverse("analytics:hotspots"),
        {"lpa": "E08000030", "categories": ["violent-crime"], "start": "2018-06", "end": "2018-06"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "data-socex-map" in page
    assert reverse("areas:lsoa_boundaries") + "?lpa=E08000030" in page
    assert 'id="lsoa-values"' in page
    assert 'id="hotspot-table"' in page
    rows = response.context["rows"]
    assert rows
    assert all(r.lpa_code == "E08000030" for r in rows)
    assert [r.z for r in rows] == sorted((r.z for r in rows), reverse=True)
    top = rows[0]
    assert top.hotspot == (top.z > 0 and top.p < 0.05)
    values = response.context["map_values"]
    assert len(values) == 169  # Walsall's LSOAs
    assert set(values[top.code]) == {"count", "rate", "z", "imd2025", "imd2019"}
    assert all(1 <= v["imd2025"] <= 10 for v in values.values())


def test_an_unknown_area_on_the_hotspot_page_is_a_form_error(signed_in, analyst, walsall_imported):
    page = signed_in(analyst).get(reverse("analytics:hotspots"), {"lpa": "nowhere"}).content.decode()

    assert "There is a problem" in page
    assert "Select a valid choice" in page
