"""The threat-risk scoring model on hand-computed cases (no database).

Three areas, X, Y and Z, of 100 residents each. Harm has two measures, A and B (weight 1 each);
likelihood has one, C. Every figure below is worked out by hand in the docstrings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from socex.analytics.ranking import AreaInput, Measure, score
from socex.analytics.weights import check_weights, load_model, parse_model

MODEL = {
    "version": "t1",
    "published": "2026-01-01",
    "title": "Test model",
    "summary": "",
    "components": [
        {"key": "a", "label": "Measure A", "dimension": "harm", "weight": 1, "source": "crime",
         "categories": ["robbery"], "unit": "a", "explain": "a"},
        {"key": "b", "label": "Measure B", "dimension": "harm", "weight": 1, "source": "internal",
         "internal": "referrals", "unit": "b", "explain": "b"},
        {"key": "c", "label": "Measure C", "dimension": "likelihood", "weight": 1, "source": "deprivation",
         "measure": "imd_score", "unit": "c", "explain": "c"},
    ],
    "capacity": {"weight": 0},
    "confidence": {"min_count": 20, "high": 0.8, "medium": 0.5},
    "stability": {"spread": 0.1, "draws": 200, "seed": 1, "tolerance": 0.05},
}  # fmt: skip


def write_model(tmp_path: Path, **changes: object) -> Path:
    data = json.loads(json.dumps(MODEL)) | changes
    path = tmp_path / "weights-t1.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def model(tmp_path):
    return parse_model(write_model(tmp_path))


def area(name: str, a: float, b: float, c: float, *, posts: float | None = None, counts: int = 100) -> AreaInput:
    return AreaInput(
        code=name,
        name=name,
        residents=100,
        measures={
            "a": Measure(a, base=100, count=counts),
            "b": Measure(b, base=100, count=counts),
            "c": Measure(c, base=100),
        },
        posts=posts,
    )


AREAS = [area("X", 2, 1, 3), area("Y", 1, 1, 1), area("Z", 0, 4, 2)]


def test_harm_times_likelihood_against_the_force_average(model):
    """Force figures: A (2+1+0)/3 = 1, B (1+1+4)/3 = 2, C (3+1+2)/3 = 2.
    X: harm (2/1 + 1/2)/2 = 1.25, likelihood 3/2 = 1.5, score 1.875.
    Y: harm (1 + 0.5)/2 = 0.75, likelihood 0.5, score 0.375.
    Z: harm (0 + 2)/2 = 1.0, likelihood 1.0, score 1.0."""
    ranking = score(AREAS, model)

    assert [(a.name, a.rank) for a in ranking.areas] == [("X", 1), ("Z", 2), ("Y", 3)]
    x, z, y = ranking.areas
    assert (x.harm, x.likelihood, x.capacity, x.score) == pytest.approx((1.25, 1.5, 1.0, 1.875))
    assert (y.harm, y.likelihood, y.score) == pytest.approx((0.75, 0.5, 0.375))
    assert (z.harm, z.likelihood, z.score) == pytest.approx((1.0, 1.0, 1.0))
    assert ranking.force_values == pytest.approx({"a": 1.0, "b": 2.0, "c": 2.0})


def test_each_measure_shows_its_ratio_and_its_part_of_the_index(model):
    """X's harm 1.25 = 0.5 x 2 (A) + 0.5 x 0.5 (B); the pushes away from 1.00 are +0.5 and -0.25."""
    x = score(AREAS, model).area("X")

    a, b = x.component("a"), x.component("b")
    assert (a.ratio, a.share, a.contribution, a.push) == pytest.approx((2.0, 0.5, 1.0, 0.5))
    assert (b.ratio, b.share, b.contribution, b.push) == pytest.approx((0.5, 0.5, 0.25, -0.25))
    assert (a.contribution or 0) + (b.contribution or 0) == pytest.approx(x.harm)


def test_the_plain_english_names_what_drives_the_score(model):
    x = score(AREAS, model).area("X")

    assert x.sentences[0] == (
        "X ranks 1st of 3, with a score of 1.88 (harm 1.25 \u00d7 likelihood 1.50 \u00d7 capacity 1.00; "
        "1.00 is the force average)."
    )
    assert x.sentences[1] == (
        "Harm is 1.25, above the force average of 1.00, mainly because of measure A (2.00 times the force figure)."
    )
    assert "mainly because of measure C (1.50 times the force figure)" in x.sentences[2]


def test_the_force_figure_weights_each_area_by_its_denominator(model):
    """A: X 2 per resident over 300 residents, Y 1 over 100: force (600 + 100) / 400 = 1.75."""
    areas = [
        AreaInput("X", "X", 300, {"a": Measure(2, 300, 600), "b": Measure(1, 300, 300), "c": Measure(1, 300)}),
        AreaInput("Y", "Y", 100, {"a": Measure(1, 100, 100), "b": Measure(1, 100, 100), "c": Measure(1, 100)}),
    ]
    ranking = score(areas, model)

    assert ranking.force_values["a"] == pytest.approx(1.75)
    assert ranking.area("X").component("a").ratio == pytest.approx(2 / 1.75)
    assert ranking.area("Y").harm == pytest.approx((1 / 1.75 + 1) / 2)


def test_capacity_raises_an_understaffed_area_and_lowers_a_well_staffed_one(tmp_path):
    """Posts X 0, Y 10, Z 20 for 300 residents: 0.1 a resident. Staffing ratios 0, 1, 2; with a
    capacity weight of 0.2 the factors are 1.2, 1.0, 0.8: scores 2.25, 0.375, 0.8."""
    model = parse_model(write_model(tmp_path, capacity={"weight": 0.2}))
    areas = [area("X", 2, 1, 3, posts=0), area("Y", 1, 1, 1, posts=10), area("Z", 0, 4, 2, posts=20)]

    ranking = score(areas, model)

    assert [ranking.area(n).capacity for n in "XYZ"] == pytest.approx([1.2, 1.0, 0.8])
    assert [ranking.area(n).score for n in "XYZ"] == pytest.approx([2.25, 0.375, 0.8])
    assert "raises the score by 20%" in " ".join(ranking.area("X").sentences)
    assert "lowers the score by 20%" in " ".join(ranking.area("Z").sentences)


def test_staffing_beyond_twice_the_force_figure_earns_no_further_reduction(tmp_path):
    model = parse_model(write_model(tmp_path, capacity={"weight": 0.2}))
    areas = [area("X", 1, 1, 1, posts=0), area("Y", 1, 1, 1, posts=0), area("Z", 1, 1, 1, posts=30)]

    assert score(areas, model).area("Z").capacity == pytest.approx(0.8)  # ratio 3, capped at 2


def test_no_staff_recorded_leaves_capacity_neutral_and_says_so(tmp_path):
    model = parse_model(write_model(tmp_path, capacity={"weight": 0.2}))

    ranking = score(AREAS, model)

    assert {a.capacity for a in ranking.areas} == {1.0}
    assert "No hub staff are recorded, so capacity does not change any score." in ranking.notes


def test_confidence_falls_when_a_measure_rests_on_few_events(model):
    """Z's measure A rests on 5 events (< 20): 2 of 3 weight units are evidenced, 0.67: medium."""
    areas = [
        *AREAS[:2],
        AreaInput("Z", "Z", 100, {"a": Measure(0, 100, 5), "b": Measure(4, 100, 400), "c": Measure(2, 100)}),
    ]

    ranking = score(areas, model)

    assert ranking.area("Z").confidence_share == pytest.approx(2 / 3)
    assert ranking.area("Z").confidence == "Medium"
    assert ranking.area("X").confidence == "High"
    assert "measure A has no figures or fewer than 20 events behind it" in ranking.area("Z").sentences[-1]


def test_a_measure_with_no_figures_anywhere_is_left_out_and_the_page_says_so(model):
    """B is zero everywhere: harm is A alone. X 2, Y 1, Z 0."""
    areas = [area("X", 2, 0, 3), area("Y", 1, 0, 1), area("Z", 0, 0, 2)]

    ranking = score(areas, model)

    assert ranking.area("X").harm == pytest.approx(2.0)
    assert ranking.area("X").component("b").ratio is None
    assert [c.key for c in ranking.unavailable] == ["b"]
    assert ranking.notes[0].startswith("Measure B has no figures for any LPA in this period")
    assert ranking.area("X").confidence == "Medium"  # 2 of 3 weight units


def test_what_if_weights_change_the_ranking_without_touching_the_file(tmp_path):
    """With B at weight 0, harm is A alone: X 2 x 1.5 = 3, Y 1 x 0.5 = 0.5, Z 0 x 1 = 0: Y passes Z."""
    path = write_model(tmp_path)
    model = parse_model(path)
    before = path.read_bytes()

    what_if = model.with_weights({"b": 0})
    ranking = score(AREAS, what_if)

    assert [a.name for a in ranking.areas] == ["X", "Y", "Z"]
    assert ranking.area("Z").score == pytest.approx(0.0)
    assert what_if.edited
    assert not model.edited
    assert path.read_bytes() == before


def test_weights_that_leave_a_dimension_empty_are_refused_naming_the_rule(model):
    with pytest.raises(ValidationError) as refused:
        check_weights(model.with_weights({"c": 0}))

    assert "Give at least one likelihood measure a weight above 0" in str(refused.value)


def test_far_apart_scores_hold_under_small_weight_changes(model):
    ranking = score(AREAS, model, stability=True)

    assert ranking.stability is not None
    assert ranking.stability.verdict == "holds"
    assert ranking.stability.same_order_share == 1.0
    assert ranking.stability.rank_ranges == {"X": (1, 1), "Y": (3, 3), "Z": (2, 2)}
    assert ranking.stability.sentence.startswith("The ranking holds: in all 200 trials")


def test_a_near_tie_is_reported_as_not_holding_naming_the_pair(model):
    """Force figures A 1.0, B 1.0: P's harm (1.3 + 0.7)/2 = 1.0 and Q's (0.7 + 1.3)/2 = 1.0, with the
    same likelihood. They tie (P first, alphabetically) on different measures, so moving the
    weights of A or B swaps them; R is far below either way."""
    areas = [
        area("P", 1.3, 0.7, 1.0),
        area("Q", 0.7, 1.3, 1.0),
        area("R", 1.0, 1.0, 0.2),
    ]
    ranking = score(areas, model, stability=True)

    stability = ranking.stability
    assert stability is not None
    assert stability.verdict == "does not hold"
    assert stability.rank_ranges["P"] == (1, 2)
    assert stability.rank_ranges["Q"] == (1, 2)
    assert stability.rank_ranges["R"] == (3, 3)
    assert stability.swaps[0].higher == "P"
    assert stability.swaps[0].lower == "Q"
    assert 0.2 < stability.swaps[0].share < 0.8
    assert "Read the places of P, Q as a range" in stability.sentence
    assert any("moves" in line for line in stability.single_changes)


def test_the_published_weights_file_is_valid_and_names_its_version():
    model = load_model()

    assert model.version == "v1"
    assert {c.key for c in model.components} == {
        "crime_rate", "youth_violence", "exploitation_referrals", "nrm_referrals", "intelligence", "deprivation"
    }  # fmt: skip
    assert {c.dimension for c in model.components} == {"harm", "likelihood"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"components": []}, "non-empty 'components' list"),
        ({"capacity": {"weight": 2}}, "capacity.weight must be at least 0 and at most 1"),
        ({"confidence": {"high": 0.4, "medium": 0.6}}, "confidence.medium must be at least 0 and at most 0.4"),
    ],
)
def test_a_broken_weights_file_is_refused_naming_the_rule(tmp_path, change, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_model(write_model(tmp_path, **change))


def test_a_component_with_a_negative_weight_or_unknown_dimension_is_refused(tmp_path):
    components = json.loads(json.dumps(MODEL["components"]))
    components[0]["weight"] = -1
    with pytest.raises(ImproperlyConfigured, match="component a: weight must be at least 0"):
        parse_model(write_model(tmp_path, components=components))
    components[0]["weight"] = 1
    components[0]["dimension"] = "impact"
    with pytest.raises(ImproperlyConfigured, match="dimension must be one of harm, likelihood"):
        parse_model(write_model(tmp_path, components=components))


def test_a_weights_file_whose_version_does_not_match_its_name_is_refused(tmp_path, settings, monkeypatch):
    from socex.analytics import options

    monkeypatch.setattr(options, "REFERENCE_DIR", tmp_path)
    (tmp_path / "weights-v9.json").write_text(json.dumps(MODEL | {"version": "v8"}), encoding="utf-8")
    settings.SOCEX_ANALYTICS_WEIGHTS_VERSION = "v9"

    with pytest.raises(ImproperlyConfigured, match="its version is 'v8' but the file name says 'v9'"):
        load_model()
    settings.SOCEX_ANALYTICS_WEIGHTS_VERSION = "v7"
    with pytest.raises(ImproperlyConfigured, match=r"weights-v7\.json: the weights file does not exist"):
        load_model()


def test_the_shipped_lpa_context_is_what_the_build_script_makes(tmp_path):
    """Deprivation and LPA centres are reproducible from the public data in ../shared/data."""
    import subprocess
    import sys

    from socex.analytics import options

    script = options.REFERENCE_DIR / "build_lpa_context.py"
    out = tmp_path / "context.csv"
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(script), "--out", str(out)], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (options.REFERENCE_DIR / "lpa-context-west-midlands.csv").read_bytes()


def test_equal_scores_are_named_as_ties(model):
    """Every force figure is (2 + 1 + 1) / 3 = 4/3, so Y and Z both score 0.75 x 0.75 = 0.5625:
    listed alphabetically, and the page says so."""
    areas = [area("X", 2, 2, 2), area("Y", 1, 1, 1), area("Z", 1, 1, 1)]

    ranking = score(areas, model)

    assert [a.name for a in ranking.areas] == ["X", "Y", "Z"]
    assert ranking.ties() == [
        "Y and Z have the same score (0.56), so they are listed alphabetically; their order means nothing."
    ]
