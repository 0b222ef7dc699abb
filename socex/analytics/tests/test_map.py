"""The boundary GeoJSON the maps draw (socex.areas): public geography for anyone signed in."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from socex.analytics.tests import test_import_fixtures as fixtures
from socex.areas.boundaries import lsoa11_to_lsoa21, lsoa_neighbours, lsoa_polygons

reference = fixtures.reference

pytestmark = pytest.mark.django_db


def test_lpa_boundaries_are_the_seven_lpas(signed_in, school_outsider, reference):
    response = signed_in(school_outsider).get(reverse("areas:lpa_boundaries"))

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/geo+json"
    assert sorted(f["properties"]["name"] for f in data["features"]) == [
        "Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton",
    ]  # fmt: skip


def test_lsoa_boundaries_of_one_lpa(signed_in, analyst, reference):
    data = json.loads(signed_in(analyst).get(reverse("areas:lsoa_boundaries"), {"lpa": "E08000030"}).content)

    assert len(data["features"]) == 169
    assert {f["properties"]["lpa_code"] for f in data["features"]} == {"E08000030"}
    assert {f["geometry"]["type"] for f in data["features"]} <= {"Polygon", "MultiPolygon"}


def test_every_lsoa_without_a_filter_and_404_for_an_unknown_lpa(signed_in, analyst, reference):
    client = signed_in(analyst)

    assert len(json.loads(client.get(reverse("areas:lsoa_boundaries")).content)["features"]) == 1719
    assert client.get(reverse("areas:lsoa_boundaries"), {"lpa": "E08999999"}).status_code == 404


def test_signed_out_gets_the_sign_in_page(client, reference):
    assert client.get(reverse("areas:lpa_boundaries")).status_code == 302


def test_points_are_placed_in_the_lsoa_that_holds_them():
    polygons = lsoa_polygons()
    walsall_015a = polygons.codes.index("E01010241")
    centre = polygons.geometries[walsall_015a].representative_point()

    found = polygons.locate([centre.x, 0.0], [centre.y, 51.0])

    assert found == [walsall_015a, None]


def test_neighbours_are_symmetric_and_the_2011_lookup_covers_the_force():
    neighbours = lsoa_neighbours()
    lookup = lsoa11_to_lsoa21()

    assert len(neighbours) == 1719
    assert all(a in neighbours[b] for a, items in neighbours.items() for b in items)
    assert len(lookup) == 1680
    assert lookup["E01010241"] == "E01010241"  # an unchanged code maps to itself
