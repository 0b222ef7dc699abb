"""Batch duplicate detection on a large synthetic population: the SOCEX pipeline against the same
Splink model run directly, on the same data, in the same run.

Steps:

1. make ``--count`` synthetic records (``socex.people.synth``: West Midlands names of many origins,
   ``--duplicate-rate`` of people with one to three corrupted duplicates) as the SOCEX model's
   record table, in memory (no database);
2. train the SOCEX model once on it (timed, reported, not compared);
3. then, ``--repeats`` times, alternating which goes first:

   * **SOCEX**: ``dedupe_model.predict_and_cluster`` (Splink predict, the pairs kept at the
     threshold with their comparison levels, clusters that never join pairs decided "not the
     same", both handed back as Arrow tables);
   * **plain Splink**: a new ``Linker`` with the same trained settings,
     ``linker.inference.predict(threshold)`` and
     ``linker.clustering.cluster_pairwise_predictions_at_threshold``, results left in DuckDB.

   Each gets a fresh DuckDB connection, so neither reuses the other's term-frequency tables.

Reported: wall time of each (median over repeats) and the ratio, peak resident memory during
each (sampled every 50 ms with psutil), the process's peak (``getrusage``), and the precision and
recall of the SOCEX pairs against the synthetic truth.

    .venv/bin/python benchmarks/people_batch_dedupe.py --count 1000000
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import platform
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import pyarrow as pa
from tqdm import tqdm

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from socex.people import dedupe_model  # noqa: E402
from socex.people.synth import Population  # noqa: E402

CHUNK = 50_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="records, duplicates included (default 1000000)")
    parser.add_argument(
        "--duplicate-rate", type=float, default=0.1, help="share of people with duplicates (default 0.1)"
    )
    parser.add_argument("--seed", type=int, default=1, help="synthetic population seed (default 1)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--threshold", type=float, default=dedupe_model.DEFAULT_THRESHOLD)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args()
    if args.count < 1000:
        parser.error("--count must be at least 1000 (the model trains on the data)")
    if not 0 <= args.duplicate_rate <= 1:
        parser.error("--duplicate-rate must be between 0 and 1")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


# --- data ---------------------------------------------------------------------------------------


def synthetic_records(count: int, duplicate_rate: float, seed: int, progress: bool) -> tuple[pa.Table, list[int]]:
    """The records as the model's table, and each record's true person."""
    population = Population(seed=seed, duplicate_rate=duplicate_rate)
    batches, entities = [], []
    rows: list[dict[str, Any]] = []
    with tqdm(total=count, desc="Synthetic records", unit=" records", disable=not progress) as bar:
        for uid, person in enumerate(population.stream(count)):
            rows.append(dedupe_model.details_record(uid, person.details))
            entities.append(person.entity)
            if len(rows) == CHUNK:
                batches.append(dedupe_model.records_table(rows))
                bar.update(len(rows))
                rows = []
        if rows:
            batches.append(dedupe_model.records_table(rows))
            bar.update(len(rows))
    return pa.concat_tables(batches).combine_chunks(), entities


# --- measuring ------------------------------------------------------------------------------------


@contextmanager
def peak_rss() -> Iterator[dict[str, float]]:
    """Sample this process's resident memory every 50 ms; ``result["peak_mb"]`` when the block ends."""
    process = psutil.Process()
    result = {"peak_mb": process.memory_info().rss / 2**20}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            result["peak_mb"] = max(result["peak_mb"], process.memory_info().rss / 2**20)
            stop.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join()
        result["peak_mb"] = max(result["peak_mb"], process.memory_info().rss / 2**20)


def timed(label: str, work: Callable[[], Any]) -> tuple[float, float, Any]:
    gc.collect()
    with peak_rss() as memory:
        started = time.perf_counter()
        value = work()
        seconds = time.perf_counter() - started
    print(f"  {label:<14} {seconds:8.1f} s   peak RSS {memory['peak_mb']:8,.0f} MB", flush=True)
    return seconds, memory["peak_mb"], value


# --- the two ways to run the model -----------------------------------------------------------------


def run_socex(records: pa.Table, model: dict[str, Any], threshold: float) -> tuple[int, int, pa.Table]:
    linker = dedupe_model.make_linker(records, model)
    pairs, clusters = dedupe_model.predict_and_cluster(linker, threshold=threshold)
    return pairs.num_rows, clusters.num_rows, pairs.select(["unique_id_l", "unique_id_r"])


def run_plain(records: pa.Table, model: dict[str, Any], threshold: float) -> tuple[int, int]:
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI()
    linker = Linker(db_api.register(records, table_name="records_0"), model, log_level=None)
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    con = db_api._con
    # Table names Splink made, not input: nothing to inject.
    pairs = con.sql(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()[0][0]  # noqa: S608
    nodes = con.sql(f"SELECT count(*) FROM {clusters.physical_name}").fetchall()[0][0]  # noqa: S608
    return int(pairs), int(nodes)


def accuracy(pairs: pa.Table, entities: list[int]) -> tuple[float, float, int]:
    import duckdb

    truth = pa.table({"uid": pa.array(range(len(entities)), pa.int64()), "entity": pa.array(entities, pa.int64())})
    con = duckdb.connect()
    con.register("truth", truth)
    con.register("found", pairs)
    true_pairs = con.sql(
        "SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) AS n FROM truth GROUP BY entity)"
    ).fetchall()[0][0]
    correct = con.sql(
        "SELECT count(*) FROM found JOIN truth a ON a.uid = unique_id_l JOIN truth b ON b.uid = unique_id_r "
        "WHERE a.entity = b.entity"
    ).fetchall()[0][0]
    return correct / max(pairs.num_rows, 1), correct / max(int(true_pairs), 1), int(true_pairs)


def main() -> None:
    args = parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    progress = not args.no_progress
    print(
        f"Machine: {os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}, {platform.platform()}; load average {os.getloadavg()[0]:.2f}"
    )
    import duckdb
    import splink

    print(f"Splink {splink.__version__}, DuckDB {duckdb.__version__}")
    started = time.perf_counter()
    records, entities = synthetic_records(args.count, args.duplicate_rate, args.seed, progress)
    seconds = time.perf_counter() - started
    print(f"{records.num_rows:,} synthetic records ({len(set(entities)):,} people) in {seconds:.0f} s")
    prepared = dedupe_model.prepare_records(records)
    del records

    train_seconds, train_peak, model = timed("training", lambda: train_model(prepared))
    socex, plain, socex_pairs = compare(prepared, model, args.threshold, args.repeats)
    precision, recall, true_pairs = accuracy(socex_pairs, entities)
    print()
    print(f"Training (SOCEX model, once): {train_seconds:.1f} s, peak RSS {train_peak:,.0f} MB")
    report("SOCEX predict + cluster", socex)
    report("plain Splink predict + cluster", plain)
    ratio = statistics.median(socex["seconds"]) / statistics.median(plain["seconds"])
    print(f"Ratio SOCEX / plain (medians): {ratio:.2f} (target 1.25 or less)")
    print(f"SOCEX pairs against the truth: precision {precision:.4f}, recall {recall:.4f} ({true_pairs:,} true pairs)")
    print(f"Process peak RSS (getrusage): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


def train_model(prepared: pa.Table) -> dict[str, Any]:
    present = dedupe_model.present_columns([prepared])
    linker = dedupe_model.make_linker(prepared, dedupe_model.socex_settings("dedupe_only", present))
    dedupe_model.train(linker, present=present)
    return dedupe_model.trained_model(linker)


def compare(
    prepared: pa.Table, model: dict[str, Any], threshold: float, repeats: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], pa.Table]:
    """Time both ways ``repeats`` times, taking turns to go first; the SOCEX pairs of the last run."""
    socex: dict[str, list[float]] = {"seconds": [], "peak_mb": []}
    plain: dict[str, list[float]] = {"seconds": [], "peak_mb": []}
    socex_pairs = pa.table({})
    for repeat in range(repeats):
        print(f"Repeat {repeat + 1} of {repeats}")
        for which in ("socex", "plain") if repeat % 2 == 0 else ("plain", "socex"):
            if which == "socex":
                seconds, peak, (n_pairs, n_nodes, socex_pairs) = timed(
                    "SOCEX", lambda: run_socex(prepared, model, threshold)
                )
            else:
                seconds, peak, (n_pairs, n_nodes) = timed("plain Splink", lambda: run_plain(prepared, model, threshold))
            (socex if which == "socex" else plain)["seconds"].append(seconds)
            (socex if which == "socex" else plain)["peak_mb"].append(peak)
            print(f"  {'':<14} {n_pairs:,} pairs at {threshold}, {n_nodes:,} records in clusters")
    return socex, plain, socex_pairs


def report(label: str, figures: dict[str, list[float]]) -> None:
    times = ", ".join(f"{t:.1f}" for t in figures["seconds"])
    print(
        f"{label}: median {statistics.median(figures['seconds']):.1f} s (runs: {times}), "
        f"peak RSS {max(figures['peak_mb']):,.0f} MB"
    )


if __name__ == "__main__":
    main()
