"""How grades compare, for the network's "minimum grading" filter and for ranking the reports
that support a link.

3x5x2 has two graded axes: the source evaluation (1 reliable, 2 untested, 3 not reliable) and the
intelligence assessment (A known directly ... E suspected to be false). The handling code says
how it may be shared, not how good it is, so it plays no part here. The order of each axis and
the rule for "at least as good as" come from a versioned data file
(``SOCEX_NETWORK_GRADING_FILE``, reference/grading.json):

* ``both`` (the default): a grade meets a minimum when it is at least as good on both axes, so a
  minimum of 2B admits 1A, 1B, 2A and 2B but not 1C;
* ``source_then_assessment``: grades stand in one line, source evaluation first, so 2B admits
  every 1x grade as well.

Legacy 5x5x5 grades are never mapped to 3x5x2 (DOMAIN.md §6). A minimum 3x5x2 grade leaves
legacy-graded reports out unless the user asks to include them, and they are then shown as
legacy. Reports not yet graded are left out whenever a minimum is set.
"""

from __future__ import annotations

import json
import operator
from dataclasses import dataclass
from functools import lru_cache, reduce
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from socex.intelligence.models import GradingScheme, IntelligenceAssessment, SourceEvaluation
from socex.intelligence.network import conf

RULES = ("both", "source_then_assessment")
SOURCE_WORDS = {"1": "reliable source", "2": "untested source", "3": "source not reliable"}
ASSESSMENT_WORDS = {
    "A": "known directly",
    "B": "known indirectly, corroborated",
    "C": "known indirectly",
    "D": "not known",
    "E": "suspected false",
}


@dataclass(frozen=True)
class GradingOrder:
    version: str
    sources: tuple[str, ...]
    """Best first."""
    assessments: tuple[str, ...]
    rule: str

    def rank(self, source: str, assessment: str) -> int | None:
        """0 for the best 3x5x2 grade, rising as grades get worse (source first); None if not a grade."""
        if source not in self.sources or assessment not in self.assessments:
            return None
        return self.sources.index(source) * len(self.assessments) + self.assessments.index(assessment)

    def grades(self) -> list[str]:
        """Every 3x5x2 grade ("1A" ... "3E"), best first."""
        return [f"{source}{assessment}" for source in self.sources for assessment in self.assessments]

    def admitted(self, minimum: str) -> list[tuple[str, str]]:
        """The (source, assessment) pairs that meet ``minimum`` (e.g. "2B")."""
        floor_source, floor_assessment = split(minimum)
        s_floor = self.sources.index(floor_source)
        a_floor = self.assessments.index(floor_assessment)
        pairs = []
        for s_index, source in enumerate(self.sources):
            for a_index, assessment in enumerate(self.assessments):
                if self.rule == "both":
                    meets = s_index <= s_floor and a_index <= a_floor
                else:
                    meets = (s_index, a_index) <= (s_floor, a_floor)
                if meets:
                    pairs.append((source, assessment))
        return pairs

    def meets(self, *, minimum: str, scheme: str, source: str, assessment: str, include_legacy: bool) -> bool:
        """Does a report graded so pass the filter? (The same rule as :meth:`report_q`, in Python.)"""
        if not minimum:
            return True
        if scheme == GradingScheme.FIVE_FIVE_FIVE:
            return include_legacy
        return (source, assessment) in self.admitted(minimum)

    def report_q(self, minimum: str, *, include_legacy: bool, prefix: str = "") -> Q:
        """The reports (``prefix`` is the path to them, e.g. ``"report__"``) that pass the filter."""
        if not minimum:
            return Q()
        by_source: dict[str, list[str]] = {}
        for source, assessment in self.admitted(minimum):
            by_source.setdefault(source, []).append(assessment)
        parts = [
            Q(
                **{
                    f"{prefix}grading_scheme": GradingScheme.THREE_FIVE_TWO,
                    f"{prefix}source_evaluation": source,
                    f"{prefix}intelligence_assessment__in": assessments,
                }
            )
            for source, assessments in by_source.items()
        ]
        if include_legacy:
            parts.append(
                Q(**{f"{prefix}grading_scheme": GradingScheme.FIVE_FIVE_FIVE}) & ~Q(**{f"{prefix}legacy_grading": ""})
            )
        return reduce(operator.or_, parts)

    def describe(self, minimum: str) -> str:
        """E.g. "2B or better (reliable or untested source; known directly or known indirectly, corroborated)"."""
        source, assessment = split(minimum)
        if self.rule == "both":
            sources = self.sources[: self.sources.index(source) + 1]
            assessments = self.assessments[: self.assessments.index(assessment) + 1]
            source_text = " or ".join(SOURCE_WORDS.get(code, code) for code in sources)
            assessment_text = " or ".join(ASSESSMENT_WORDS.get(code, code) for code in assessments)
            return f"{minimum} or better ({source_text}; {assessment_text})"
        return f"{minimum} or better (source evaluation first, then intelligence assessment)"

    def choices(self) -> list[tuple[str, str]]:
        return [(grade, self.describe(grade)) for grade in self.grades()]


def split(grade: str) -> tuple[str, str]:
    """ "2B" as ("2", "B"); ValueError if it is not a 3x5x2 source and assessment."""
    text = (grade or "").strip().upper().replace(" ", "")
    if len(text) != 2 or text[0] not in SourceEvaluation.values or text[1] not in IntelligenceAssessment.values:
        raise ValueError(f"{grade!r} is not a 3x5x2 grade such as 2B")
    return text[0], text[1]


@lru_cache(maxsize=4)
def _read(path: str) -> GradingOrder:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        spec = data["three_five_two"]
        order = GradingOrder(
            version=str(data.get("version", "")),
            sources=tuple(str(code) for code in spec["source_evaluation"]),
            assessments=tuple(str(code) for code in spec["intelligence_assessment"]),
            rule=str(spec.get("minimum_rule", "both")),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"The network grading file {path} cannot be read: {error}") from error
    if sorted(order.sources) != sorted(SourceEvaluation.values):
        raise ImproperlyConfigured(f"{path}: source_evaluation must list 1, 2 and 3 once each.")
    if sorted(order.assessments) != sorted(IntelligenceAssessment.values):
        raise ImproperlyConfigured(f"{path}: intelligence_assessment must list A to E once each.")
    if order.rule not in RULES:
        raise ImproperlyConfigured(f"{path}: minimum_rule must be one of {', '.join(RULES)}.")
    return order


def grading_order() -> GradingOrder:
    return _read(str(conf.grading_file()))
