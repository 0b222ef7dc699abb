"""Boundary files for maps and for placing points in areas.

The files live beside the rest of a force's reference data, in ``<SOCEX_REFERENCE_DIR>/boundaries/``
(built for the West Midlands by ``scripts/build_boundaries_west_midlands.py``; see the README
there): LSOA 2021 polygons, the LPAs dissolved from them, LSOA neighbours (queen contiguity)
and a best-fit lookup from LSOA 2011 codes to 2021 ones. They are public geography, read once
per process and kept in memory.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings


def boundaries_dir() -> Path:
    return Path(settings.SOCEX_REFERENCE_DIR) / "boundaries"


@cache
def _read_geojson(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def lpa_features() -> dict[str, Any]:
    """All LPAs as a GeoJSON FeatureCollection (properties ``code``, ``name``)."""
    return _read_geojson(boundaries_dir() / "lpas.geojson")


def lsoa_features() -> dict[str, Any]:
    """All LSOA 2021 polygons as a GeoJSON FeatureCollection (``code``, ``name``, ``lpa_code``)."""
    return _read_geojson(boundaries_dir() / "lsoa21.geojson")


@cache
def _lpa_geojson_bytes(directory: Path) -> bytes:
    return json.dumps(_read_geojson(directory / "lpas.geojson"), separators=(",", ":")).encode()


@cache
def _lsoa_geojson_bytes(directory: Path, lpa_code: str | None) -> bytes:
    collection = _read_geojson(directory / "lsoa21.geojson")
    features = [f for f in collection["features"] if lpa_code is None or f["properties"]["lpa_code"] == lpa_code]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


def lpa_geojson() -> bytes:
    """The LPA boundaries, serialised, for a response."""
    return _lpa_geojson_bytes(boundaries_dir())


def lsoa_geojson(lpa_code: str | None = None) -> bytes:
    """The LSOA boundaries of one LPA (or all of them), serialised, for a response."""
    return _lsoa_geojson_bytes(boundaries_dir(), lpa_code)


@dataclass(frozen=True)
class LSOAPolygons:
    """LSOA polygons with a spatial index, for placing points (shapely STRtree)."""

    codes: list[str]
    lpa_codes: list[str]
    geometries: list[Any]
    tree: Any

    def locate(self, longitudes: Any, latitudes: Any) -> list[int | None]:
        """For each point, the index into ``codes`` of the LSOA containing it, or ``None``.

        Vectorised: one STRtree query for all points. A point exactly on a shared edge
        belongs to the first LSOA (by code) that covers it.
        """
        import numpy as np
        import shapely

        points = shapely.points(np.asarray(longitudes, dtype=float), np.asarray(latitudes, dtype=float))
        result: list[int | None] = [None] * len(points)
        point_index, polygon_index = self.tree.query(points, predicate="covered_by")
        order = np.lexsort((polygon_index, point_index))
        for p, g in zip(point_index[order], polygon_index[order], strict=True):
            if result[p] is None:
                result[p] = int(g)
        return result


@cache
def _lsoa_polygons(directory: Path) -> LSOAPolygons:
    import shapely
    from shapely.geometry import shape
    from shapely.strtree import STRtree

    features = _read_geojson(directory / "lsoa21.geojson")["features"]
    features = sorted(features, key=lambda f: f["properties"]["code"])
    geometries = [shape(f["geometry"]) for f in features]
    shapely.prepare(geometries)
    return LSOAPolygons(
        codes=[f["properties"]["code"] for f in features],
        lpa_codes=[f["properties"]["lpa_code"] for f in features],
        geometries=geometries,
        tree=STRtree(geometries),
    )


def lsoa_polygons() -> LSOAPolygons:
    return _lsoa_polygons(boundaries_dir())


@cache
def _neighbours(directory: Path) -> dict[str, tuple[str, ...]]:
    pairs: dict[str, list[str]] = {}
    with (directory / "lsoa21_neighbours.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            pairs.setdefault(row["lsoa21_code"], []).append(row["neighbour_code"])
    return {code: tuple(sorted(items)) for code, items in pairs.items()}


def lsoa_neighbours() -> dict[str, tuple[str, ...]]:
    """Queen-contiguity neighbours of each LSOA 2021 (sharing at least a point)."""
    return _neighbours(boundaries_dir())


@cache
def _lsoa11_lookup(directory: Path) -> dict[str, str]:
    with (directory / "lsoa11_to_lsoa21.csv").open(encoding="utf-8") as handle:
        return {row["lsoa11_code"]: row["lsoa21_code"] for row in csv.DictReader(handle)}


def lsoa11_to_lsoa21() -> dict[str, str]:
    """Each LSOA 2011 code of the force to the LSOA 2021 it overlaps most."""
    return _lsoa11_lookup(boundaries_dir())
