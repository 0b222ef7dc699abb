"""How fast ``import_crime`` loads 36 months of force-wide street crime, against DuckDB alone.

In a throwaway database it creates and removes itself:

1. makes the data if it is not there: ``manage.py synth_crime`` (36 months, about 1M rows of
   archive-format CSV resampled from the real West Midlands June 2018 month);
2. baseline: DuckDB's own ``read_csv`` of the same files into a DuckDB table (type detection on,
   as anyone would call it), in a fresh in-memory connection each time;
3. ours: ``crime_import`` of the same folder into the database: reading, checking, placing in
   LSOAs/LPAs, de-duplicating, replacing the months and writing ``Crime`` and ``CrimeCount``.

The two take turns for ``--runs`` rounds (the machine is shared, so drift falls on both) and
the medians are compared. Target: ours at most 2x the baseline. From the second round on, each
import also deletes the months the round before wrote (a re-import replaces).

SQLite by default (a file in a temporary directory). If ``DATABASE_URL`` points at PostgreSQL,
a temporary database is created there and dropped after:

    .venv/bin/python benchmarks/analytics_import.py
    bash scripts/test-postgres.sh .venv/bin/python benchmarks/analytics_import.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from _bench import machine, throwaway_database

REPO = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "var" / "bench" / "crime-36m", help="synthetic CSV folder")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="rounds to take the median of (default 3)")
    return parser.parse_args()


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
    import io

    import duckdb
    from django.core.management import call_command
    from django.db import connection

    from socex.analytics.importing import crime_import
    from socex.analytics.models import Crime, CrimeCount

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    if not args.data.exists() or not any(args.data.rglob("*-street.csv")):
        print(f"Making {args.months} months (~{args.rows:,} rows) in {args.data} ...", flush=True)
        call_command("synth_crime", str(args.data), months=args.months, rows=args.rows, verbosity=0)
    files = sorted(str(p) for p in args.data.rglob("*-street.csv"))
    size = sum(Path(f).stat().st_size for f in files)
    version = connection.Database.sqlite_version if vendor == "sqlite" else connection.pg_version  # type: ignore[attr-defined]
    print(f"Database: {vendor} {version}; DuckDB {duckdb.__version__}")
    print(f"Machine: {machine()}")
    print(f"Data: {len(files)} files, {size / 1e6:,.0f} MB")

    def baseline() -> tuple[float, int]:
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        start = time.perf_counter()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, header = true)", [files])
        elapsed = time.perf_counter() - start
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]  # type: ignore[index]
        con.close()
        return elapsed, int(rows)

    stages: dict[str, list[float]] = {}

    def ours() -> tuple[float, int]:
        start = time.perf_counter()
        result = crime_import(paths=[args.data])
        for stage, seconds in result.timings.items():
            stages.setdefault(stage, []).append(seconds)
        return time.perf_counter() - start, result.rows_imported

    base_times, our_times = [], []
    for round_number in range(1, args.runs + 1):
        b, base_rows = baseline()
        o, our_rows = ours()
        base_times.append(b)
        our_times.append(o)
        print(
            f"round {round_number}: DuckDB read_csv {b:6.2f} s ({base_rows:,} rows)   "
            f"import_crime {o:6.2f} s ({our_rows:,} rows)",
            flush=True,
        )
    assert Crime.objects.count() == our_rows, "a re-import must replace, not add"
    held = sum(CrimeCount.objects.values_list("count", flat=True))
    assert held == our_rows, "CrimeCount must add up to the crimes imported"
    b, o = statistics.median(base_times), statistics.median(our_times)
    print()
    print(f"| measure | median of {args.runs} | |")
    print("|---|---|---|")
    print(f"| DuckDB `read_csv` of the same files (baseline) | {b:.2f} s | {base_rows / b:,.0f} rows/s |")
    print(
        "| `import_crime` (read, check, place, de-duplicate, replace, write Crime + CrimeCount) "
        f"| {o:.2f} s | {our_rows / o:,.0f} rows/s |"
    )
    print(f"| ratio (target <= 2x) | {o / b:.2f}x | |")
    print()
    print("Where import_crime's time goes (median seconds):")
    for stage, seconds in stages.items():
        print(f"- {stage}: {statistics.median(seconds):.2f} s ({statistics.median(seconds) / b:.2f}x the baseline)")


if __name__ == "__main__":
    main()
