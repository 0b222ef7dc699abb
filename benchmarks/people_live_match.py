"""How fast and how well live matching (``match_person``) answers against a large person index.

Builds an index of ``--count`` synthetic records (``socex.people.synth``; ``--duplicate-rate``
of the people have further records, as several agencies would hold them), then times
``match_person(details)`` for:

* **known** people: a fresh corrupted copy of someone in the index (typos, nicknames, swapped
  names, missing or mistyped date of birth, a new address or phone...), never written to it;
  the answer is right if one of that person's records is in the top 5 (and top 1);
* **unknown** people: someone who is not in the index at all; the answer is right if no
  candidate reaches 80% ("Likely").

Reports p50/p95/p99 latency of each, with two baselines timed in the same run: a primary-key
fetch of one person, and the blocking-key lookup alone (``candidate_ids``) that ``match_person``
starts with.

SQLite by default; PostgreSQL when ``DATABASE_URL`` names a server (the user needs CREATEDB),
for example through the throwaway cluster of ``scripts/test-postgres.sh``:

    .venv/bin/python benchmarks/people_live_match.py --count 1000000 --reuse
    bash scripts/test-postgres.sh .venv/bin/python benchmarks/people_live_match.py --count 1000000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from _bench import machine  # noqa: E402
from people_index_db import IndexInfo, open_index  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="records in the index (default 100000)")
    parser.add_argument("--duplicate-rate", type=float, default=0.1, help="share of people with duplicates (0.1)")
    parser.add_argument("--queries", type=int, default=300, help="known-person queries (default 300)")
    parser.add_argument("--unknown", type=int, default=100, help="unknown-person queries (default 100)")
    parser.add_argument("--seed", type=int, default=2026, help="population seed (default 2026)")
    parser.add_argument("--reuse", action="store_true", help="keep the database and reuse it next time")
    parser.add_argument(
        "--via-service", action="store_true", help="load through people_bulk_create (slower) instead of executemany"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args()
    if args.count < 1_000 or args.queries < 10 or args.unknown < 0:
        parser.error("--count must be at least 1000 and --queries at least 10")
    if not 0 <= args.duplicate_rate <= 1:
        parser.error("--duplicate-rate must be between 0 and 1")
    return args


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    args = parse_args()
    with open_index(
        count=args.count,
        duplicate_rate=args.duplicate_rate,
        seed=args.seed,
        reuse=args.reuse,
        progress=not args.no_progress,
        via_service=args.via_service,
    ) as info:
        run(args, info)


def run(args: argparse.Namespace, info: IndexInfo) -> None:
    from tqdm import tqdm

    from socex.people.keys import query_keys
    from socex.people.matching import candidate_ids, match_person
    from socex.people.models import MatchKey, Person
    from socex.people.synth import Population

    print(f"Database: {info.vendor} {info.version}; machine: {machine()}")
    population = Population(seed=args.seed, duplicate_rate=args.duplicate_rate)
    ids_by_entity = info.ids_by_entity()
    last_entity = info.entities[-1]
    rng = random.Random(args.seed)
    known = [population.query(entity) for entity in rng.sample(range(last_entity), args.queries)]
    unknown = [population.original(last_entity + 10 + n) for n in range(args.unknown)]

    # Warm up the caches (the nickname list, the database's pages) as a running server would be.
    for person in known[:20]:
        match_person(person.details)

    fetch_ms, keys_ms, known_ms, unknown_ms = [], [], [], []
    top1 = top5 = unknown_clear = 0
    missed: dict[str, int] = {}
    ids = rng.sample(range(info.first_id, info.first_id + info.count), args.queries)
    for query, person_id in tqdm(list(zip(known, ids, strict=True)), desc="known", disable=args.no_progress):
        fetch_ms.append(timed(lambda pid=person_id: Person.objects.get(pk=pid))[0])
        keys_ms.append(timed(lambda q=query: candidate_ids(query_keys(q.details)))[0])
        elapsed, result = timed(lambda q=query: match_person(q.details, limit=5))
        known_ms.append(elapsed)
        found = [candidate.person.pk for candidate in result]  # type: ignore[attr-defined]
        truth = set(ids_by_entity.get(query.entity, []))
        if found and found[0] in truth:
            top1 += 1
        if truth & set(found):
            top5 += 1
        else:
            for corruption in query.corruptions:
                missed[corruption] = missed.get(corruption, 0) + 1
    for query in tqdm(unknown, desc="unknown", disable=args.no_progress):
        elapsed, result = timed(lambda q=query: match_person(q.details, limit=5))
        unknown_ms.append(elapsed)
        if not result or result[0].probability < 0.8:  # type: ignore[index]
            unknown_clear += 1

    def row(name: str, values: list[float]) -> str:
        return (
            f"{name:<44} {statistics.median(values):>7.1f} {percentile(values, 0.95):>7.1f} "
            f"{percentile(values, 0.99):>7.1f} {max(values):>7.1f}"
        )

    print()
    print(f"{'latency (ms)':<44} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    print(row(f"match_person, known people ({len(known_ms)})", known_ms))
    if unknown_ms:
        print(row(f"match_person, unknown people ({len(unknown_ms)})", unknown_ms))
    print(row("baseline: blocking-key lookup alone", keys_ms))
    print(row("baseline: fetch one person by id", fetch_ms))
    print()
    print(f"known people: true person top 1 {top1 / len(known):.1%}, in top 5 {top5 / len(known):.1%}")
    if unknown:
        print(f"unknown people: no candidate at 80% or more {unknown_clear / len(unknown):.1%}")
    if missed:
        print("corruptions of the known queries missed from the top 5:", dict(sorted(missed.items())))
    # Counted last: a full count of the blocking keys fills PostgreSQL's buffers with the wrong
    # pages and slows the queries after it, which a running server never does.
    load = f"loaded in {info.load_seconds:,.0f} s" if info.load_seconds is not None else "reused"
    print(f"Index: {Person.objects.count():,} people, {MatchKey.objects.count():,} blocking keys ({load})")


if __name__ == "__main__":
    main()
