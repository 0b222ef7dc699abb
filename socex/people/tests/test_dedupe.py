"""Batch duplicate detection: a run finds the duplicates planted in a small index and leaves
different people alone, keeps officers' decisions on the next run, leaves merged people out,
records what it did, and the command explains bad arguments. The model itself is trained and
scored on a synthetic population with known duplicates."""

import datetime as dt
import io

import pyarrow as pa
import pytest
from django.core.management import CommandError, call_command

from socex.audit.models import Action, Event
from socex.people import dedupe_model
from socex.people.dedupe import details_record, execute_run, export_people, records_table
from socex.people.details import PersonDetails
from socex.people.models import CandidatePair, Decision, DedupeRun, DedupeRunStatus
from socex.people.review import pair_decide
from socex.people.services import merge_people, person_create
from socex.people.synth import Population
from socex.people.tasks import dedupe_create, dedupe_start

pytestmark = pytest.mark.django_db

INDEX = {
    # Planted duplicates: the same child as a school and Early Help recorded them.
    "kieran": ("Kieran", "Smyth", dt.date(2011, 2, 3), "WS2 8AA", ["07700 900123"]),
    "kiernan": ("Kiernan", "Smith", dt.date(2011, 2, 3), "WS2 8AA", []),
    # A nickname, with the same phone.
    "robert": ("Robert", "Okafor", dt.date(1990, 5, 6), "B1 1AA", ["07700 900456"]),
    "bob": ("Bob", "Okafor", dt.date(1990, 5, 6), "B15 2TT", ["07700 900456"]),
    # First and last names the other way round.
    "ali": ("Ali", "Hassan", dt.date(2008, 9, 10), "CV1 2AB", []),
    "hassan": ("Hassan", "Ali", dt.date(2008, 9, 10), "CV1 2AB", []),
    # Different people: Kieran's mother at the same address, and strangers.
    "sarah": ("Sarah", "Smyth", dt.date(1985, 3, 4), "WS2 8AA", []),
    "zofia": ("Zofia", "Nowak", dt.date(2001, 12, 1), "DY1 1AA", []),
    "tomasz": ("Tomasz", "Wiśniewski", dt.date(1979, 7, 7), "WV1 1AA", []),
    "amara": ("Amara", "Mensah", dt.date(2012, 4, 30), "B70 6AA", []),
}
PLANTED = {frozenset({"kieran", "kiernan"}), frozenset({"robert", "bob"}), frozenset({"ali", "hassan"})}


@pytest.fixture
def index(hub_detective):
    people = {}
    for key, (given, family, dob, postcode, phones) in INDEX.items():
        details = PersonDetails(
            given_name=given, family_name=family, date_of_birth=dob, postcodes=[postcode], phones=phones
        )
        people[key] = person_create(actor=hub_detective, details=details)
    return people


def _found(people):
    names = {person.pk: key for key, person in people.items()}
    return {
        frozenset({names[a], names[b]}): decision
        for a, b, decision in CandidatePair.objects.values_list("person_a_id", "person_b_id", "decision")
    }


def _run(threshold=dedupe_model.DEFAULT_THRESHOLD):
    return execute_run(dedupe_create(actor=None, threshold=threshold))


def test_a_run_finds_the_planted_duplicates_and_not_different_people(index):
    run = _run()
    assert set(_found(index)) == PLANTED
    run.refresh_from_db()
    assert (run.status, run.people_count, run.pair_count, run.cluster_count) == (DedupeRunStatus.FINISHED, 10, 3, 3)
    assert run.started_at <= run.finished_at
    assert run.model["trained"] is False  # ten people are too few to train on: the prior values were used
    comparisons = {c["output_column_name"] for c in run.model["settings"]["comparisons"]}
    assert {"given_name", "family_name", "dob", "postcode", "phones"} <= comparisons
    pair = CandidatePair.objects.get(person_a=index["kieran"], person_b=index["kiernan"])
    assert pair.probability >= 0.9
    assert pair.cluster
    texts = [reason["text"] for reason in pair.explanation]
    assert "date of birth is the same" in texts
    assert "current postcode is the same" in texts
    swapped = CandidatePair.objects.get(person_a=index["ali"], person_b=index["hassan"])
    assert "given and family names are the other way round" in [r["text"] for r in swapped.explanation]


def test_the_run_is_audited_from_request_to_finish(index):
    run = _run()
    events = Event.objects.filter(object_type="people.deduperun", object_id=str(run.pk)).order_by("id")
    assert [e.action for e in events] == [Action.CREATE, Action.UPDATE, Action.UPDATE]
    assert events[0].changes["threshold"] == [None, 0.9]
    assert events[2].changes["status"] == ["running", "finished"]
    assert events[2].changes["pair_count"] == [0, 3]


def test_decisions_survive_the_next_run_and_not_same_pairs_are_not_queued_again(index, hub_detective):
    _run()
    pairs = {frozenset({p.person_a_id, p.person_b_id}): p for p in CandidatePair.objects.all()}
    ali = pairs[frozenset({index["ali"].pk, index["hassan"].pk})]
    bob = pairs[frozenset({index["robert"].pk, index["bob"].pk})]
    pair_decide(actor=hub_detective, pair=ali, decision=Decision.NOT_SAME, note="Cousins, checked with school")
    pair_decide(actor=hub_detective, pair=bob, decision=Decision.UNSURE)

    second = _run()
    found = _found(index)
    assert found[frozenset({"ali", "hassan"})] == Decision.NOT_SAME
    assert found[frozenset({"robert", "bob"})] == Decision.UNSURE
    assert found[frozenset({"kieran", "kiernan"})] == Decision.PENDING
    ali.refresh_from_db()
    assert ali.run == second  # re-scored by the new run, decision kept
    assert ali.decision_note == "Cousins, checked with school"
    assert CandidatePair.objects.filter(decision=Decision.PENDING).count() == 1


def test_a_pair_decided_not_the_same_never_joins_a_cluster(index, hub_detective):
    _run()
    pair = CandidatePair.objects.get(person_a=index["ali"], person_b=index["hassan"])
    pair_decide(actor=hub_detective, pair=pair, decision=Decision.NOT_SAME)
    run = _run()
    pair.refresh_from_db()
    assert pair.cluster == ""
    assert run.cluster_count == 2


def test_merged_people_are_left_out_and_their_pending_pairs_leave_the_queue(index, hub_detective):
    _run()
    merge_people(actor=hub_detective, survivor=index["robert"], merged=index["bob"], reason="Same phone and DOB")
    records = export_people()
    assert index["bob"].pk not in records.column("unique_id").to_pylist()
    run = _run()
    assert run.people_count == 9
    found = _found(index)
    assert found[frozenset({"robert", "bob"})] == Decision.SAME  # settled by the merge, kept as history
    assert CandidatePair.objects.filter(decision=Decision.PENDING).count() == 2


def test_a_pending_pair_the_next_run_no_longer_finds_leaves_the_queue(index, hub_detective):
    _run()
    assert CandidatePair.objects.filter(decision=Decision.PENDING).count() == 3
    _run(threshold=0.999999)
    remaining = CandidatePair.objects.filter(decision=Decision.PENDING)
    assert remaining.count() < 3
    assert all(pair.probability >= 0.999999 for pair in remaining)


def test_export_reads_every_detail_in_one_query_per_table(index, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        records = export_people()
    row = next(r for r in records.to_pylist() if r["unique_id"] == index["kieran"].pk)
    assert row["given_name"] == "kieran"
    assert row["dob"] == "2011-02-03"
    assert row["postcode"] == "WS2 8AA"
    assert row["district"] == "WS2"
    assert row["phones"] == ["+447700900123"]


def test_a_started_run_goes_to_the_task_and_a_second_waits(index, hub_detective, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = dedupe_start(actor=hub_detective, threshold=0.9)
    run.refresh_from_db()
    assert run.status == DedupeRunStatus.FINISHED
    assert run.requested_by == hub_detective
    assert CandidatePair.objects.count() == 3
    queued = dedupe_create(actor=hub_detective)
    with pytest.raises(Exception, match="already queued"):
        dedupe_start(actor=hub_detective)
    assert DedupeRun.objects.filter(status=DedupeRunStatus.QUEUED).get() == queued


def test_a_failed_run_records_its_error(index, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("DuckDB ran out of disk")

    monkeypatch.setattr(dedupe_model, "run_pipeline", broken)
    run = dedupe_create(actor=None)
    with pytest.raises(RuntimeError):
        execute_run(run)
    run.refresh_from_db()
    assert run.status == DedupeRunStatus.FAILED
    assert run.error == "RuntimeError: DuckDB ran out of disk"


# --- the command ---------------------------------------------------------------------------------


def test_the_command_runs_a_check_and_says_what_it_found(index):
    out = io.StringIO()
    call_command("dedupe_people", "--no-progress", stdout=out)
    assert "Compared 10 people: 3 possible duplicate pairs in 3 groups" in out.getvalue()
    assert DedupeRun.objects.get().status == DedupeRunStatus.FINISHED


@pytest.mark.parametrize("threshold", ["1.5", "0", "-0.2"])
def test_the_command_explains_a_bad_threshold(threshold):
    with pytest.raises(CommandError, match=r"The threshold is a match probability between 0 and 1, like 0\.9"):
        call_command("dedupe_people", "--threshold", threshold, "--no-progress")
    assert not DedupeRun.objects.exists()


def test_the_command_refuses_a_threshold_that_is_not_a_number():
    with pytest.raises(CommandError, match="invalid float value: 'high'"):
        call_command("dedupe_people", "--threshold", "high")


def test_the_command_on_an_empty_index_finds_nothing():
    out = io.StringIO()
    call_command("dedupe_people", "--no-progress", stdout=out)
    assert "Compared 0 people: 0 possible duplicate pairs" in out.getvalue()


# --- the model on a synthetic population ------------------------------------------------------------


def test_the_trained_model_finds_synthetic_duplicates_without_false_alarms():
    records = list(Population(seed=7, duplicate_rate=0.3).stream(1500))
    table = records_table(details_record(i, r.details) for i, r in enumerate(records))
    truth = {}
    for i, record in enumerate(records):
        truth.setdefault(record.entity, []).append(i)
    true_pairs = {(a, b) for ids in truth.values() for a in ids for b in ids if a < b}

    result = dedupe_model.run_pipeline(table, threshold=0.9, train_options={"u_pairs": 1e6, "em_pairs": 1e6})

    assert result.trained
    found = {
        tuple(sorted(p))
        for p in zip(*(result.pairs.column(c).to_pylist() for c in ("unique_id_l", "unique_id_r")), strict=True)
    }
    precision = len(found & true_pairs) / len(found)
    recall = len(found & true_pairs) / len(true_pairs)
    assert precision >= 0.95, precision
    assert recall >= 0.85, recall


def test_prepared_records_fill_missing_columns_and_know_nicknames():
    table = pa.table({"unique_id": [1, 2], "given_name": ["bob", ""]})
    prepared = dedupe_model.prepare_records(table)
    assert set(dedupe_model.RECORD_COLUMNS) <= set(prepared.column_names)
    assert prepared.column("given_name").to_pylist() == ["bob", None]
    assert "robert" in prepared.column("given_roots").to_pylist()[0]
    assert dedupe_model.present_columns([prepared]) >= {"unique_id", "given_name", "dob_exact"}
    assert "family_name" not in dedupe_model.present_columns([prepared])
