"""The screening tool comes from its definition file: suggestions follow the file's rules, and a
broken file is refused with its name and the problem."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from socex.referrals.conf import REFERENCE_DIR
from socex.referrals.screening import ScreeningDefinitionError, load_definition, parse_definition, tool_for

from .conftest import answers

DEFINITION = REFERENCE_DIR / "screening-v1.json"


def _definition() -> dict:
    return json.loads(DEFINITION.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("given", "level", "because"),
    [
        ({"risky_places": "current"}, "significant", "At least one significant risk indicator is current"),
        ({"risky_places": "earlier"}, "at_risk", "seen more than 6 months ago"),
        ({"drug_misuse": "current", "self_harm": "current"}, "at_risk", "Two or more other risk indicators"),
        (
            {"drug_misuse": "earlier", "self_harm": "earlier", "alcohol_misuse": "earlier"},
            "at_risk",
            "Three or more other risk indicators",
        ),
        ({"drug_misuse": "current", "self_harm": "earlier"}, "none", "does not rule out exploitation"),
        ({}, "none", "Too few indicators"),
    ],
)
def test_the_suggestion_follows_the_rules_in_the_definition_file(given, level, because):
    suggestion = tool_for("1").suggest(answers(**given))
    assert suggestion.level == level
    assert because in suggestion.explanation


def test_the_suggestion_names_the_indicators_that_made_it():
    suggestion = tool_for().suggest(answers(missing_episodes="current", risky_places="current"))
    assert [i.code for i in suggestion.indicators] == ["missing_episodes", "risky_places"]


def test_the_rules_are_data_a_new_version_changes_the_suggestion(tmp_path, settings):
    data = _definition()
    data["version"] = "2"
    data["rules"][0]["conditions"][0]["at_least"] = 2  # two current significant indicators for 'significant'
    (tmp_path / "screening-v2.json").write_text(json.dumps(data), encoding="utf-8")
    shutil.copy(DEFINITION, tmp_path / "screening-v1.json")  # the directory keeps every version in use
    settings.SOCEX_SCREENING_DIR = tmp_path
    settings.SOCEX_SCREENING_TOOL_VERSION = "2"
    one = answers(risky_places="current")
    assert tool_for().suggest(one).level == "none"  # rule 1 no longer holds, and no other rule does
    two = answers(risky_places="current", missing_episodes="current")
    assert tool_for().suggest(two).level == "significant"
    assert tool_for().version == "2"
    assert tool_for("1").suggest(one).level == "significant"  # version 1 is still read as it was


def test_every_indicator_must_be_answered_with_a_known_answer():
    given = answers(missing_episodes="sometimes")
    del given["drug_misuse"]
    given["made_up"] = "current"
    with pytest.raises(ValidationError) as error:
        tool_for().clean_answers(given)
    messages = error.value.message_dict
    assert (
        "'sometimes' is not an answer to 'Repeat missing episodes, by day or night'" in messages["missing_episodes"][0]
    )
    assert messages["drug_misuse"] == ["Say whether 'Drug misuse' is current, earlier or not present."]
    assert "'made_up' is not an indicator of screening tool version 1" in messages["made_up"][0]


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda d: d.pop("groups"), "The definition has no 'groups'."),
        (lambda d: d["groups"][1]["indicators"].append({"code": "missing_episodes", "text": "Again"}), "used twice"),
        (lambda d: d["rules"][0].update(level="high"), "level 'high' is not one of none, at_risk, significant"),
        (lambda d: d["rules"][0]["conditions"][0].update(group="medium"), "there is no indicator group 'medium'"),
        (lambda d: d["rules"][0]["conditions"][0].update(at_least=0), "at_least must be a whole number of 1 or more"),
        (lambda d: d["rules"][0]["conditions"][0].update(timings=["not_present"]), "timings must be one or both"),
        (lambda d: d["timings"].pop(), "'timings' must give a label for exactly current, earlier, not_present"),
        (lambda d: d["groups"][0]["indicators"][0].pop("text"), "groups[0].indicators[0] has no 'text'"),
        (lambda d: d.update(default={"level": "none"}), "default has no 'explanation'"),
    ],
)
def test_a_broken_definition_is_refused_naming_the_problem(tmp_path, break_it, message):
    data = _definition()
    break_it(data)
    path = tmp_path / "screening-v1.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ScreeningDefinitionError) as error:
        load_definition(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_a_file_that_is_not_json_or_claims_another_version_is_refused(tmp_path):
    bad = tmp_path / "screening-v1.json"
    bad.write_text("{'version': 1", encoding="utf-8")
    with pytest.raises(ScreeningDefinitionError, match="not valid JSON"):
        load_definition(bad)
    misnamed = tmp_path / "screening-v3.json"
    shutil.copy(DEFINITION, misnamed)
    with pytest.raises(ScreeningDefinitionError, match="it says it is version '1', but its name says '3'"):
        load_definition(misnamed)


def test_parse_needs_an_object():
    with pytest.raises(ScreeningDefinitionError, match="must be a JSON object"):
        parse_definition(["not", "an", "object"])


@pytest.mark.django_db
def test_manage_py_check_fails_clearly_on_a_broken_or_missing_definition(tmp_path, settings):
    settings.SOCEX_SCREENING_DIR = tmp_path
    with pytest.raises(SystemCheckError) as missing:
        call_command("check")
    assert "referrals.E001" in str(missing.value)
    assert f"{Path(tmp_path) / 'screening-v1.json'}: there is no screening definition file here." in str(missing.value)
    (tmp_path / "screening-v1.json").write_text("[]", encoding="utf-8")
    with pytest.raises(SystemCheckError, match="must be a JSON object"):
        call_command("check")


@pytest.mark.django_db
def test_the_shipped_definition_loads_and_passes_the_check():
    tool = load_definition(DEFINITION)
    assert [g.code for g in tool.groups] == ["significant", "other"]
    assert len(tool.indicators) == 16
    call_command("check")  # no SystemCheckError
