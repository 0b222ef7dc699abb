"""Settings of the intelligence app, each read from ``settings.SOCEX_<NAME>`` with a default.

Retention groups are local policy from a secondary source (DOMAIN.md §4.1 tags the MoPI groups
[U]), so they are a versioned data file. The search limits trade completeness for speed on a
force's millions of reports; docs/benchmarks.md has the figures they were set from.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
DEFAULT_RETENTION_FILE = REFERENCE_DIR / "retention.json"
DEFAULT_SEARCH_MAX_LENGTH = 200
DEFAULT_SEARCH_MAX_TERMS = 12
DEFAULT_SEARCH_RANK_WINDOW = 1000
DEFAULT_SEARCH_COUNT_CAP = 10_000
DEFAULT_TEXT_MAX_LENGTH = 20_000


@dataclass(frozen=True)
class RetentionGroup:
    code: str
    label: str
    hint: str
    review_years: int

    def review_date(self, obtained_on: dt.date) -> dt.date:
        """``obtained_on`` plus the group's years (29 February becomes 28 February)."""
        year = obtained_on.year + self.review_years
        try:
            return obtained_on.replace(year=year)
        except ValueError:
            return obtained_on.replace(year=year, day=28)


@dataclass(frozen=True)
class RetentionSchedule:
    version: str
    source: str
    default_group: str
    groups: dict[str, RetentionGroup]

    @property
    def default(self) -> RetentionGroup:
        return self.groups[self.default_group]

    def choices(self) -> list[tuple[str, str]]:
        return [(group.code, group.label) for group in self.groups.values()]


def retention_file() -> Path:
    """``SOCEX_INTEL_RETENTION_FILE``: the versioned retention groups (reference/retention.json)."""
    return Path(getattr(settings, "SOCEX_INTEL_RETENTION_FILE", DEFAULT_RETENTION_FILE))


@lru_cache(maxsize=4)
def _read_schedule(path: str) -> RetentionSchedule:
    try:
        data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
        groups = {
            str(code): RetentionGroup(
                code=str(code),
                label=str(spec["label"]),
                hint=str(spec.get("hint", "")),
                review_years=int(spec["review_years"]),
            )
            for code, spec in data["groups"].items()
        }
        schedule = RetentionSchedule(
            version=str(data.get("version", "")),
            source=str(data.get("source", "")),
            default_group=str(data["default_group"]),
            groups=groups,
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"The retention groups file {path} cannot be read: {error}") from error
    if schedule.default_group not in groups:
        raise ImproperlyConfigured(f"{path}: default_group {schedule.default_group!r} is not one of its groups.")
    if any(group.review_years < 1 for group in groups.values()):
        raise ImproperlyConfigured(f"{path}: every group needs review_years of at least 1.")
    return schedule


def retention_schedule() -> RetentionSchedule:
    return _read_schedule(str(retention_file()))


def search_max_length() -> int:
    """``SOCEX_INTEL_SEARCH_MAX_LENGTH``: a longer search is cut to this many characters (200)."""
    return int(getattr(settings, "SOCEX_INTEL_SEARCH_MAX_LENGTH", DEFAULT_SEARCH_MAX_LENGTH))


def search_max_terms() -> int:
    """``SOCEX_INTEL_SEARCH_MAX_TERMS``: words and phrases beyond this many are left out (12)."""
    return int(getattr(settings, "SOCEX_INTEL_SEARCH_MAX_TERMS", DEFAULT_SEARCH_MAX_TERMS))


def search_rank_window() -> int:
    """``SOCEX_INTEL_SEARCH_RANK_WINDOW``: how many of the newest matching reports are ranked (1,000).

    Ranking and counting read every candidate, so a word found in a hundred thousand reports would
    be slow to rank or count in full: the newest matches are ranked, a full window reads "more than
    1,000" (with PostgreSQL's estimate of the rest), and the page says so.
    """
    return int(getattr(settings, "SOCEX_INTEL_SEARCH_RANK_WINDOW", DEFAULT_SEARCH_RANK_WINDOW))


def search_count_cap() -> int:
    """``SOCEX_INTEL_SEARCH_COUNT_CAP``: a list narrowed by filters only (no search words) is counted
    exactly up to this many reports (10,000). With search words the ranking window is the count."""
    return int(getattr(settings, "SOCEX_INTEL_SEARCH_COUNT_CAP", DEFAULT_SEARCH_COUNT_CAP))


def text_max_length() -> int:
    """``SOCEX_INTEL_TEXT_MAX_LENGTH``: the longest report text accepted, in characters (20,000)."""
    return int(getattr(settings, "SOCEX_INTEL_TEXT_MAX_LENGTH", DEFAULT_TEXT_MAX_LENGTH))
