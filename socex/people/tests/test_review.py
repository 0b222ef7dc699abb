"""The duplicate review pages: only people who may merge see them (partners and hub officers get
403), the queue lists pending pairs most likely first and filters by decision, the pair page
compares the two records side by side and audits a view of each, decisions are audited and lead
on to the merge page, and the checks page starts a run."""

import datetime as dt

import pytest
from django.urls import reverse

from socex.audit.models import Action, Event
from socex.core.listing import PER_PAGE
from socex.people.details import PersonDetails
from socex.people.models import CandidatePair, Decision, DedupeRun, DedupeRunStatus
from socex.people.review import pair_decide
from socex.people.services import merge_people, person_create

pytestmark = pytest.mark.django_db

QUEUE = reverse("people:review_queue")
RUNS = reverse("people:dedupe_runs")
START = reverse("people:dedupe_start")


def _person(actor, given, family, dob=dt.date(2011, 2, 3), postcode="WS2 8AA", **extra):
    details = PersonDetails(given_name=given, family_name=family, date_of_birth=dob, postcodes=[postcode], **extra)
    return person_create(actor=actor, details=details)


@pytest.fixture
def run(db):
    return DedupeRun.objects.create(threshold=0.9, status=DedupeRunStatus.FINISHED)


def _pair(run, a, b, probability=0.97, **values):
    low, high = sorted((a, b), key=lambda p: p.pk)
    explanation = [
        {"field": "dob", "outcome": "agree", "text": "date of birth is the same"},
        {"field": "family_name", "outcome": "partial", "text": "family name is spelt similarly"},
    ]
    return CandidatePair.objects.create(
        person_a=low,
        person_b=high,
        run=run,
        probability=probability,
        match_weight=8.2,
        explanation=explanation,
        **values,
    )


@pytest.fixture
def pair(run, hub_detective):
    kieran = _person(hub_detective, "Kieran", "Smyth", phones=["07700 900123"], identifiers=[("nhs", "943 476 5919")])
    kiernan = _person(hub_detective, "Kiernan", "Smith", postcode="WS2 9BB", phones=["07700 900123"])
    return _pair(run, kieran, kiernan)


def _pair_url(pair):
    return reverse("people:review_pair", args=[pair.pk])


# --- who may review -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["walsall_partner", "hub_officer", "analyst", "auditor"])
def test_only_people_who_may_merge_see_the_review_pages(signed_in, request, persona, pair):
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(QUEUE).status_code == 403
    assert client.get(_pair_url(pair)).status_code == 403
    assert client.post(_pair_url(pair), {"decision": "same"}).status_code == 403
    assert client.get(RUNS).status_code == 403
    assert client.post(START).status_code == 403
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING
    assert not DedupeRun.objects.exclude(pk=pair.run_id).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, pair):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_pair_that_does_not_exist_is_404(signed_in, hub_detective):
    assert signed_in(hub_detective).get(reverse("people:review_pair", args=[999999])).status_code == 404


# --- the queue ----------------------------------------------------------------------------------


def test_the_queue_lists_pending_pairs_most_likely_first(signed_in, hub_detective, run, pair):
    ali = _person(hub_detective, "Ali", "Hassan", dob=dt.date(2008, 9, 10))
    hassan = _person(hub_detective, "Hassan", "Ali", dob=dt.date(2008, 9, 10))
    likelier = _pair(run, ali, hassan, probability=0.999)
    decided = _pair(run, _person(hub_detective, "Amy", "Lee"), _person(hub_detective, "Amie", "Lee"), probability=0.99)
    pair_decide(actor=hub_detective, pair=decided, decision=Decision.NOT_SAME)

    response = signed_in(hub_detective).get(QUEUE)
    assert response.status_code == 200
    assert [p.pk for p in response.context["page_obj"].object_list] == [likelier.pk, pair.pk]
    content = response.content.decode()
    assert "2 pairs waiting for a decision" in content
    assert "Kieran Smyth" in content
    assert "Kiernan Smith" in content
    assert "97%" in content
    assert "over 99%" in content


def test_the_queue_filters_by_decision_and_logs_the_search(signed_in, hub_detective, run, pair):
    other = _pair(run, _person(hub_detective, "Amy", "Lee"), _person(hub_detective, "Amie", "Lee"))
    pair_decide(actor=hub_detective, pair=other, decision=Decision.NOT_SAME, note="Sisters")
    client = signed_in(hub_detective)

    not_same = client.get(QUEUE, {"decision": "not_same"})
    assert [p.pk for p in not_same.context["page_obj"].object_list] == [other.pk]
    search = Event.objects.filter(action=Action.SEARCH).latest("id")
    assert search.object_type == "people.candidatepair"
    assert search.search_terms == "Decision: Decided: not the same person"

    everything = client.get(QUEUE, {"decision": "all"})
    assert {p.pk for p in everything.context["page_obj"].object_list} == {pair.pk, other.pk}


def test_a_bad_filter_is_explained(signed_in, hub_detective, pair):
    response = signed_in(hub_detective).get(QUEUE, {"decision": "maybe"})
    assert response.status_code == 200
    assert "Choose one of the options for decision" in response.content.decode()


def test_the_queue_leaves_out_pairs_whose_person_was_merged_since(signed_in, hub_detective, pair):
    merge_people(actor=hub_detective, survivor=pair.person_a, merged=pair.person_b, reason="Same NHS number")
    response = signed_in(hub_detective).get(QUEUE)
    assert list(response.context["page_obj"].object_list) == []
    assert "No pairs are waiting for a decision" in response.content.decode()


def test_the_queue_is_paginated(signed_in, hub_detective, run):
    people = [_person(hub_detective, "Sam", f"Jones{letter}") for letter in "abcdefghijklmnopqrstuvwxyz"[:12]]
    pairs = [
        _pair(run, a, b, probability=0.9 + i / 1000)
        for i, (a, b) in enumerate((a, b) for n, a in enumerate(people) for b in people[n + 1 :])
    ]
    assert len(pairs) > PER_PAGE
    client = signed_in(hub_detective)
    first = client.get(QUEUE)
    assert len(first.context["page_obj"].object_list) == PER_PAGE
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(QUEUE, {"page": 2})
    assert len(second.context["page_obj"].object_list) == len(pairs) - PER_PAGE


# --- one pair -------------------------------------------------------------------------------------


def test_the_pair_page_compares_the_records_and_audits_a_view_of_each(signed_in, hub_detective, pair):
    response = signed_in(hub_detective).get(_pair_url(pair))
    assert response.status_code == 200
    rows = {row.label: row for row in response.context["rows"]}
    assert rows["Date of birth"].verdict == "same"
    assert rows["Name"].verdict == "different"
    assert rows["Phone numbers"].verdict == "same"
    assert rows["Identifiers"].verdict == "unknown"
    assert rows["Agencies holding a record"].verdict == "same"
    content = response.content.decode()
    assert "Kieran Smyth" in content
    assert "Kiernan Smith" in content
    assert "07700 900123" in content
    assert "NHS number 9434765919" in content
    assert "Date of birth is the same" in content
    assert "Family name is spelt similarly" in content
    viewed = Event.objects.filter(action=Action.VIEW, object_type="people.person")
    assert set(viewed.values_list("object_id", flat=True)) == {str(pair.person_a_id), str(pair.person_b_id)}
    assert set(viewed.values_list("justification", flat=True)) == {"Reviewing a possible duplicate"}


def test_deciding_not_the_same_is_audited_and_moves_on_to_the_next_pair(signed_in, hub_detective, run, pair):
    following = _pair(
        run, _person(hub_detective, "Amy", "Lee"), _person(hub_detective, "Amie", "Lee"), probability=0.92
    )
    response = signed_in(hub_detective).post(_pair_url(pair), {"decision": "not_same", "note": "Twins, per school"})
    assert response.status_code == 302
    assert response["Location"] == _pair_url(following)
    pair.refresh_from_db()
    assert (pair.decision, pair.decision_note, pair.decided_by) == (
        Decision.NOT_SAME,
        "Twins, per school",
        hub_detective,
    )
    event = Event.objects.get(action=Action.DECIDE)
    assert event.object_type == "people.candidatepair"
    assert event.object_id == str(pair.pk)
    assert event.changes == {"decision": ["pending", "not_same"], "note": ["", "Twins, per school"]}
    assert event.justification == "Twins, per school"
    assert event.actor_id == hub_detective.pk


def test_deciding_same_offers_the_merge_page(signed_in, hub_detective, pair):
    client = signed_in(hub_detective)
    response = client.post(_pair_url(pair), {"decision": "same"}, follow=True)
    assert response.redirect_chain[-1][0] == _pair_url(pair)
    content = response.content.decode()
    assert "Recorded: same person. Merge the two records when you are ready." in content
    merge = f"{reverse('people:merge')}?survivor={pair.person_a_id}&amp;merged={pair.person_b_id}"
    assert merge in content
    assert Event.objects.get(action=Action.DECIDE).changes == {"decision": ["pending", "same"]}


def test_changing_a_decision_records_old_and_new(signed_in, hub_detective, pair):
    pair_decide(actor=hub_detective, pair=pair, decision=Decision.UNSURE)
    signed_in(hub_detective).post(_pair_url(pair), {"decision": "same", "note": ""})
    latest = Event.objects.filter(action=Action.DECIDE).latest("id")
    assert latest.changes == {"decision": ["unsure", "same"]}


def test_a_decision_needs_a_choice_and_a_note_of_sensible_length(signed_in, hub_detective, pair):
    client = signed_in(hub_detective)
    missing = client.post(_pair_url(pair), {"note": "Looked at both"})
    assert missing.status_code == 200
    assert "Choose whether these are the same person, not the same person, or unsure" in missing.content.decode()
    too_long = client.post(_pair_url(pair), {"decision": "unsure", "note": "x" * 2001})
    assert "The note must be 2,000 characters or fewer" in too_long.content.decode()
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING
    assert not Event.objects.filter(action=Action.DECIDE).exists()


def test_the_pair_page_says_when_one_of_them_was_merged_since(signed_in, hub_detective, pair):
    merge_people(actor=hub_detective, survivor=pair.person_a, merged=pair.person_b, reason="Same phone")
    content = signed_in(hub_detective).get(_pair_url(pair)).content.decode()
    assert f"{pair.person_b.reference} has been merged into another record" in content
    assert "Save decision" not in content


# --- duplicate checks -------------------------------------------------------------------------------


def test_the_checks_page_lists_runs_with_their_outcome(signed_in, hub_detective, run):
    run.people_count, run.pair_count, run.cluster_count = 1200, 34, 30
    run.save()
    DedupeRun.objects.create(threshold=0.9, status=DedupeRunStatus.FAILED, error="MemoryError: out of memory")
    content = signed_in(hub_detective).get(RUNS).content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1,200</td>' in content
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">34</td>' in content
    assert "Failed" in content
    assert "MemoryError: out of memory" in content
    assert "Run duplicate check now" in content


def test_the_button_starts_a_check_that_runs_in_the_background(
    signed_in, hub_detective, django_capture_on_commit_callbacks
):
    for given, family in [("Kieran", "Smyth"), ("Kieran", "Smyth"), ("Zofia", "Nowak")]:
        _person(hub_detective, given, family)
    client = signed_in(hub_detective)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START, follow=True)
    assert "It runs in the background" in response.content.decode()
    run = DedupeRun.objects.get()
    assert (run.status, run.requested_by, run.pair_count) == (DedupeRunStatus.FINISHED, hub_detective, 1)
    created = Event.objects.get(action=Action.CREATE, object_type="people.deduperun")
    assert created.actor_id == hub_detective.pk


def test_a_second_check_waits_for_the_first(signed_in, hub_detective):
    DedupeRun.objects.create(threshold=0.9, status=DedupeRunStatus.RUNNING)
    client = signed_in(hub_detective)
    page = client.get(RUNS).content.decode()
    assert "A duplicate check is running" in page
    response = client.post(START, follow=True)
    assert "A duplicate check is already running" in response.content.decode()
    assert DedupeRun.objects.count() == 1


def test_starting_a_check_needs_post(signed_in, hub_detective):
    assert signed_in(hub_detective).get(START).status_code == 405
