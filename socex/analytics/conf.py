"""Settings for crime import, the needs assessment, hotspots and seasonality (part A).

Each reads ``settings.SOCEX_<NAME>`` with a default, so a force or a test can change it. Which
categories count as serious violence is a local definition (DOMAIN.md §3.2): make it yours.

* ``SOCEX_ANALYTICS_SERIOUS_VIOLENCE_CATEGORIES``: the police.uk categories the needs
  assessment shows by default (violence and sexual offences, robbery, possession of weapons,
  drugs).
* ``SOCEX_ANALYTICS_CATEGORIES_FILE`` (``reference/police_uk_categories.csv``): category slugs,
  labels and the older labels that map to them.
* ``SOCEX_ANALYTICS_SCHOOL_HOLIDAYS_FILE`` (``reference/school_holidays.csv``): summer holiday
  dates by year, marked on forecasts. The shipped dates are a typical pattern [U]: load the
  councils' own.
* ``SOCEX_ANALYTICS_MAX_OUTSIDE_SHARE`` (``0.05``): an import fails when more than this share of
  its rows lie outside the force's areas (unknown LSOA codes, or points outside every LSOA);
  below it, those rows are skipped and listed in the report.
* ``SOCEX_ANALYTICS_MIN_REPLACE_SHARE`` (``0.5``): re-importing a month that already holds data
  fails if the new files hold fewer than this share of its rows (a month partly present),
  unless the import is told ``allow_partial``.
* ``SOCEX_ANALYTICS_HOTSPOT_ALPHA`` (``0.05``): the significance level for Getis-Ord Gi* hotspots.
* ``SOCEX_ANALYTICS_FORECAST_MONTHS`` (``6``) and ``SOCEX_ANALYTICS_INTERVAL`` (``0.8``): the
  forecast horizon and the coverage of its interval.
* ``SOCEX_ANALYTICS_CONTROL_SIGMA`` (``3``): the control limits that flag a spike (expected ±
  this many standard deviations of the one-step-ahead error); 2 gives the warning limits.
* ``SOCEX_ANALYTICS_POPULATION_PER`` (``1000``): rates are per this many residents.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

DEFAULT_SERIOUS_VIOLENCE = ("violent-crime", "robbery", "possession-of-weapons", "drugs")


def serious_violence_categories() -> tuple[str, ...]:
    return tuple(getattr(settings, "SOCEX_ANALYTICS_SERIOUS_VIOLENCE_CATEGORIES", DEFAULT_SERIOUS_VIOLENCE))


def _reference_path(setting: str, default: str) -> Path:
    path = Path(str(getattr(settings, setting, default)))
    return path if path.is_absolute() else REFERENCE_DIR / path


def categories_file() -> Path:
    return _reference_path("SOCEX_ANALYTICS_CATEGORIES_FILE", "police_uk_categories.csv")


def school_holidays_file() -> Path:
    return _reference_path("SOCEX_ANALYTICS_SCHOOL_HOLIDAYS_FILE", "school_holidays.csv")


def max_outside_share() -> float:
    return float(getattr(settings, "SOCEX_ANALYTICS_MAX_OUTSIDE_SHARE", 0.05))


def min_replace_share() -> float:
    return float(getattr(settings, "SOCEX_ANALYTICS_MIN_REPLACE_SHARE", 0.5))


def hotspot_alpha() -> float:
    return float(getattr(settings, "SOCEX_ANALYTICS_HOTSPOT_ALPHA", 0.05))


def forecast_months() -> int:
    return int(getattr(settings, "SOCEX_ANALYTICS_FORECAST_MONTHS", 6))


def interval() -> float:
    return float(getattr(settings, "SOCEX_ANALYTICS_INTERVAL", 0.8))


def control_sigma() -> float:
    return float(getattr(settings, "SOCEX_ANALYTICS_CONTROL_SIGMA", 3))


def population_per() -> int:
    return int(getattr(settings, "SOCEX_ANALYTICS_POPULATION_PER", 1000))


@dataclass(frozen=True)
class Category:
    slug: str
    label: str
    legacy_labels: tuple[str, ...]


@cache
def _categories(path: Path) -> tuple[Category, ...]:
    with path.open(encoding="utf-8") as handle:
        return tuple(
            Category(row["slug"], row["label"], tuple(x for x in row["legacy_labels"].split("|") if x))
            for row in csv.DictReader(handle)
        )


def categories() -> tuple[Category, ...]:
    """The police.uk categories, in the file's order."""
    return _categories(categories_file())


def category_labels() -> dict[str, str]:
    """Slug -> label."""
    return {c.slug: c.label for c in categories()}


def label_to_slug() -> dict[str, str]:
    """Every label a CSV may carry (current and older) -> slug."""
    mapping = {}
    for c in categories():
        mapping[c.label] = c.slug
        for legacy in c.legacy_labels:
            mapping[legacy] = c.slug
    return mapping


@dataclass(frozen=True)
class Holiday:
    year: int
    start: dt.date
    end: dt.date
    source: str


@cache
def _holidays(path: Path) -> tuple[Holiday, ...]:
    with path.open(encoding="utf-8") as handle:
        return tuple(
            Holiday(
                int(row["year"]),
                dt.date.fromisoformat(row["summer_start"]),
                dt.date.fromisoformat(row["summer_end"]),
                row["source"],
            )
            for row in csv.DictReader(handle)
        )


def school_summer_holidays() -> tuple[Holiday, ...]:
    return _holidays(school_holidays_file())
