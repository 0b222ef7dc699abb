#!/usr/bin/env python3
"""Build ``lpa-context-west-midlands.csv``: deprivation and a population-weighted centre per LPA.

    python socex/analytics/reference/build_lpa_context.py [--data ../shared/data] [--out FILE]

Reads (never commits) two public files under ``--data/geography``:

* ``bccphm_imd2025_lsoa21_lookup_pop2024_england.csv``: the English Indices of Deprivation 2025
  IMD score of every LSOA (2021) in England, its local authority (``LA24CD``) and its 2024
  population estimate (BCC-PHM/geoManipulatoR, dual OGL v3 / MIT; IoD 2025 from MHCLG, OGL v3);
* ``drkane_lsoa_latlong.csv``: the centroid of every LSOA (drkane/geo-lookups, from the ONS
  Open Geography Portal, OGL v3).

For each of the seven West Midlands LPAs (= metropolitan districts) it writes:

* ``imd_score``: the mean IMD 2025 score of its LSOAs, weighted by their 2024 population (the
  way MHCLG's own local-authority "average score" summary is built);
* ``share_most_deprived_decile``: the share of its residents (2024 estimate) who live in an LSOA
  among England's most deprived 10% by IMD 2025 score;
* ``latitude``, ``longitude``: the population-weighted mean of its LSOA centroids, which the
  hub-siting page uses to measure distances between LPAs.

Standard library only; sorted, fixed output, so re-running it gives a byte-identical file.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = HERE / "lpa-context-west-midlands.csv"
LADS = {
    "E08000025": "Birmingham",
    "E08000026": "Coventry",
    "E08000027": "Dudley",
    "E08000028": "Sandwell",
    "E08000029": "Solihull",
    "E08000030": "Walsall",
    "E08000031": "Wolverhampton",
}
EXPECTED_LSOAS = 1719
HEADER = [
    "lpa_code",
    "lpa_name",
    "lsoas",
    "population_2024",
    "imd_score",
    "share_most_deprived_decile",
    "latitude",
    "longitude",
]


def build(data: Path) -> list[list[str]]:
    geography = data / "geography"
    with (geography / "bccphm_imd2025_lsoa21_lookup_pop2024_england.csv").open(encoding="utf-8-sig") as handle:
        imd_rows = list(csv.DictReader(handle))
    # England's most deprived decile: the highest 10% of IMD scores (rank 1 = most deprived).
    scores = sorted((float(row["IMDSCORE"]) for row in imd_rows), reverse=True)
    cut = scores[len(scores) // 10 - 1]
    with (geography / "drkane_lsoa_latlong.csv").open(encoding="utf-8") as handle:
        centroids = {row["LSOACD"]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(handle)}

    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    missing = []
    for row in imd_rows:
        lad = row["LA24CD"]
        if lad not in LADS:
            continue
        code = row["LSOA21CD"]
        if code not in centroids:
            missing.append(code)
            continue
        population = float(row["2024POP"])
        score = float(row["IMDSCORE"])
        latitude, longitude = centroids[code]
        total = totals[lad]
        total["lsoas"] += 1
        total["population"] += population
        total["score"] += score * population
        total["deprived"] += population if score >= cut else 0
        total["latitude"] += latitude * population
        total["longitude"] += longitude * population
    if missing:
        sys.exit(f"{len(missing)} West Midlands LSOAs have no centroid, e.g. {missing[:3]}")
    if (found := sum(int(t["lsoas"]) for t in totals.values())) != EXPECTED_LSOAS:
        sys.exit(f"expected {EXPECTED_LSOAS} West Midlands LSOAs, found {found}")

    rows = []
    for code, name in sorted(LADS.items()):
        total = totals[code]
        people = total["population"]
        rows.append(
            [
                code,
                name,
                str(int(total["lsoas"])),
                str(round(people)),
                f"{total['score'] / people:.3f}",
                f"{total['deprived'] / people:.4f}",
                f"{total['latitude'] / people:.5f}",
                f"{total['longitude'] / people:.5f}",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    rows = build(args.data)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"wrote {args.out} ({len(rows)} LPAs)")


if __name__ == "__main__":
    main()
