"""Demo crime data for the analytics pages (needs assessment, hotspots, seasonality).

Street crime is public data, so the demo uses real places and categories: 24 months made by
``socex.analytics.synth`` from the real West Midlands month of June 2018 shipped in
``socex/analytics/reference/demo/`` (resampled with a seasonal shape, new Crime IDs; not real
crimes), imported through ``crime_import`` like any files. ``SOCEX_DEMO_CRIME_ROWS`` sets how many
rows (the tests use fewer).
"""

from __future__ import annotations

import datetime as dt
import gzip
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from socex.accounts.models import Organisation
from socex.analytics.importing import crime_import
from socex.analytics.models import CrimeLPAMonth
from socex.analytics.synth import load_template, synthesise

if TYPE_CHECKING:
    from socex.demo.seed import SeedSummary

DEMO_MONTHS = 24
DEMO_ROWS = 240_000
DEMO_START = dt.date(2023, 1, 1)
TEMPLATE = Path(__file__).resolve().parent.parent / "analytics" / "reference" / "demo" / "wm-2018-06.json.gz"


def seed_demo_analytics_crime(*, organisations: dict[str, Organisation], summary: SeedSummary) -> None:
    """Import 24 synthetic months of street crime unless crime data is already held (idempotent)."""
    summary.created.setdefault("crime months", 0)
    summary.existing.setdefault("crime months", 0)
    held = CrimeLPAMonth.objects.values("month").distinct().count()
    if held:
        summary.existing["crime months"] += held
        return
    rows = int(getattr(settings, "SOCEX_DEMO_CRIME_ROWS", DEMO_ROWS))
    with tempfile.TemporaryDirectory(prefix="socex-demo-crime-") as tmp:
        month = Path(tmp) / "template"
        month.mkdir()
        (month / "wm-2018-06.json").write_bytes(gzip.decompress(TEMPLATE.read_bytes()))
        template = load_template(month)
        synthesise(template, Path(tmp) / "months", start=DEMO_START, months=DEMO_MONTHS, rows=rows)
        result = crime_import(paths=[Path(tmp) / "months"])
    summary.created["crime months"] += len(result.months)
