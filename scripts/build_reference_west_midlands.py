#!/usr/bin/env python3
"""Build the West Midlands reference files from the shared public data.

    python scripts/build_reference_west_midlands.py [--data ../shared/data] [--out DIR]

Reads (never commits) the ONS Census 2021 and geography files under ``--data`` and writes
``force.csv``, ``lpas.csv``, ``hubs.csv`` and ``lsoas.csv`` into
``socex/areas/reference/west_midlands/``, which ``manage.py load_reference`` then loads.
Standard library only, so it runs without the project's virtual environment.

Every figure is checked two ways before anything is written:

* LSOA -> local authority from the ONS LSOA 2021 boundaries (``LADCD_ACTIVE``), cross-checked
  against the BCC-PHM IMD 2025 lookup (``LA24CD``);
* usual residents from Census 2021 TS001, cross-checked against the sum of the six age bands.

The output is deterministic (sorted, fixed line endings), so re-running it on the same inputs
gives byte-identical files and a clean ``git diff``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "socex" / "areas" / "reference" / "west_midlands"

FORCE_CODE = "E23000014"
FORCE_NAME = "West Midlands Police"
# The seven metropolitan districts that make up the West Midlands Police area.
LADS = {
    "E08000025": "Birmingham",
    "E08000026": "Coventry",
    "E08000027": "Dudley",
    "E08000028": "Sandwell",
    "E08000029": "Solihull",
    "E08000030": "Walsall",
    "E08000031": "Wolverhampton",
}
# Which LPAs each hub serves. An ASSUMPTION to confirm with the force (see README.md).
HUBS = [
    ("birmingham", "Birmingham SOCEX Hub", "E08000025", ["E08000025", "E08000029"]),
    ("coventry", "Coventry SOCEX Hub", "E08000026", ["E08000026"]),
    ("wolverhampton", "Wolverhampton SOCEX Hub", "E08000031", ["E08000031", "E08000030", "E08000027", "E08000028"]),
]
POPULATION_SOURCE = "ONS Census 2021 (TS001), usual residents, sum of LSOA 2021 counts"
POPULATION_DATE = "2021-03-21"  # Census day: the date these counts describe.
EXPECTED_LSOAS = 1719
AGE_UNDER_16 = "Aged 15 years and under"
AGE_16_TO_24 = "Aged 16 to 24 years"
# The most two independently perturbed Census 2021 tables may disagree for one LSOA (observed: 6), and for a
# whole district as a share of its residents (observed: 0.01%).
MAX_LSOA_PERTURBATION = 10
MAX_LAD_PERTURBATION = 0.001


@dataclass
class Lsoa:
    code: str
    name: str
    lad: str
    population: int = -1
    population_0_15: int = -1
    population_16_24: int = -1
    age_total: int = 0


class BuildError(Exception):
    pass


def read_boundaries(data: Path) -> dict[str, Lsoa]:
    lsoas: dict[str, Lsoa] = {}
    for lad in LADS:
        path = data / "geography" / "boundaries" / "lsoa21" / f"{lad}.geojson"
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        for feature in features:
            props = feature["properties"]
            if props["LADCD_ACTIVE"] != lad:
                raise BuildError(f"{path.name}: {props['LSOA21CD']} is in {props['LADCD_ACTIVE']}, not {lad}")
            lsoas[props["LSOA21CD"]] = Lsoa(code=props["LSOA21CD"], name=props["LSOA21NM"], lad=lad)
    if len(lsoas) != EXPECTED_LSOAS:
        raise BuildError(f"expected {EXPECTED_LSOAS} LSOAs in the boundary files, found {len(lsoas)}")
    return lsoas


def cross_check_lookup(data: Path, lsoas: dict[str, Lsoa]) -> None:
    path = data / "geography" / "bccphm_imd2025_lsoa21_lookup_pop2024_england.csv"
    seen = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            lsoa = lsoas.get(row["LSOA21CD"])
            if row["LA24CD"] in LADS and lsoa is None:
                raise BuildError(f"{path.name}: {row['LSOA21CD']} is in {row['LA24CD']} but not in the boundaries")
            if lsoa is not None:
                seen += 1
                if row["LA24CD"] != lsoa.lad:
                    raise BuildError(f"{path.name}: {lsoa.code} is in {row['LA24CD']}, boundaries say {lsoa.lad}")
    if seen != len(lsoas):
        raise BuildError(f"{path.name}: found {seen} of {len(lsoas)} LSOAs")


def read_ts001(data: Path, lsoas: dict[str, Lsoa]) -> None:
    path = data / "geography" / "census2021_TS001_usual_residents_lsoa21_ew.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["mnemonic"]
            # The Nomis extract ends with blank rows and a disclosure-control footnote.
            if not code or not row["total"]:
                continue
            lsoa = lsoas.get(code)
            if lsoa is None:
                continue
            if row["2021 super output area - lower layer"] != lsoa.name:
                raise BuildError(f"{path.name}: {code} is named {row['2021 super output area - lower layer']!r}")
            lsoa.population = int(row["total"])
    missing = [lsoa.code for lsoa in lsoas.values() if lsoa.population < 0]
    if missing:
        raise BuildError(f"{path.name}: no count for {len(missing)} LSOAs, e.g. {missing[:3]}")


def read_age_bands(data: Path, lsoas: dict[str, Lsoa]) -> None:
    path = data / "geography" / "census2021_usual_residents_by_age6_lsoa21_ew.csv"
    bands: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lsoa = lsoas.get(row["lsoa21_code"])
            if lsoa is None:
                continue
            count = int(row["usual_residents"])
            lsoa.age_total += count
            bands[lsoa.code] += 1
            if row["age_group"] == AGE_UNDER_16:
                lsoa.population_0_15 = count
            elif row["age_group"] == AGE_16_TO_24:
                lsoa.population_16_24 = count
    for lsoa in lsoas.values():
        if bands[lsoa.code] != 6 or lsoa.population_0_15 < 0 or lsoa.population_16_24 < 0:
            raise BuildError(f"{path.name}: {lsoa.code} does not have all six age bands")
        # ONS perturbs each Census table independently (statistical disclosure control), so
        # the age table and TS001 differ by a few people per LSOA; more than that means the
        # files do not describe the same areas.
        if abs(lsoa.age_total - lsoa.population) > MAX_LSOA_PERTURBATION:
            raise BuildError(f"{lsoa.code}: age bands sum to {lsoa.age_total}, TS001 says {lsoa.population}")
        if lsoa.population_0_15 + lsoa.population_16_24 > lsoa.population:
            raise BuildError(f"{lsoa.code}: more residents aged 0-24 than residents")


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(data: Path, out: Path) -> dict[str, int]:
    lsoas = read_boundaries(data)
    cross_check_lookup(data, lsoas)
    read_ts001(data, lsoas)
    read_age_bands(data, lsoas)

    totals: dict[str, int] = defaultdict(int)
    age_totals: dict[str, int] = defaultdict(int)
    for lsoa in lsoas.values():
        totals[lsoa.lad] += lsoa.population
        age_totals[lsoa.lad] += lsoa.age_total
    for lad, total in totals.items():
        if abs(age_totals[lad] - total) > MAX_LAD_PERTURBATION * total:
            raise BuildError(f"{lad}: age bands sum to {age_totals[lad]}, TS001 to {total}")

    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "force.csv", ["code", "name"], [[FORCE_CODE, FORCE_NAME]])
    write_csv(
        out / "lpas.csv",
        [
            "code",
            "name",
            "force_code",
            "population",
            "population_source",
            "population_date",
            "effective_from",
            "effective_to",
        ],
        # The date each LPA took its current form is not known (DOMAIN.md 5.1): left blank
        # rather than guessed, for the force to fill in.
        [
            [code, name, FORCE_CODE, totals[code], POPULATION_SOURCE, POPULATION_DATE, "", ""]
            for code, name in LADS.items()
        ],
    )
    write_csv(
        out / "hubs.csv",
        ["code", "name", "force_code", "base_lpa_code", "lpas_served"],
        [[code, name, FORCE_CODE, base, ";".join(served)] for code, name, base, served in HUBS],
    )
    write_csv(
        out / "lsoas.csv",
        ["code", "name", "lpa_code", "population", "population_0_15", "population_16_24"],
        [
            [lsoa.code, lsoa.name, lsoa.lad, lsoa.population, lsoa.population_0_15, lsoa.population_16_24]
            for lsoa in sorted(lsoas.values(), key=lambda item: item.code)
        ],
    )
    return dict(totals)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the CSV files")
    args = parser.parse_args(argv)
    try:
        totals = build(args.data, args.out)
    except (BuildError, OSError, KeyError, ValueError) as exc:
        print(f"Could not build the reference files: {exc}", file=sys.stderr)
        return 1
    for code, name in LADS.items():
        print(f"{code} {name:<14} {totals[code]:>9,}")
    print(f"{'':24}{sum(totals.values()):>9,} usual residents in {EXPECTED_LSOAS:,} LSOAs -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
