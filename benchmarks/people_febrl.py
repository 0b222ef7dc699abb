"""Accuracy of batch duplicate detection on the FEBRL sets, against plain Splink in the same run.

Two tasks from ``../shared/data/entity_resolution/febrl/``:

* **link** FEBRL4a ↔ FEBRL4b: 5,000 records each, every record in A has exactly one partner in B;
* **dedupe** FEBRL3: 5,000 records about 2,000 people, 6,538 true pairs.

For each, two models are trained without labels and scored against the truth in ``rec_id``
(``rec-N-org`` and ``rec-N-dup-k`` are person N):

* **SOCEX**: :func:`socex.people.dedupe_model.run_pipeline`, the code the person index runs,
  on the FEBRL columns mapped to its generic record columns;
* **plain Splink**: Splink's own FEBRL example model (name, date of birth, postcode, street
  number and social security number comparisons, u by random sampling, m by EM) run directly,
  the way Splink's documentation does.

Precision, recall and F1 are over pairs: for linking, the pairs each model reports at the
threshold; for deduplication, the pairs above the threshold and, separately, all pairs inside
the clusters each model forms at the threshold. Neither model sees the truth.

    .venv/bin/python benchmarks/people_febrl.py
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FEBRL = REPO.parent / "shared" / "data" / "entity_resolution" / "febrl"

from socex.people import dedupe_model  # noqa: E402

Pair = tuple[int, int]


# --- data -------------------------------------------------------------------------------------


def read_febrl(name: str, id_offset: int = 0) -> tuple[pa.Table, dict[int, str]]:
    """A FEBRL file as text columns (its header and values start with spaces), ids numbered from offset."""
    path = FEBRL / name
    if not path.exists():
        raise SystemExit(f"{path} not found: the FEBRL data lives in ../shared/data/entity_resolution/febrl/")
    options = pacsv.ConvertOptions(strings_can_be_null=False, column_types={})
    raw = pacsv.read_csv(path, convert_options=options)
    columns = {name.strip(): [str(v).strip() for v in raw.column(name).to_pylist()] for name in raw.column_names}
    n = raw.num_rows
    ids = list(range(id_offset, id_offset + n))
    columns["unique_id"] = ids  # type: ignore[assignment]
    truth = {uid: rec.split("-")[1] for uid, rec in zip(ids, columns["rec_id"], strict=True)}
    return pa.table(columns), truth


def _blank(value: str) -> str | None:
    return value or None


def febrl_to_records(table: pa.Table) -> pa.Table:
    """FEBRL's columns as the SOCEX model's generic record columns."""
    rows = table.to_pylist()

    def dob(raw: str) -> str | None:
        return f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}" if len(raw) == 8 and raw.isdigit() else None

    def street(row: dict[str, str]) -> str | None:
        return _blank(" ".join(part for part in (row["street_number"], row["address_1"]) if part))

    return pa.table(
        {
            "unique_id": pa.array([r["unique_id"] for r in rows], pa.int64()),
            "given_name": [_blank(r["given_name"]) for r in rows],
            "family_name": [_blank(r["surname"]) for r in rows],
            "dob": [dob(r["date_of_birth"]) for r in rows],
            "postcode": [_blank(r["postcode"]) for r in rows],
            "postcodes": [[r["postcode"]] if r["postcode"] else None for r in rows],
            "town": [_blank(r["suburb"]) for r in rows],
            "street": [street(r) for r in rows],
            "identifiers": [[f"ssid:{r['soc_sec_id']}"] if r["soc_sec_id"] else None for r in rows],
        }
    )


def febrl_for_plain_splink(table: pa.Table) -> pa.Table:
    """FEBRL as Splink's example prepares it: stripped text, blanks as nulls."""
    columns: dict[str, Any] = {}
    for name in table.column_names:
        values = table.column(name).to_pylist()
        columns[name] = values if name == "unique_id" else [_blank(v) for v in values]
    return pa.table(columns)


# --- plain Splink ---------------------------------------------------------------------------


def plain_splink_settings(link_type: str) -> Any:
    """Splink's FEBRL example model, tuned as its documentation tunes it."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        unique_id_column_name="unique_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            "l.given_name = r.surname AND l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )


def run_plain_splink(
    tables: list[pa.Table], *, threshold: float
) -> tuple[list[tuple[int, int, float]], set[Pair], float]:
    """Train and predict with plain Splink; the scored pairs, the pairs its clusters imply, and the time."""
    from splink import DuckDBAPI, Linker, block_on

    started = time.perf_counter()
    db_api = DuckDBAPI()
    frames = [db_api.register(t, table_name=f"plain_{i}") for i, t in enumerate(tables)]
    link_type = "link_only" if len(frames) > 1 else "dedupe_only"
    linker = Linker(frames if len(frames) > 1 else frames[0], plain_splink_settings(link_type), log_level=None)
    deterministic = [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")]
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.01, warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    elapsed = time.perf_counter() - started
    con = db_api._con
    # Table names Splink made, not input: nothing to inject.
    predicted = predictions.physical_name
    scored = con.sql(f"SELECT unique_id_l, unique_id_r, match_probability FROM {predicted}").fetchall()  # noqa: S608
    members = con.sql(f"SELECT cluster_id, unique_id FROM {clusters.physical_name}").fetchall()  # noqa: S608
    return [(int(a), int(b), float(p)) for a, b, p in scored], pairs_in_clusters(members), elapsed


# --- scoring --------------------------------------------------------------------------------


def ordered(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def true_pairs(truth: dict[int, str], *, link_boundary: int | None = None) -> set[Pair]:
    groups: dict[str, list[int]] = {}
    for uid, person in truth.items():
        groups.setdefault(person, []).append(uid)
    pairs = set()
    for members in groups.values():
        for a, b in combinations(sorted(members), 2):
            if link_boundary is None or (a < link_boundary) != (b < link_boundary):
                pairs.add((a, b))
    return pairs


def pairs_in_clusters(members: Iterable[tuple[Any, int]]) -> set[Pair]:
    clusters: dict[Any, list[int]] = {}
    for cluster, uid in members:
        clusters.setdefault(cluster, []).append(int(uid))
    return {pair for ids in clusters.values() for pair in combinations(sorted(ids), 2)}


def score(predicted: set[Pair], truth: set[Pair]) -> dict[str, float]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": len(predicted) - tp,
        "fn": len(truth) - tp,
    }


def best_threshold(scored: list[tuple[int, int, float]], truth: set[Pair]) -> tuple[float, dict[str, float]]:
    """The threshold that would have been best in hindsight (uses the truth: for comparison only)."""
    best = (0.0, score(set(), truth))
    for threshold in (0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999):
        result = score({ordered(a, b) for a, b, p in scored if p >= threshold}, truth)
        if result["f1"] > best[1]["f1"]:
            best = (threshold, result)
    return best


def line(label: str, result: dict[str, float], seconds: float | None = None) -> str:
    timing = f"  {seconds:6.1f} s" if seconds is not None else ""
    return (
        f"  {label:<44} precision {result['precision']:.4f}  recall {result['recall']:.4f}  "
        f"F1 {result['f1']:.4f}  (TP {result['tp']}, FP {result['fp']}, FN {result['fn']}){timing}"
    )


# --- the two tasks ----------------------------------------------------------------------------


def link_task(threshold: float) -> None:
    a, truth_a = read_febrl("dataset4a.csv", 0)
    b, truth_b = read_febrl("dataset4b.csv", 100_000)
    truth = true_pairs({**truth_a, **truth_b}, link_boundary=100_000)
    print(f"Link FEBRL4a ↔ FEBRL4b: {a.num_rows} + {b.num_rows} records, {len(truth)} true pairs")

    started = time.perf_counter()
    result = dedupe_model.run_pipeline([febrl_to_records(a), febrl_to_records(b)], threshold=threshold)
    socex_seconds = time.perf_counter() - started
    socex_pairs = {ordered(a_, b_) for a_, b_ in zip(*_ids(result.pairs), strict=True)}
    print(line(f"SOCEX (one-to-one) at {threshold}", score(socex_pairs, truth), socex_seconds))

    scored, _, plain_seconds = run_plain_splink(
        [febrl_for_plain_splink(a), febrl_for_plain_splink(b)], threshold=threshold
    )
    plain = {ordered(x, y) for x, y, p in scored if p >= threshold}
    print(line(f"plain Splink at {threshold}", score(plain, truth), plain_seconds))
    hindsight, best = best_threshold(scored, truth)
    print(line(f"plain Splink at its best threshold ({hindsight}, hindsight)", best))


def dedupe_task(threshold: float) -> None:
    table, truth_map = read_febrl("dataset3.csv", 0)
    truth = true_pairs(truth_map)
    print(f"Dedupe FEBRL3: {table.num_rows} records, {len(truth)} true pairs")

    started = time.perf_counter()
    result = dedupe_model.run_pipeline(febrl_to_records(table), threshold=threshold)
    socex_seconds = time.perf_counter() - started
    socex_pairs = {ordered(a, b) for a, b in zip(*_ids(result.pairs), strict=True)}
    members = zip(
        result.clusters.column("cluster_id").to_pylist(), result.clusters.column("unique_id").to_pylist(), strict=True
    )
    print(line(f"SOCEX pairs at {threshold}", score(socex_pairs, truth), socex_seconds))
    print(line(f"SOCEX clusters at {threshold}", score(pairs_in_clusters(members), truth)))

    scored, plain_cluster_pairs, plain_seconds = run_plain_splink([febrl_for_plain_splink(table)], threshold=threshold)
    plain = {ordered(x, y) for x, y, p in scored if p >= threshold}
    print(line(f"plain Splink pairs at {threshold}", score(plain, truth), plain_seconds))
    print(line(f"plain Splink clusters at {threshold}", score(plain_cluster_pairs, truth)))
    hindsight, best = best_threshold(scored, truth)
    print(line(f"plain Splink pairs at best threshold ({hindsight}, hindsight)", best))


def _ids(pairs: pa.Table) -> tuple[list[int], list[int]]:
    return pairs.column("unique_id_l").to_pylist(), pairs.column("unique_id_r").to_pylist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=dedupe_model.DEFAULT_THRESHOLD, help="match probability")
    parser.add_argument("--task", choices=["link", "dedupe", "both"], default="both")
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)  # its warnings about untrainable levels are noise here
    if not 0 < args.threshold < 1:
        parser.error("--threshold must be between 0 and 1")
    print(f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}")
    if args.task in ("link", "both"):
        link_task(args.threshold)
    if args.task in ("dedupe", "both"):
        dedupe_task(args.threshold)


if __name__ == "__main__":
    main()
