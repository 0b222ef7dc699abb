"""Build the West Midlands boundary files in socex/areas/reference/west_midlands/boundaries/.

Reads the ONS generalised boundaries in ../shared/data/geography/boundaries/ (see SOURCES.md
there) and writes, deterministically:

* ``lsoa21.geojson``  -- the 1,719 LSOA 2021 polygons, lightly simplified, properties
  ``code, name, lpa_code``;
* ``lpas.geojson``    -- the seven LPAs (metropolitan districts), each the union of its LSOAs,
  properties ``code, name``;
* ``lsoa21_neighbours.csv`` -- queen contiguity (polygons sharing at least a point), worked out
  on the unsimplified polygons so simplification cannot open gaps between neighbours;
* ``lsoa11_to_lsoa21.csv``  -- each LSOA 2011 code to the LSOA 2021 it overlaps most (best fit)
  and the share of its area inside it, for crime files from before the 2021 codes.

Usage: .venv/bin/python scripts/build_boundaries_west_midlands.py [--source DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.strtree import STRtree

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "socex" / "areas" / "reference" / "west_midlands" / "boundaries"
LPAS = ROOT / "socex" / "areas" / "reference" / "west_midlands" / "lpas.csv"
# About 2-3 metres at this latitude: invisible on a map, and keeps the files small.
TOLERANCE = 0.00003
DECIMALS = 5


def _round(geom: shapely.Geometry) -> dict:
    geom = shapely.set_precision(geom, 10**-DECIMALS)
    return mapping(geom)  # type: ignore[no-any-return]


def _write_geojson(path: Path, features: list[dict]) -> None:
    doc = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(doc, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data" / "geography" / "boundaries")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with LPAS.open(encoding="utf-8") as handle:
        lpa_names = {row["code"]: row["name"] for row in csv.DictReader(handle)}

    lsoa21: list[tuple[str, str, str, shapely.Geometry]] = []
    lsoa11: list[tuple[str, str, shapely.Geometry]] = []
    for lad in sorted(lpa_names):
        for feature in json.loads((args.source / "lsoa21" / f"{lad}.geojson").read_text())["features"]:
            props = feature["properties"]
            lsoa21.append((props["LSOA21CD"], props["LSOA21NM"], lad, shape(feature["geometry"])))
        for feature in json.loads((args.source / "lsoa11" / f"{lad}.geojson").read_text())["features"]:
            props = feature["properties"]
            lsoa11.append((props["LSOA11CD"], lad, shape(feature["geometry"])))
    lsoa21.sort()
    lsoa11.sort()

    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": name, "lpa_code": lad},
            "geometry": _round(shapely.simplify(geom, TOLERANCE, preserve_topology=True)),
        }
        for code, name, lad, geom in lsoa21
    ]
    _write_geojson(OUT / "lsoa21.geojson", features)

    lpa_features = []
    for lad, name in sorted(lpa_names.items()):
        union = shapely.union_all([geom.buffer(0) for _, _, code, geom in lsoa21 if code == lad])
        lpa_features.append(
            {
                "type": "Feature",
                "properties": {"code": lad, "name": name},
                "geometry": _round(shapely.simplify(union, TOLERANCE * 3, preserve_topology=True)),
            }
        )
    _write_geojson(OUT / "lpas.geojson", lpa_features)

    # Queen contiguity: a neighbour shares at least one point. Generalised boundaries are not
    # always exactly noded, so "shares" allows a gap of about half a metre.
    geoms = [geom for *_, geom in lsoa21]
    tree = STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=0.000005)
    pairs = sorted({(lsoa21[i][0], lsoa21[j][0]) for i, j in zip(left, right, strict=True) if i != j})
    with (OUT / "lsoa21_neighbours.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["lsoa21_code", "neighbour_code"])
        writer.writerows(pairs)

    with (OUT / "lsoa11_to_lsoa21.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["lsoa11_code", "lsoa21_code", "lpa_code", "share"])
        for code, lad, geom in lsoa11:
            best, share = "", 0.0
            for index in tree.query(geom, predicate="intersects"):
                overlap = geom.intersection(geoms[index]).area / geom.area
                if overlap > share:
                    best, share = lsoa21[index][0], overlap
            writer.writerow([code, best, lad, f"{share:.3f}"])
    print(f"Wrote {len(features)} LSOAs, {len(lpa_features)} LPAs, {len(pairs)} neighbour pairs to {OUT}")


if __name__ == "__main__":
    main()
