"""Build ``imd-lsoa21-west-midlands.csv``: deprivation for each LSOA 2021 of the force.

Usage: .venv/bin/python socex/analytics/reference/build_imd.py [--shared ../shared/data]

* IMD 2025 (English Indices of Deprivation 2025) score per LSOA 2021, from BCC-PHM's lookup
  (``bccphm_imd2025_lsoa21_lookup_pop2024_england.csv``); the decile is worked out here over all
  of England's LSOAs in that file (decile 1 = the most deprived tenth, the highest scores).
* IMD 2019 rank and decile per LSOA 2011 (``iod2019_ranks_deciles_lsoa11_england.csv``), given
  to each LSOA 2021 through its own code where it is unchanged, else through the LSOA 2011 that
  overlaps it most (the ONS boundaries in ``geography/boundaries/``, shapely).

Contains public sector information licensed under the Open Government Licence v3.0 (MHCLG
English Indices of Deprivation 2019 and 2025). Deterministic: the same inputs give the same file.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
LSOAS = ROOT / "socex" / "areas" / "reference" / "west_midlands" / "lsoas.csv"
LADS = ("E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030", "E08000031")
OUT = HERE / "imd-lsoa21-west-midlands.csv"


def _best_2011(boundaries: Path) -> dict[str, tuple[float, str]]:
    import json

    from shapely.geometry import shape
    from shapely.strtree import STRtree

    new, old = [], []
    for lad in LADS:
        for f in json.loads((boundaries / "lsoa21" / f"{lad}.geojson").read_text())["features"]:
            new.append((f["properties"]["LSOA21CD"], shape(f["geometry"])))
        for f in json.loads((boundaries / "lsoa11" / f"{lad}.geojson").read_text())["features"]:
            old.append((f["properties"]["LSOA11CD"], shape(f["geometry"])))
    tree = STRtree([g for _, g in old])
    best = {}
    for code, geom in new:
        candidates = [
            (geom.intersection(old[i][1]).area / geom.area, old[i][0]) for i in tree.query(geom, "intersects")
        ]
        best[code] = max(candidates, default=(0.0, ""))
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    geography = parser.parse_args().shared / "geography"
    with LSOAS.open(encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    with (geography / "bccphm_imd2025_lsoa21_lookup_pop2024_england.csv").open(encoding="utf-8-sig") as handle:
        scores = {row["LSOA21CD"]: float(row["IMDSCORE"]) for row in csv.DictReader(handle) if row["IMDSCORE"]}
    ranked = sorted(scores, key=lambda code: -scores[code])
    deciles = {code: 1 + (10 * position) // len(ranked) for position, code in enumerate(ranked)}
    with (geography / "iod2019_ranks_deciles_lsoa11_england.csv").open(encoding="utf-8") as handle:
        iod = {
            row["lsoa11_code"]: (
                int(row["index_of_multiple_deprivation_imd_rank"]),
                int(row["index_of_multiple_deprivation_imd_decile"]),
            )
            for row in csv.DictReader(handle)
        }
    best_2011 = _best_2011(geography / "boundaries")
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["lsoa21_code", "imd2025_score", "imd2025_decile", "imd2019_rank", "imd2019_decile", "imd2019_from"]
        )
        for code in sorted(codes):
            old = code if code in iod else best_2011.get(code, (0.0, ""))[1]
            rank, decile = iod.get(old, ("", ""))
            writer.writerow([code, scores.get(code, ""), deciles.get(code, ""), rank, decile, old])
    print(f"Wrote {len(codes)} LSOAs to {OUT}")


if __name__ == "__main__":
    main()
