"""Entity suggestion measured on a labelled sample of synthetic reports (tests/data/entity_samples.json).

Precision and recall are reported per kind (run with ``-s`` to see the table) and must stay at
or above what was measured when the rules were written: 1.00 for every kind on all 68 samples,
including the 20 held-out samples written after the rules were last changed. A change that lowers
a figure fails here; the thresholds leave no slack on purpose.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from socex.intelligence.suggest import extract_entities, format_registration, suggest_entities
from socex.people.details import PersonDetails
from socex.people.services import part_add, person_create

pytestmark = pytest.mark.django_db

DATA = json.loads((Path(__file__).parent / "data" / "entity_samples.json").read_text(encoding="utf-8"))
KINDS = ("phone", "vehicle", "postcode", "email", "handle", "nickname")
# Measured on the sample when the rules were written (see the module docstring).
MIN_PRECISION = dict.fromkeys(KINDS, 1.0)
MIN_RECALL = dict.fromkeys(KINDS, 1.0)


@pytest.fixture
def street_names(hub_officer):
    """The people of the sample's index, each with their street names: half recorded as
    "nickname or street name", half as one-word aliases (as the new-person form records them)."""
    for index, person in enumerate(DATA["index"]):
        as_alias = index % 2 == 0
        created = person_create(
            actor=hub_officer,
            details=PersonDetails(
                given_name=person["given_name"],
                family_name=person["family_name"],
                aliases=[(nickname, "") for nickname in person["nicknames"]] if as_alias else [],
            ),
        )
        if not as_alias:
            for nickname in person["nicknames"]:
                part_add(actor=hub_officer, person=created, kind="alias", alias_kind="nickname", given_name=nickname)


def _gold(sample: dict) -> set[tuple[str, str]]:
    found = set()
    for kind, values in sample["entities"].items():
        for value in values:
            found.add((kind, value.lower() if kind in ("email", "handle", "nickname") else value))
    return found


def _predicted(sample: dict, user) -> set[tuple[str, str]]:
    found = set()
    for suggestion in suggest_entities(sample["text"], user):
        value = suggestion.text.lower() if suggestion.measured_as == "nickname" else suggestion.key
        found.add((suggestion.measured_as, value))
    return found


def _measure(samples: list[dict], user) -> dict[str, tuple[float, float, int]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for sample in samples:
        gold, predicted = _gold(sample), _predicted(sample, user)
        for kind, _ in gold & predicted:
            tp[kind] += 1
        for kind, _ in predicted - gold:
            fp[kind] += 1
        for kind, _ in gold - predicted:
            fn[kind] += 1
    return {
        kind: (
            tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 1.0,
            tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 1.0,
            tp[kind] + fn[kind],
        )
        for kind in KINDS
    }


def _table(title: str, figures: dict[str, tuple[float, float, int]]) -> str:
    lines = [title, f"{'kind':<10}{'gold':>6}{'precision':>11}{'recall':>8}"]
    lines += [f"{kind:<10}{n:>6}{p:>11.2f}{r:>8.2f}" for kind, (p, r, n) in figures.items()]
    return "\n".join(lines)


def test_the_sample_is_big_enough_and_covers_every_kind():
    assert len(DATA["samples"]) >= 40
    covered = Counter(kind for sample in DATA["samples"] for kind, values in sample["entities"].items() for _ in values)
    assert all(covered[kind] >= 5 for kind in KINDS), covered
    assert sum(1 for sample in DATA["samples"] if sample.get("held_out")) >= 20
    assert sum(1 for sample in DATA["samples"] if not sample["entities"]) >= 3  # texts with nothing to find


def test_precision_and_recall_per_kind_on_the_labelled_sample(street_names, hub_detective, capsys):
    everything = _measure(DATA["samples"], hub_detective)
    held_out = _measure([s for s in DATA["samples"] if s.get("held_out")], hub_detective)
    with capsys.disabled():
        print("\n" + _table(f"Entity suggestion, all {len(DATA['samples'])} samples", everything))
        print(_table("Held-out samples only", held_out))
    for kind, (precision, recall, _) in everything.items():
        assert precision >= MIN_PRECISION[kind], (kind, precision)
        assert recall >= MIN_RECALL[kind], (kind, recall)


def test_each_suggestion_is_normalised_as_the_entity_would_be_stored():
    text = "Call +44 (0)7700 900123 or 07700900123; car bd19xyz; post ws28nt; mail Jo.Bloggs@Mail.Example; @Ky_Smyth11."
    found = {(s.kind, s.key): s for s in extract_entities(text)}
    assert ("phone", "+447700900123") in found
    assert [s.kind for s in extract_entities(text)].count("phone") == 1  # the same number twice is one suggestion
    assert found[("vehicle", "BD19XYZ")].label == "BD19 XYZ"
    assert found[("location", "WS2 8NT")].label == "WS2 8NT"
    assert ("email", "jo.bloggs@mail.example") in found
    assert ("handle", "ky_smyth11") in found


def test_lower_case_words_after_a_postcode_district_are_not_read_as_registrations():
    assert not [
        s for s in extract_entities("They sell in ws10 and wv14 the most, on the a34 and m6 too") if s.kind == "vehicle"
    ]


def test_a_dateless_registration_is_found_only_where_the_text_says_it_is_one():
    assert [s.key for s in extract_entities("Private plate, reg K1 TTY, seen twice") if s.kind == "vehicle"] == [
        "K1TTY"
    ]
    assert not [s for s in extract_entities("He was K1 in the team") if s.kind == "vehicle"]
    assert format_registration("K1TTY") == "K1 TTY"
    assert format_registration("ABC123D") == "ABC 123D"


def test_street_names_are_found_only_for_people_the_user_may_see(street_names, hub_detective, walsall_partner):
    text = "Mouse was seen with Ky near the station."
    assert {s.text for s in suggest_entities(text, hub_detective) if s.kind == "person"} == {"Mouse", "Ky"}
    # A partner sees only the people their organisation holds, so the police's nominals stay hidden.
    assert not [s for s in suggest_entities(text, walsall_partner) if s.kind == "person"]
