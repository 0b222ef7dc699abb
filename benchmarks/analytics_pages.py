"""How fast each analytics page answers with 36 months of force-wide crime (~1M rows) loaded.

In a throwaway database: migrates, loads the reference geography, imports the synthetic months
made by ``manage.py synth_crime`` (made first if missing; see benchmarks/analytics_import.py),
signs in an intelligence analyst with Django's test client and requests every analytics page
(part A: needs assessment, hotspots and map, seasonality, imports; part B: ranking, siting,
internal figures, briefings) ``--runs`` times after two warm-up requests, reporting p50 and p95.
Target: p95 <= 500 ms. Pages read the ``CrimeCount`` aggregate the import keeps, never ``Crime``.

    .venv/bin/python benchmarks/analytics_pages.py
    bash scripts/test-postgres.sh .venv/bin/python benchmarks/analytics_pages.py
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analytics_import import REPO, machine, throwaway_database

P95_TARGET_MS = 500


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "var" / "bench" / "crime-36m", help="synthetic CSV folder")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    return parser.parse_args()


def pages() -> list[tuple[str, str]]:
    from django.urls import NoReverseMatch, reverse

    all_categories = "&".join(
        f"categories={c}"
        for c in (
            "anti-social-behaviour", "bicycle-theft", "burglary", "criminal-damage-arson", "drugs", "other-theft",
            "possession-of-weapons", "public-order", "robbery", "shoplifting", "theft-from-the-person",
            "vehicle-crime", "violent-crime", "other-crime",
        )
    )  # fmt: skip
    wanted = [
        ("start page", "analytics:index", [], ""),
        ("needs assessment (default: 12 months, 4 categories)", "analytics:needs", [], ""),
        (
            "needs assessment (36 months, every category)",
            "analytics:needs",
            [],
            f"?{all_categories}&start=2016-01&end=2018-12",
        ),
        ("needs: Walsall month by month", "analytics:needs_lpa", ["E08000030"], ""),
        ("hotspots and map (whole force)", "analytics:hotspots", [], ""),
        ("hotspots and map (Walsall)", "analytics:hotspots", [], "?lpa=E08000030"),
        ("seasonality (whole force)", "analytics:seasonal", [], ""),
        ("seasonality (Walsall, violence)", "analytics:seasonal", [], "?lpa=E08000030&categories=violent-crime"),
        ("crime data imports", "analytics:imports", [], ""),
        ("map data: Birmingham LSOA boundaries", "areas:lsoa_boundaries", [], "?lpa=E08000025"),
        ("B: threat-risk ranking", "analytics:ranking", [], ""),
        ("B: hub siting", "analytics:siting", [], ""),
        ("B: internal figures", "analytics:internal", [], ""),
        ("B: area briefings", "analytics:briefing_index", [], ""),
        ("B: area briefing, Walsall", "analytics:briefing", ["E08000030"], ""),
        ("B: area briefing PDF, Walsall", "analytics:briefing_pdf", ["E08000030"], ""),
    ]
    found = []
    for label, name, args, query in wanted:
        try:
            found.append((label, reverse(name, args=args) + query))
        except NoReverseMatch:
            print(f"(no page {name}: left out)")
    return found


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(REPO))
    os.environ["SOCEX_MODE"] = "demo"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with throwaway_database() as vendor:
        import django

        django.setup()
        run(args, vendor)


def run(args: argparse.Namespace, vendor: str) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from socex.accounts.models import OrganisationType
    from socex.analytics.importing import crime_import
    from socex.core.testing.factories import OrganisationFactory, UserFactory

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    if not args.data.exists() or not any(args.data.rglob("*-street.csv")):
        call_command("synth_crime", str(args.data), months=args.months, rows=args.rows, verbosity=0)
    started = time.perf_counter()
    result = crime_import(paths=[args.data])
    print(f"Database: {vendor}; loaded {result.rows_imported:,} crimes in {time.perf_counter() - started:.0f} s")
    print(f"Machine: {machine()}")
    police = OrganisationFactory(name="West Midlands Police", org_type=OrganisationType.POLICE)
    analyst = UserFactory(email="bench.analyst@police.example", organisation=police, roles=["intelligence-analyst"])
    client = Client()
    client.force_login(analyst)  # type: ignore[arg-type]
    print(f"\n{'page':55} {'p50 ms':>8} {'p95 ms':>8}  target (p95 <= {P95_TARGET_MS} ms)")
    for label, url in pages():
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code}"
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        p50, p95 = statistics.median(times), _p95(times)
        print(f"{label:55} {p50:8.1f} {p95:8.1f}  {'met' if p95 <= P95_TARGET_MS else 'MISSED'}", flush=True)
    connection.close()


if __name__ == "__main__":
    main()
