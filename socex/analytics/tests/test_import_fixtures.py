"""Fixtures and helpers for the part A analytics tests (crime import, needs, hotspots, seasons).

Imported by those test modules (``from socex.analytics.tests.test_import_fixtures import ...``),
so they do not depend on a conftest shared with part B.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).resolve().parent / "data"
ARCHIVE_SAMPLE = DATA / "2023-06-west-midlands-street_first69rows.csv"
STOP_AND_SEARCH = DATA / "2024-06-west-midlands-stop-and-search_first74rows.csv"
WALSALL_JSON = DATA / "wm_2018-06_walsall"
LAMBETH_COUNTS = DATA / "lambeth_monthly_counts.csv"


@pytest.fixture
def reference(db) -> None:
    """The shipped West Midlands reference data (LPAs, hubs, 1,719 LSOAs), as load_reference loads it."""
    call_command("load_reference", stdout=StringIO(), stderr=StringIO())


def run_import(*paths: Path, allow_partial: bool = True, **options: object) -> str:
    """``manage.py import_crime``; returns what it printed. Raises CommandError on refusal."""
    out = StringIO()
    args = [str(p) for p in paths] + (["--allow-partial"] if allow_partial else [])
    call_command("import_crime", *args, stdout=out, stderr=StringIO(), verbosity=0, **options)
    return out.getvalue()


@pytest.fixture
def walsall_imported(reference) -> None:
    """Eight Walsall ward files of June 2018 (API JSON, overlapping at the edges), imported."""
    run_import(WALSALL_JSON)


@pytest.fixture
def archive_imported(reference) -> None:
    """The 69-row archive CSV sample of June 2023 (Birmingham only), imported."""
    run_import(ARCHIVE_SAMPLE)


def walsall_records() -> list[dict]:
    records = []
    for path in sorted(WALSALL_JSON.glob("*.json")):
        records.extend(json.loads(path.read_text()))
    return records
