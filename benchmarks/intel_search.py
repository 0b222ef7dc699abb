"""Full-text search of intelligence reports at a force's scale, beside the naive ``icontains`` baseline.

    .venv/bin/python benchmarks/intel_search.py --reports 1000000 --entities 1000000 --links 5000000 --reuse
    bash scripts/test-postgres.sh .venv/bin/python benchmarks/intel_search.py --reports 1000000 ...

Times ``socex.intelligence.search.search_reports`` exactly as the search page and the API call it:
the reports the analyst may see (restricted reports left out), parsed safely, matched through
the full-text index (PostgreSQL: GIN over a generated tsvector; SQLite: FTS5), ranked, the first
page of 20 highlighted, and the search written to the audit log. The baseline is what a first
version would do: every word as ``text__icontains`` over the same visible reports, newest first,
with a count (``LIKE '%word%'`` reads every report). The queries use the generator's vocabulary:
common words, rare names, phrases, prefixes, alternatives and exclusions.
"""

# ruff: noqa: E501 (the report's lines are long so that its columns line up)

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

from intel_db import machine, open_intel, percentile

QUERIES = [
    "line",
    "missing",
    "knife",
    "ketamine",
    "cuckooed",
    "Aberystwyth",
    "Fendi",
    "Zulu",
    '"Owen Street"',
    '"crack cocaine"',
    '"Castle Vale"',
    "recruit*",
    "Fendi Bloxwich",
    "machete Aston",
    "Rocco line Tipton",
    "taxis Shrewsbury",
    "Kiko -line",
    "Tipton OR Bilston",
    "deal line phone",
    "girlfriend money",
]


def words_of(query: str) -> list[str]:
    """The words the naive baseline looks for (operators and quotes dropped, as a person would)."""
    cleaned = re.sub(r"\bOR\b|-\w+|[\"*]", " ", query)
    return [w for w in cleaned.split() if w]


def naive(user: Any, query: str) -> tuple[int, list[int]]:
    from socex.intelligence.models import Report

    reports = Report.objects.visible_to(user)
    for word in words_of(query):
        reports = reports.filter(text__icontains=word)
    page = list(reports.order_by("-obtained_on", "-id").values_list("pk", flat=True)[:20])
    return reports.count(), page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="keep the database for the next run (and reuse one)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each query through the index")
    parser.add_argument("--naive-repeats", type=int, default=1, help="runs of each query with icontains")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with open_intel(
        reports=args.reports, entities=args.entities, links=args.links, seed=args.seed, reuse=args.reuse
    ) as db:
        from socex.core.context import acting_as
        from socex.intelligence.search import search_reports

        print(f"Machine: {machine()}")
        print(f"Database: {db.vendor} {db.version}; {db.reports:,} reports")
        if db.load_seconds is not None:
            print(f"Loaded with synth_intel in {db.load_seconds:,.0f} s")
        with acting_as(db.analyst, channel="web"):
            for query in QUERIES[:5]:  # warm the caches
                search_reports(db.analyst, query)
            indexed: list[float] = []
            per_query: dict[str, dict[str, Any]] = {}
            for query in QUERIES:
                times = []
                for _ in range(args.repeats):
                    started = time.perf_counter()
                    results = search_reports(db.analyst, query, limit=20)
                    times.append(time.perf_counter() - started)
                indexed.extend(times)
                per_query[query] = {
                    "indexed_ms": 1000 * min(times),
                    "matches": results.total,
                    "capped": results.count_capped,
                }
            baseline: list[float] = []
            for query in QUERIES:
                times = []
                for _ in range(args.naive_repeats):
                    started = time.perf_counter()
                    count, _ = naive(db.analyst, query)
                    times.append(time.perf_counter() - started)
                baseline.extend(times)
                per_query[query] |= {"naive_ms": 1000 * min(times), "naive_matches": count}
        figures = {
            "indexed_p50_ms": 1000 * percentile(indexed, 0.5),
            "indexed_p95_ms": 1000 * percentile(indexed, 0.95),
            "indexed_max_ms": 1000 * max(indexed),
            "naive_p50_ms": 1000 * percentile(baseline, 0.5),
            "naive_p95_ms": 1000 * percentile(baseline, 0.95),
            "samples": len(indexed),
            "naive_samples": len(baseline),
        }
        print()
        print(
            f"Full-text search, {len(QUERIES)} queries x {args.repeats} (first page of 20, ranked, highlighted, audited)"
        )
        print(
            f"  index ({'GIN tsvector' if db.vendor == 'postgresql' else 'FTS5'}): p50 {figures['indexed_p50_ms']:8.1f} ms   p95 {figures['indexed_p95_ms']:8.1f} ms   max {figures['indexed_max_ms']:.1f} ms"
        )
        print(
            f"  naive icontains:      p50 {figures['naive_p50_ms']:8.1f} ms   p95 {figures['naive_p95_ms']:8.1f} ms   ({len(baseline)} runs)"
        )
        print(
            f"  speed-up: p50 {figures['naive_p50_ms'] / figures['indexed_p50_ms']:.0f}x, p95 {figures['naive_p95_ms'] / figures['indexed_p95_ms']:.0f}x"
        )
        print()
        print(f"  {'query':<22} {'index ms':>9} {'matches':>9} {'icontains ms':>13} {'matches':>9}")
        for query, row in per_query.items():
            matches = f"{'>' if row['capped'] else ''}{row['matches']:,}"
            print(
                f"  {query:<22} {row['indexed_ms']:9.1f} {matches:>9} {row['naive_ms']:13.1f} {row['naive_matches']:9,}"
            )
        if args.json:
            payload = {
                "machine": machine(),
                "vendor": db.vendor,
                "version": db.version,
                "reports": db.reports,
                "figures": figures,
                "queries": per_query,
            }
            args.json.write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
