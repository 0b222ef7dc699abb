"""The exploitation screening tool, read from a versioned definition file (DOMAIN.md §2).

The indicators, their groups (significant risk indicators and other indicators), the answers
each takes (current or in the last 6 months, more than 6 months ago, not present) and the rules
that suggest a level all live in ``reference/screening-v<version>.json``, never in code. A
referral keeps the version it was screened with, so an old referral is always read against the
tool its referrer saw. The tool only *suggests* a level: the practitioner confirms it or chooses
another with a reason (see ``services.referral_confirm_level``).

Rules are tried in order and the first whose conditions all hold gives the suggestion; with
none, the file's default applies. A condition counts the indicators of one group answered with
one of the given timings: ``{"group": "significant", "timings": ["current"], "at_least": 1}``.

A file that does not follow this shape raises :class:`ScreeningDefinitionError` naming the file
and what is wrong with it (and ``manage.py check`` reports it; see ``checks.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from socex.cases.vocab import RiskLevel
from socex.referrals import conf

TIMING_CODES = ("current", "earlier", "not_present")
NOT_PRESENT = "not_present"


class ScreeningDefinitionError(Exception):
    """A screening definition file that cannot be used. The message names the file and the problem."""


@dataclass(frozen=True)
class Indicator:
    code: str
    text: str
    hint: str
    group: str


@dataclass(frozen=True)
class Group:
    code: str
    title: str
    description: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Condition:
    group: str
    timings: frozenset[str]
    at_least: int


@dataclass(frozen=True)
class Rule:
    level: str
    explanation: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Suggestion:
    level: str
    explanation: str
    indicators: tuple[Indicator, ...]
    """The indicators that made the rule hold (none for the default)."""

    @property
    def label(self) -> str:
        return str(RiskLevel(self.level).label)


@dataclass(frozen=True)
class ScreeningTool:
    version: str
    title: str
    source: str
    timings: tuple[tuple[str, str], ...]
    groups: tuple[Group, ...]
    rules: tuple[Rule, ...]
    default_level: str
    default_explanation: str

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {indicator.code: indicator for group in self.groups for indicator in group.indicators}

    def group(self, code: str) -> Group | None:
        return next((group for group in self.groups if group.code == code), None)

    def timing_label(self, code: str) -> str:
        return dict(self.timings).get(code, code)

    def clean_answers(self, answers: Mapping[str, str], *, groups: list[str] | None = None) -> dict[str, str]:
        """The answers for every indicator (of ``groups``, or all), or a ``ValidationError`` naming
        each indicator left unanswered, each unknown indicator and each unknown answer."""
        wanted = [g for g in self.groups if groups is None or g.code in groups]
        known = {i.code for g in wanted for i in g.indicators}
        errors: dict[str, str] = {}
        for code in sorted(set(answers) - known):
            errors[code] = f"'{code}' is not an indicator of screening tool version {self.version}."
        cleaned: dict[str, str] = {}
        for group in wanted:
            for indicator in group.indicators:
                answer = answers.get(indicator.code, "")
                if not answer:
                    errors[indicator.code] = f"Say whether '{indicator.text}' is current, earlier or not present."
                elif answer not in dict(self.timings):
                    errors[indicator.code] = (
                        f"'{answer}' is not an answer to '{indicator.text}': use {', '.join(TIMING_CODES)}."
                    )
                else:
                    cleaned[indicator.code] = answer
        if errors:
            raise ValidationError(errors)
        return cleaned

    def suggest(self, answers: Mapping[str, str]) -> Suggestion:
        """The level the rules suggest for ``answers`` (indicator code -> timing code)."""
        for rule in self.rules:
            matched: list[Indicator] = []
            for condition in rule.conditions:
                group = self.group(condition.group)
                hits = [i for i in group.indicators if answers.get(i.code) in condition.timings] if group else []
                if len(hits) < condition.at_least:
                    break
                matched.extend(hits)
            else:
                return Suggestion(rule.level, rule.explanation, tuple(dict.fromkeys(matched)))
        return Suggestion(self.default_level, self.default_explanation, ())


# --- reading a definition file ---------------------------------------------------------------------


def _need(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in data:
        raise ScreeningDefinitionError(f"{where} has no '{key}'.")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise ScreeningDefinitionError(f"{where}: '{key}' must be a non-empty {kind.__name__}.")
    return value


def _level(value: Any, where: str) -> str:
    if value not in RiskLevel.values:
        raise ScreeningDefinitionError(f"{where}: level {value!r} is not one of {', '.join(RiskLevel.values)}.")
    return str(value)


def _groups(data: Mapping[str, Any]) -> tuple[Group, ...]:
    groups, seen = [], set()
    for g, raw in enumerate(_need(data, "groups", list, "The definition")):
        where = f"groups[{g}]"
        if not isinstance(raw, dict):
            raise ScreeningDefinitionError(f"{where} must be an object.")
        code = _need(raw, "code", str, where)
        indicators = []
        for i, item in enumerate(_need(raw, "indicators", list, where)):
            at = f"{where}.indicators[{i}]"
            if not isinstance(item, dict):
                raise ScreeningDefinitionError(f"{at} must be an object.")
            indicator_code = _need(item, "code", str, at)
            if indicator_code in seen:
                raise ScreeningDefinitionError(f"{at}: indicator code '{indicator_code}' is used twice.")
            seen.add(indicator_code)
            hint = item.get("hint", "")
            indicators.append(Indicator(indicator_code, _need(item, "text", str, at), str(hint), code))
        if not indicators:
            raise ScreeningDefinitionError(f"{where} ('{code}') has no indicators.")
        groups.append(Group(code, _need(raw, "title", str, where), str(raw.get("description", "")), tuple(indicators)))
    if not groups:
        raise ScreeningDefinitionError("The definition has no indicator groups.")
    if len({group.code for group in groups}) != len(groups):
        raise ScreeningDefinitionError("Two indicator groups share a code.")
    return tuple(groups)


def _timings(data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    timings = []
    for t, raw in enumerate(_need(data, "timings", list, "The definition")):
        if not isinstance(raw, dict):
            raise ScreeningDefinitionError(f"timings[{t}] must be an object.")
        timings.append((_need(raw, "code", str, f"timings[{t}]"), _need(raw, "label", str, f"timings[{t}]")))
    if sorted(code for code, _ in timings) != sorted(TIMING_CODES):
        raise ScreeningDefinitionError(f"'timings' must give a label for exactly {', '.join(TIMING_CODES)}.")
    return tuple(timings)


def _rules(data: Mapping[str, Any], groups: tuple[Group, ...]) -> tuple[Rule, ...]:
    group_codes = {group.code for group in groups}
    rules = []
    for r, raw in enumerate(_need(data, "rules", list, "The definition")):
        where = f"rules[{r}]"
        if not isinstance(raw, dict):
            raise ScreeningDefinitionError(f"{where} must be an object.")
        conditions = []
        for c, cond in enumerate(_need(raw, "conditions", list, where)):
            at = f"{where}.conditions[{c}]"
            if not isinstance(cond, dict):
                raise ScreeningDefinitionError(f"{at} must be an object.")
            group = _need(cond, "group", str, at)
            if group not in group_codes:
                raise ScreeningDefinitionError(f"{at}: there is no indicator group '{group}'.")
            timings = _need(cond, "timings", list, at)
            unknown = [t for t in timings if t not in TIMING_CODES or t == NOT_PRESENT]
            if not timings or unknown:
                raise ScreeningDefinitionError(f"{at}: timings must be one or both of current and earlier.")
            at_least = cond.get("at_least")
            if isinstance(at_least, bool) or not isinstance(at_least, int) or at_least < 1:
                raise ScreeningDefinitionError(f"{at}: at_least must be a whole number of 1 or more.")
            conditions.append(Condition(group, frozenset(timings), at_least))
        if not conditions:
            raise ScreeningDefinitionError(f"{where} has no conditions.")
        rules.append(Rule(_level(raw.get("level"), where), _need(raw, "explanation", str, where), tuple(conditions)))
    return tuple(rules)


def parse_definition(data: Any, *, expected_version: str | None = None) -> ScreeningTool:
    """A :class:`ScreeningTool` from a decoded definition, or :class:`ScreeningDefinitionError`."""
    if not isinstance(data, dict):
        raise ScreeningDefinitionError("The definition must be a JSON object.")
    version = _need(data, "version", str, "The definition")
    if expected_version is not None and version != expected_version:
        raise ScreeningDefinitionError(f"it says it is version {version!r}, but its name says {expected_version!r}.")
    groups = _groups(data)
    default = _need(data, "default", dict, "The definition")
    return ScreeningTool(
        version=version,
        title=_need(data, "title", str, "The definition"),
        source=str(data.get("source", "")),
        timings=_timings(data),
        groups=groups,
        rules=_rules(data, groups),
        default_level=_level(default.get("level"), "default"),
        default_explanation=_need(default, "explanation", str, "default"),
    )


def load_definition(path: Path) -> ScreeningTool:
    """Read and check one definition file; every problem is a :class:`ScreeningDefinitionError`
    whose message starts with the file's path."""
    stem = path.name.removesuffix(".json")
    expected = stem.removeprefix("screening-v") if stem.startswith("screening-v") else None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return parse_definition(data, expected_version=expected)
    except FileNotFoundError:
        raise ScreeningDefinitionError(f"{path}: there is no screening definition file here.") from None
    except json.JSONDecodeError as error:
        raise ScreeningDefinitionError(f"{path}: not valid JSON ({error.msg} at line {error.lineno}).") from None
    except ScreeningDefinitionError as error:
        raise ScreeningDefinitionError(f"{path}: {error}") from None


@cache
def _cached(path: Path, mtime: float) -> ScreeningTool:
    return load_definition(path)


def tool_for(version: str | None = None) -> ScreeningTool:
    """The screening tool of ``version`` (the current one, ``SOCEX_SCREENING_TOOL_VERSION``, by default)."""
    version = version or conf.screening_tool_version()
    path = conf.screening_dir() / f"screening-v{version}.json"
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise ScreeningDefinitionError(f"{path}: there is no screening definition file here.") from None
    return _cached(path, mtime)
