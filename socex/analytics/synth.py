"""Synthetic force-wide street crime in the data.police.uk archive format, for benchmarks and demos.

Only one real West Midlands month can be brought here (June 2018, API JSON), so more months
are made from it: each month resamples the real month's crimes with replacement (same places,
categories and outcomes), the number drawn following a seasonal shape and a gentle trend, with
new random Crime IDs. Points are given the LSOA 2021 they fall in, as the archive does. The
result has the real month's geography and category mix, not real crimes: never present it
as data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from socex.analytics.importing_sources import ARCHIVE_HEADER
from socex.analytics.seasonal import add_months

# Monthly factors (January first): a summer peak, a dip in February and December.
SHAPE = np.array([0.95, 0.88, 0.97, 0.98, 1.04, 1.05, 1.12, 1.09, 1.01, 1.03, 0.98, 0.90])
SHAPE = SHAPE / SHAPE.mean()
TREND_PER_YEAR = 0.02
LABELS = {
    "anti-social-behaviour": "Anti-social behaviour",
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
    "other-crime": "Other crime",
}


@dataclass
class Template:
    """The real month's unique crimes, as columns."""

    longitude: np.ndarray
    latitude: np.ndarray
    location: np.ndarray
    category: np.ndarray
    outcome: np.ndarray
    lsoa_code: np.ndarray
    lsoa_name: np.ndarray

    def __len__(self) -> int:
        return len(self.longitude)


def load_template(source: Path) -> Template:
    """Read API JSON files, de-duplicate by id, and place each point in its LSOA 2021."""
    from socex.areas.boundaries import lsoa_features, lsoa_polygons

    seen: set[object] = set()
    rows = []
    for path in sorted(source.rglob("*.json")):
        for record in json.loads(path.read_text()):
            if record["id"] in seen:
                continue
            seen.add(record["id"])
            location = record["location"]
            rows.append(
                (
                    float(location["longitude"]),
                    float(location["latitude"]),
                    location["street"]["name"],
                    record["category"],
                    (record.get("outcome_status") or {}).get("category", ""),
                )
            )
    if not rows:
        raise ValueError(f"No API JSON crime records under {source}")
    lon = np.array([r[0] for r in rows])
    lat = np.array([r[1] for r in rows])
    polygons = lsoa_polygons()
    found = polygons.locate(lon, lat)
    names = {f["properties"]["code"]: f["properties"]["name"] for f in lsoa_features()["features"]}
    keep = np.array([i is not None for i in found])
    codes = np.array([polygons.codes[i] if i is not None else "" for i in found], dtype=object)
    return Template(
        longitude=lon[keep],
        latitude=lat[keep],
        location=np.array([r[2] for r in rows], dtype=object)[keep],
        category=np.array([r[3] for r in rows], dtype=object)[keep],
        outcome=np.array([r[4] for r in rows], dtype=object)[keep],
        lsoa_code=codes[keep],
        lsoa_name=np.array([names.get(c, "") for c in codes], dtype=object)[keep],
    )


def synthesise(
    template: Template,
    out: Path,
    *,
    start: dt.date,
    months: int,
    rows: int,
    seed: int = 1,
    force: str = "West Midlands Police",
    slug: str = "west-midlands",
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write ``months`` archive-format CSVs (``out/YYYY-MM/YYYY-MM-<slug>-street.csv``) holding
    about ``rows`` crimes in all; return their paths."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    calendar = [add_months(start, i) for i in range(months)]
    weights = np.array([SHAPE[m.month - 1] * (1 + TREND_PER_YEAR) ** (i / 12) for i, m in enumerate(calendar)])
    counts = rng.poisson(rows * weights / weights.sum())
    labels = np.array([LABELS.get(c, c) for c in template.category], dtype=object)
    asb = template.category == "anti-social-behaviour"
    written = []
    for month, count in zip(calendar, counts, strict=True):
        pick = rng.integers(0, len(template), size=int(count))
        hexed = rng.bytes(int(count) * 32).hex()
        crime_ids = np.array([hexed[i * 64 : (i + 1) * 64] for i in range(int(count))], dtype=object)
        crime_ids[asb[pick]] = ""
        outcome = template.outcome[pick].copy()
        outcome[(outcome == "") & ~asb[pick]] = "Status update unavailable"
        columns = {
            "Crime ID": crime_ids,
            "Month": np.full(int(count), f"{month:%Y-%m}", dtype=object),
            "Reported by": np.full(int(count), force, dtype=object),
            "Falls within": np.full(int(count), force, dtype=object),
            "Longitude": np.char.mod("%.6f", template.longitude[pick]),
            "Latitude": np.char.mod("%.6f", template.latitude[pick]),
            "Location": template.location[pick],
            "LSOA code": template.lsoa_code[pick],
            "LSOA name": template.lsoa_name[pick],
            "Crime type": labels[pick],
            "Last outcome category": outcome,
            "Context": np.full(int(count), "", dtype=object),
        }
        folder = out / f"{month:%Y-%m}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{month:%Y-%m}-{slug}-street.csv"
        # Quoted only where a value needs it, as the archive files are.
        pd.DataFrame({name: columns[name] for name in ARCHIVE_HEADER}).to_csv(path, index=False)
        written.append(path)
        if progress:
            progress(1)
    return written
