"""Does duplicate detection find people equally well whatever the origin of their name?

On a synthetic population (``socex.people.synth``; by default 100,000 records, 20% of people
with duplicates, as many people of each of the 13 name origins), reports for each origin:

* **live matching**: for each duplicate record, ``match_person`` on its details (its own record
  excluded) finds another record of the same person in the top ``--top`` at or above
  ``--threshold``; also how often a *different* person reaches the threshold in the top 5;
* **batch dedupe** (``socex.people.dedupe_model.run_pipeline``, the Splink model the nightly job
  runs, on the same records exported the same way): the duplicate record ends up in a cluster
  with another record of the same person.

Then the gap between the best and the worst origin (target: 2 points or less), Wilson 95%
intervals, and the recall of each origin for each kind of corruption, to show where a gap comes from.

    .venv/bin/python benchmarks/people_fairness.py --count 100000 --duplicate-rate 0.2
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from _bench import machine  # noqa: E402
from people_index_db import IndexInfo, open_index  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="records (default 100000)")
    parser.add_argument("--duplicate-rate", type=float, default=0.2, help="share of people with duplicates (0.2)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--top", type=int, default=5, help="a duplicate is found if in the top N (default 5)")
    parser.add_argument("--threshold", type=float, default=0.8, help="match probability needed (default 0.8)")
    parser.add_argument("--per-origin", type=int, default=0, help="live queries per origin (default: every duplicate)")
    parser.add_argument("--region-mix", action="store_true", help="the region's mix of origins, not equal numbers")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch (Splink) pipeline")
    parser.add_argument("--no-live", action="store_true", help="skip live matching")
    parser.add_argument("--reuse", action="store_true", help="keep the database and reuse it next time")
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args()


def wilson(hits: int, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    z, p = 1.96, hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


class Tally:
    """Hits out of tries, per origin and per (origin, corruption)."""

    def __init__(self) -> None:
        self.by_origin: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.by_corruption: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])

    def add(self, origin: str, corruptions: tuple[str, ...], hit: bool) -> None:
        for cell in [self.by_origin[origin], *(self.by_corruption[(origin, c)] for c in set(corruptions))]:
            cell[0] += hit
            cell[1] += 1

    def recall(self, origin: str) -> float:
        hits, n = self.by_origin[origin]
        return hits / n if n else float("nan")

    def gap(self) -> tuple[float, str, str]:
        recalls = {origin: self.recall(origin) for origin in self.by_origin}
        best, worst = max(recalls, key=recalls.__getitem__), min(recalls, key=recalls.__getitem__)
        return (recalls[best] - recalls[worst]) * 100, best, worst


def main() -> None:
    args = parse_args()
    from socex.people.synth import BALANCED_WEIGHTS

    weights = None if args.region_mix else BALANCED_WEIGHTS
    with open_index(
        count=args.count,
        duplicate_rate=args.duplicate_rate,
        seed=args.seed,
        origin_weights=weights,
        reuse=args.reuse,
        progress=not args.no_progress,
    ) as info:
        from socex.people.synth import Population

        population = Population(seed=args.seed, duplicate_rate=args.duplicate_rate, origin_weights=weights)
        records = list(population.stream(args.count))
        print(f"Database: {info.vendor} {info.version}; machine: {machine()}")
        print(
            f"Population: {len(records):,} records, {info.entities[-1] + 1:,} people, "
            f"{sum(r.copy > 0 for r in records):,} duplicate records; origins {'balanced' if weights else 'region mix'}"
        )
        tallies: dict[str, Tally] = {}
        extra: dict[str, Any] = {}
        if not args.no_live:
            tallies["live"], extra["live"] = live_recall(args, info, records)
        if not args.no_batch:
            tallies["batch"], extra["batch"] = batch_recall(args, info, records)
        report(args, tallies, extra)


def live_recall(args: argparse.Namespace, info: IndexInfo, records: list[Any]) -> tuple[Tally, dict[str, Any]]:
    from tqdm import tqdm

    from socex.people.matching import match_person

    ids_by_entity = info.ids_by_entity()
    duplicates = [(info.first_id + n, r) for n, r in enumerate(records) if r.copy > 0]
    if args.per_origin:
        rng = random.Random(args.seed)
        by_origin: dict[str, list[Any]] = defaultdict(list)
        for item in duplicates:
            by_origin[item[1].origin].append(item)
        duplicates = [x for items in by_origin.values() for x in rng.sample(items, min(len(items), args.per_origin))]
    tally = Tally()
    false_matches: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    started = time.perf_counter()
    for person_id, record in tqdm(duplicates, desc="live matching", disable=args.no_progress):
        found = match_person(
            record.details, limit=max(args.top, 5), min_probability=args.threshold, exclude=[person_id]
        )
        truth = set(ids_by_entity[record.entity]) - {person_id}
        tally.add(record.origin, record.corruptions, any(c.person.pk in truth for c in found[: args.top]))
        wrong = any(c.person.pk not in truth for c in found[:5])
        false_matches[record.origin][0] += wrong
        false_matches[record.origin][1] += 1
    return tally, {"seconds": time.perf_counter() - started, "queries": len(duplicates), "false": false_matches}


def batch_recall(args: argparse.Namespace, info: IndexInfo, records: list[Any]) -> tuple[Tally, dict[str, Any]]:
    from socex.people import dedupe_model
    from socex.people.dedupe_model import details_record, records_table

    table = records_table(
        details_record(
            info.first_id + n,
            r.details,
            street=r.addresses[0].get("line_1", "") if r.addresses else "",
            town=r.addresses[0].get("town", "") if r.addresses else "",
        )
        for n, r in enumerate(records)
    )
    started = time.perf_counter()
    result = dedupe_model.run_pipeline(table, threshold=args.threshold)
    seconds = time.perf_counter() - started
    cluster_of = dict(
        zip(
            result.clusters.column("unique_id").to_pylist(),
            result.clusters.column("cluster_id").to_pylist(),
            strict=True,
        )
    )
    ids_by_entity = info.ids_by_entity()
    tally = Tally()
    false_links: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    members: dict[Any, list[int]] = defaultdict(list)
    for uid, cluster in cluster_of.items():
        members[cluster].append(uid)
    for n, record in enumerate(records):
        person_id = info.first_id + n
        cluster = cluster_of.get(person_id)
        mates = set(members[cluster]) - {person_id} if cluster is not None else set()
        if record.copy > 0:
            truth = set(ids_by_entity[record.entity]) - {person_id}
            tally.add(record.origin, record.corruptions, bool(mates & truth))
        false_links[record.origin][0] += any(info.entity_of(m) != record.entity for m in mates)
        false_links[record.origin][1] += 1
    return tally, {"seconds": seconds, "false": false_links, "pairs": result.pairs.num_rows}


def report(args: argparse.Namespace, tallies: dict[str, Tally], extra: dict[str, Any]) -> None:
    from socex.people.synth import ORIGINS

    for name, tally in tallies.items():
        info = extra[name]
        title = (
            f"Live matching: found in the top {args.top} at p >= {args.threshold}"
            if name == "live"
            else f"Batch dedupe: clustered with another record of the same person at p >= {args.threshold}"
        )
        print(f"\n{title} ({info['seconds']:.0f} s)")
        false_label = "a different person in top 5" if name == "live" else "record clustered with someone else"
        print(f"{'origin':<18} {'duplicates':>10} {'recall':>8} {'95% interval':>16}  {false_label}")
        for origin in ORIGINS:
            hits, n = tally.by_origin.get(origin, [0, 0])
            if not n:
                continue
            low, high = wilson(hits, n)
            wrong, tries = info["false"][origin]
            print(
                f"{ORIGINS[origin]:<18} {n:>10,} {hits / n:>8.1%} {f'{low:.1%}-{high:.1%}':>16}  "
                f"{wrong / max(tries, 1):.2%}"
            )
        gap, best, worst = tally.gap()
        verdict = "met" if gap <= 2 else "NOT met"
        print(f"gap best-worst: {gap:.1f} points ({ORIGINS[best]} vs {ORIGINS[worst]}); target <= 2: {verdict}")
        corruptions = sorted({c for _, c in tally.by_corruption})
        print("\nrecall by corruption (rows) and origin (columns); blank: fewer than 20 cases")
        short = {o: o[:6] for o in ORIGINS}
        print(f"{'corruption':<20}" + "".join(f"{short[o]:>7}" for o in ORIGINS))
        for corruption in corruptions:
            cells = []
            for origin in ORIGINS:
                hits, n = tally.by_corruption.get((origin, corruption), [0, 0])
                cells.append(f"{hits / n:>7.0%}" if n >= 20 else f"{'':>7}")
            print(f"{corruption:<20}" + "".join(cells))


if __name__ == "__main__":
    main()
