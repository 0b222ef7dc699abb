"""Batch duplicate detection over the whole person index (one :class:`DedupeRun`).

The run exports every current (not merged) person's identifying details into an Arrow table of
generic records (:func:`export_people`), hands it to the SOCEX model
(:func:`socex.people.dedupe_model.run_pipeline`: Splink in DuckDB, trained without labels),
and writes what it found as :class:`CandidatePair` rows for the review queue
(:func:`save_pairs`).

Officers' decisions outlive runs: a pair decided same, not the same or unsure keeps its
decision (only its score, cluster and explanation are refreshed), a pair decided "not the same"
is never put back in the queue and never joins a cluster, and a pending pair that a later run no
longer finds leaves the queue. People already merged into someone else are not exported.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from django.db import transaction
from django.utils import timezone

from socex.audit.services import record_change, snapshot
from socex.people import dedupe_model
from socex.people.dedupe_model import details_record, records_table
from socex.people.details import PersonDetails
from socex.people.models import (
    Address,
    Alias,
    CandidatePair,
    Decision,
    DedupeRun,
    DedupeRunStatus,
    Email,
    Identifier,
    Person,
    Phone,
)

if TYPE_CHECKING:
    from socex.people.dedupe_model import PipelineResult, Progress

RUN_FIELDS = ("status", "started_at", "finished_at", "people_count", "pair_count", "cluster_count", "error")
BATCH = 2000


# --- people as records --------------------------------------------------------------------------


def _current_first(addresses: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Current addresses first, each group newest first (rows: postcode, line_1, town, date_from, date_to)."""
    today = timezone.localdate()

    def order(row: tuple[Any, ...]) -> tuple[bool, int]:
        is_current = row[4] is None or row[4] >= today
        return (not is_current, -(row[3].toordinal() if row[3] else 0))

    return sorted(addresses, key=order)


def _parts(model: type[Any], *fields: str) -> dict[int, list[Any]]:
    """Each current person's rows of one part table, in one query."""
    by_person: dict[int, list[Any]] = defaultdict(list)
    rows = model.objects.filter(person__merged_into__isnull=True).values_list("person_id", *fields)
    for person_id, *values in rows.iterator(chunk_size=10_000):
        by_person[person_id].append(values[0] if len(values) == 1 else tuple(values))
    return by_person


def export_people() -> pa.Table:
    """Every current person's identifying details as the model's records: a handful of queries,
    one per table, however large the index."""
    aliases = _parts(Alias, "given_name")
    identifiers = _parts(Identifier, "kind", "value")
    addresses = _parts(Address, "postcode", "line_1", "town", "date_from", "date_to")
    phones = _parts(Phone, "number")
    emails = _parts(Email, "address")
    people = Person.objects.current().order_by("id")
    fields = ("id", "given_name", "family_name", "preferred_name", "date_of_birth", "dob_precision")
    rows = []
    for pk, given, family, preferred, dob, precision in people.values_list(*fields).iterator(chunk_size=10_000):
        places = _current_first(addresses.get(pk, []))
        details = PersonDetails(
            given_name=given,
            family_name=family,
            preferred_name=preferred,
            aliases=[(alias, "") for alias in aliases.get(pk, [])],
            date_of_birth=dob,
            dob_precision=precision,
            postcodes=[place[0] for place in places if place[0]],
            phones=phones.get(pk, []),
            emails=emails.get(pk, []),
            identifiers=identifiers.get(pk, []),
        )
        street, town = (places[0][1], places[0][2]) if places else ("", "")
        rows.append(details_record(pk, details, street=street, town=town))
    return records_table(rows)


# --- running -----------------------------------------------------------------------------------


@contextmanager
def _quiet_splink() -> Iterator[None]:
    """Splink warns about every level it could not train; the run's outcome says what matters."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _not_same_pairs() -> list[tuple[int, int]]:
    return list(CandidatePair.objects.filter(decision=Decision.NOT_SAME).values_list("person_a_id", "person_b_id"))


def _set_status(run: DedupeRun, **fields: Any) -> None:
    before = snapshot(run, RUN_FIELDS)
    for name, value in fields.items():
        setattr(run, name, value)
    with transaction.atomic():
        run.save(update_fields=list(fields))
        record_change(run, before=before, fields=RUN_FIELDS)


def execute_run(run: DedupeRun, *, progress: Progress | None = None) -> DedupeRun:
    """Run one duplicate check: export, train, score, cluster and save the pairs.

    The run's status, times, counts and any error are saved (and audited) as it goes; an error
    marks the run failed with its message and is raised again for the caller to report.
    """
    say: Callable[[str], None] = progress or (lambda stage: None)
    if run.status != DedupeRunStatus.QUEUED:
        raise ValueError(f"Duplicate check {run.pk} has already run ({run.get_status_display().lower()}).")
    _set_status(run, status=DedupeRunStatus.RUNNING, started_at=timezone.now())
    try:
        say("Reading the index")
        records = export_people()
        if records.num_rows < 2:
            result = None
        else:
            with _quiet_splink():
                result = dedupe_model.run_pipeline(
                    records, threshold=run.threshold, exclude_pairs=_not_same_pairs(), progress=say
                )
        say("Saving pairs for review")
        if result is not None:
            pairs, clusters = save_pairs(run, result)
        else:
            clear_stale_pairs(run)
            pairs, clusters = 0, 0
    except Exception as error:
        _set_status(
            run, status=DedupeRunStatus.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"
        )
        raise
    model = {"trained": result.trained, "settings": result.model} if result is not None else {}
    run.model = model
    run.save(update_fields=["model"])
    _set_status(
        run,
        status=DedupeRunStatus.FINISHED,
        finished_at=timezone.now(),
        people_count=records.num_rows,
        pair_count=pairs,
        cluster_count=clusters,
    )
    return run


# --- saving ---------------------------------------------------------------------------------------


def _pair_rows(result: PipelineResult) -> Iterator[dict[str, Any]]:
    labels = dedupe_model.level_labels(result.model)
    for row in result.pairs.to_pylist():
        a, b = sorted((int(row["unique_id_l"]), int(row["unique_id_r"])))
        gammas = {key[len("gamma_") :]: value for key, value in row.items() if key.startswith("gamma_")}
        cluster = row.get("cluster_id")
        yield {
            "person_a_id": a,
            "person_b_id": b,
            "probability": float(row["match_probability"]),
            "match_weight": float(row["match_weight"]),
            "cluster": f"C{int(cluster)}" if cluster is not None else "",
            "explanation": dedupe_model.explain(gammas, labels),
        }


@transaction.atomic
def save_pairs(run: DedupeRun, result: PipelineResult) -> tuple[int, int]:
    """Write the run's pairs: new ones pending, known ones re-scored with their decision kept.

    Returns the number of pairs and of clusters. Pending pairs this run did not find leave the queue.
    """
    existing = {(a, b): pk for pk, a, b in CandidatePair.objects.values_list("pk", "person_a_id", "person_b_id")}
    new: list[CandidatePair] = []
    known: list[CandidatePair] = []
    for values in _pair_rows(result):
        pk = existing.get((values["person_a_id"], values["person_b_id"]))
        pair = CandidatePair(pk=pk, run=run, **values)
        (known if pk is not None else new).append(pair)
    CandidatePair.objects.bulk_create(new, batch_size=BATCH)
    CandidatePair.objects.bulk_update(
        known, ["run", "probability", "match_weight", "cluster", "explanation"], batch_size=BATCH
    )
    clear_stale_pairs(run)
    return len(new) + len(known), result.cluster_count


def clear_stale_pairs(run: DedupeRun) -> int:
    """Take out of the queue the pending pairs that ``run`` did not find again."""
    deleted, _ = CandidatePair.objects.filter(decision=Decision.PENDING).exclude(run=run).delete()
    return deleted
