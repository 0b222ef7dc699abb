"""The grading order behind "minimum grading": both rules, legacy grades, and a bad data file."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from socex.intelligence.network.grading import GradingOrder, grading_order, split

BOTH = GradingOrder("test", ("1", "2", "3"), ("A", "B", "C", "D", "E"), "both")
LINE = GradingOrder("test", ("1", "2", "3"), ("A", "B", "C", "D", "E"), "source_then_assessment")


def test_the_shipped_order_is_both_axes_best_first():
    order = grading_order()
    assert order.rule == "both"
    assert order.grades()[:3] == ["1A", "1B", "1C"]
    assert order.grades()[-1] == "3E"
    assert len(order.choices()) == 15


def test_both_axes_rule_admits_only_grades_as_good_on_each():
    assert BOTH.admitted("2B") == [("1", "A"), ("1", "B"), ("2", "A"), ("2", "B")]
    assert BOTH.admitted("1A") == [("1", "A")]
    assert len(BOTH.admitted("3E")) == 15


def test_source_first_rule_puts_grades_in_one_line():
    assert LINE.admitted("2B") == [("1", code) for code in "ABCDE"] + [("2", "A"), ("2", "B")]


def test_ranks_follow_source_then_assessment():
    assert [BOTH.rank(s, a) for s, a in [("1", "A"), ("1", "E"), ("2", "A"), ("3", "E")]] == [0, 4, 5, 14]
    assert BOTH.rank("", "") is None
    assert BOTH.rank("B", "2") is None  # a 5x5x5-shaped grade is never read as 3x5x2


def test_legacy_grades_pass_a_minimum_only_when_asked_for():
    legacy = {"scheme": "5x5x5", "source": "", "assessment": ""}
    assert BOTH.meets(minimum="", include_legacy=False, **legacy)
    assert not BOTH.meets(minimum="3E", include_legacy=False, **legacy)
    assert BOTH.meets(minimum="3E", include_legacy=True, **legacy)
    assert BOTH.meets(minimum="2B", include_legacy=False, scheme="3x5x2", source="1", assessment="B")
    assert not BOTH.meets(minimum="2B", include_legacy=True, scheme="3x5x2", source="1", assessment="C")


@pytest.mark.parametrize("text", ["2b", " 2B ", "2 B"])
def test_grades_are_read_as_typed(text):
    assert split(text) == ("2", "B")


@pytest.mark.parametrize("text", ["", "2", "4A", "2F", "B2", "2BP", "A1"])
def test_anything_else_is_not_a_grade(text):
    with pytest.raises(ValueError, match="is not a 3x5x2 grade"):
        split(text)


def test_the_description_says_what_is_admitted():
    assert BOTH.describe("2B") == (
        "2B or better (reliable source or untested source; known directly or known indirectly, corroborated)"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source_evaluation": ["1", "2"]}, "source_evaluation must list 1, 2 and 3"),
        ({"intelligence_assessment": ["A", "B", "C", "D", "D"]}, "intelligence_assessment must list A to E"),
        ({"minimum_rule": "average"}, "minimum_rule must be one of"),
    ],
)
def test_a_bad_grading_file_is_refused_with_the_reason(tmp_path, change, message):
    spec = {"source_evaluation": ["1", "2", "3"], "intelligence_assessment": list("ABCDE"), "minimum_rule": "both"}
    path = tmp_path / "grading.json"
    path.write_text(json.dumps({"version": "x", "three_five_two": spec | change}))
    with override_settings(SOCEX_NETWORK_GRADING_FILE=path), pytest.raises(ImproperlyConfigured, match=message):
        grading_order()


def test_a_local_order_can_reverse_the_rule(tmp_path):
    spec = {"source_evaluation": ["1", "2", "3"], "intelligence_assessment": list("ABCDE")}
    path = tmp_path / "grading.json"
    path.write_text(
        json.dumps({"version": "local", "three_five_two": spec | {"minimum_rule": "source_then_assessment"}})
    )
    with override_settings(SOCEX_NETWORK_GRADING_FILE=path):
        assert grading_order().rule == "source_then_assessment"
        assert grading_order().version == "local"
