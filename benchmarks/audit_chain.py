"""How fast the audit log writes and verifies its hash chain.

Measures, in a throwaway database it creates and removes itself:

* ``audit.record`` throughput: events/s, one transaction per event as services write them,
  median of several batches;
* two baselines from the same run: the SHA-256 chain hashing alone (no database) and a
  plain bulk insert of events with no hashing, chaining or locking;
* ``manage.py audit_verify`` wall time once the log holds ``--events`` events (filled by a
  chained bulk insert, which is also timed).

SQLite by default (a file in a temporary directory). If ``DATABASE_URL`` points at PostgreSQL,
a temporary database is created on that server (the user needs CREATEDB) and dropped after.
Never touches ``var/socex.sqlite3`` or the database ``DATABASE_URL`` names.

    .venv/bin/python benchmarks/audit_chain.py --events 100000
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from _bench import machine, throwaway_database

REPO = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="events in the log when verifying (default 100000)")
    parser.add_argument("--batches", type=int, default=5, help="record() batches to take the median of (default 5)")
    parser.add_argument("--batch-size", type=int, default=1_000, help="events per record() batch (default 1000)")
    parser.add_argument("--verify-runs", type=int, default=3, help="audit_verify runs to take the median of")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args()
    for name in ("events", "batches", "batch_size", "verify_runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.events < 3 * args.batches * args.batch_size:
        parser.error("--events must be at least 3 x --batches x --batch-size (the record() batches count towards it)")
    return args


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(REPO))
    os.environ["SOCEX_MODE"] = "demo"
    os.environ["DEBUG"] = "0"  # no debug cursor wrapper: it would time Django's query log, not ours
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with throwaway_database() as vendor:
        import django

        django.setup()
        run(args, vendor)


def run(args: argparse.Namespace, vendor: str) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm

    from socex.audit.models import Action, Event
    from socex.audit.services import GENESIS_HASH, compute_hash, record
    from socex.core.context import acting_as

    call_command("migrate", verbosity=0)
    progress = not args.no_progress
    print(f"Database: {vendor} {connection.Database.sqlite_version if vendor == 'sqlite' else connection.pg_version}")
    print(f"Machine: {machine()}")

    def sample(n: int) -> Event:
        return Event(
            occurred_at=timezone.now(),
            actor_id=uuid.uuid4(),
            actor_label="det.birmingham@police.example",
            organisation_id=uuid.uuid4(),
            organisation_label="West Midlands Police",
            action=Action.VIEW,
            object_type="cases.case",
            object_id=str(uuid.uuid4()),
            object_repr=f"EXP-2026-{n:06d}",
            justification="Strategy meeting",
            detail={"n": n},
            ip_address="198.51.100.7",
            request_id=uuid.uuid4().hex,
        )

    # 1. audit.record(). The variants take turns in each round, so the machine's drift (it is
    # shared) falls on all of them alike.
    def record_batch() -> None:
        for n in range(args.batch_size):
            record(Action.VIEW, object_type="cases.case", object_id=str(n), justification="Meeting")

    def set_synchronous(level: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={level}")

    def one_per_transaction() -> None:
        record_batch()

    def all_in_one_transaction() -> None:
        # As inside a service's own transaction: the event costs no commit of its own.
        with transaction.atomic():
            record_batch()

    def sqlite_synchronous_normal() -> None:
        # For comparison only: the settings leave SQLite at synchronous=FULL (an fsync per commit).
        set_synchronous("NORMAL")
        try:
            record_batch()
        finally:
            set_synchronous("FULL")

    variants = [one_per_transaction, all_in_one_transaction]
    if vendor == "sqlite":
        variants.append(sqlite_synchronous_normal)
    rounds: dict[str, list[float]] = {variant.__name__: [] for variant in variants}
    with acting_as(None, ip_address="198.51.100.7", channel="benchmark"):
        for _ in tqdm(range(args.batches), desc="record() rounds", disable=not progress):
            for variant in variants:
                rounds[variant.__name__].append(args.batch_size / timed(variant))
    rates = rounds["one_per_transaction"]
    in_transaction = rounds["all_in_one_transaction"]
    relaxed = rounds.get("sqlite_synchronous_normal", [])

    # 2. Baseline: SHA-256 chain hashing alone, no database.
    hash_events = [sample(n) for n in range(min(args.events, 100_000))]

    def hash_all() -> None:
        previous = GENESIS_HASH
        for event in hash_events:
            event.prev_hash = previous
            previous = event.hash = compute_hash(event)

    hash_rate = len(hash_events) / timed(hash_all)

    # 3. Fill the log to --events with a chained bulk insert (correct hashes, one transaction per 5,000).
    remaining = filled = args.events - Event.objects.count()
    fill_started = time.perf_counter()
    with tqdm(total=remaining, desc="chained bulk insert", disable=not progress) as bar:
        while remaining > 0:
            size = min(5_000, remaining)
            with transaction.atomic():
                previous = Event.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
                batch = [sample(n) for n in range(size)]
                for event in batch:
                    event.prev_hash = previous
                    previous = event.hash = compute_hash(event)
                Event.objects.bulk_create(batch, batch_size=1_000)
            remaining -= size
            bar.update(size)
    fill_rate = max(filled, 1) / (time.perf_counter() - fill_started)
    total = Event.objects.count()

    # 4. audit_verify over the whole log.
    verify_times = []
    for _ in tqdm(range(args.verify_runs), desc="audit_verify runs", disable=not progress):
        out = io.StringIO()
        started = time.perf_counter()
        call_command("audit_verify", "--no-progress", stdout=out)
        verify_times.append(time.perf_counter() - started)
        if "Audit chain intact" not in out.getvalue():
            raise SystemExit(f"audit_verify did not report an intact chain: {out.getvalue()}")

    # 5. Baseline: plain bulk insert with no hashing (after verifying: these rows break the chain).
    plain = [sample(n) for n in range(min(args.events, 50_000))]
    for event in plain:
        event.prev_hash = GENESIS_HASH
        event.hash = uuid.uuid4().hex + uuid.uuid4().hex

    def bulk_plain() -> None:
        with transaction.atomic():
            Event.objects.bulk_create(plain, batch_size=1_000)

    plain_rate = len(plain) / timed(bulk_plain)

    verify_median = statistics.median(verify_times)
    rows = [
        ("audit.record(), one transaction each", f"{statistics.median(rates):,.0f} events/s",
         f"median of {args.batches} x {args.batch_size:,}; range {min(rates):,.0f}-{max(rates):,.0f}"),
        ("audit.record(), all in one transaction", f"{statistics.median(in_transaction):,.0f} events/s",
         f"median of {args.batches} x {args.batch_size:,}; as inside a service's transaction"),
        *(
            [("audit.record(), SQLite synchronous=NORMAL", f"{statistics.median(relaxed):,.0f} events/s",
              "for comparison; the app runs with FULL")]
            if relaxed
            else []
        ),
        ("baseline: chain hashing only (no database)", f"{hash_rate:,.0f} events/s", f"{len(hash_events):,} events"),
        ("baseline: plain bulk insert, no hashing", f"{plain_rate:,.0f} events/s",
         f"{len(plain):,} events, one transaction"),
        ("chained bulk insert (used to fill the log)", f"{fill_rate:,.0f} events/s", "5,000 per transaction"),
        (f"audit_verify at {total:,} events", f"{verify_median:.2f} s",
         f"median of {len(verify_times)}; {total / verify_median:,.0f} events/s"),
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    print()
    print(f"{'measure':<{widths[0]}}  {'result':>{widths[1]}}  notes")
    for name, value, note in rows:
        print(f"{name:<{widths[0]}}  {value:>{widths[1]}}  {note}")


if __name__ == "__main__":
    main()
