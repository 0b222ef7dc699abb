"""The rules of intelligence handling, each with the name a refusal quotes.

Every refusal says which rule it applies, so an officer (or a script reading the API's 422)
knows what to change: "... (second-person evaluation rule)". The grading codes come from
DOMAIN.md §6 (3x5x2, [S]); legacy 5x5x5 grades are checked only for their shape and then kept
exactly as written, never translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from socex.intelligence.models import GradingScheme, HandlingCode, IntelligenceAssessment, SourceEvaluation

GRADING_SCHEME = "3x5x2 grading scheme"
HANDLING_CONDITIONS = "handling code C needs conditions"
LEGACY_VERBATIM = "legacy 5x5x5 grade"
SECOND_PERSON = "second-person evaluation"
WORKFLOW = "workflow order"
SANITISED_BEFORE_PUBLISHING = "sanitised text before publishing"
HANDLING_PERMITS = "handling code permits sharing"
PUBLISHED_ONLY = "only published reports are disseminated"
RESTRICTED_TEAM = "restricted team"
LINK_KINDS = "link type fits its entities"
LINK_DATES = "link dates in order"
DATE_OBTAINED = "date obtained"

# A 5x5x5 grade as historic reports write it: source A-E, intelligence 1-5, handling 1-5
# ("B24", "B 2 4", "B/2/4"). Only the shape is checked; the grade is stored as written.
_LEGACY_SHAPE = re.compile(r"^\s*[A-Ea-e]\s*[/\-. ]?\s*[1-5]\s*[/\-. ]?\s*[1-5]\s*$")
LEGACY_MAX_LENGTH = 32


def broken(rule: str, message: str) -> str:
    """``message`` with the rule it applies named at the end."""
    return f"{message.rstrip('.')} ({rule} rule)."


def refuse(field: str | None, rule: str, message: str) -> ValidationError:
    text = broken(rule, message)
    return ValidationError({field: text} if field else text)


@dataclass(frozen=True)
class Grade:
    """A grade as the evaluation form or the API sends it, checked by :func:`check_grade`."""

    scheme: str
    source_evaluation: str = ""
    intelligence_assessment: str = ""
    handling_code: str = ""
    handling_conditions: str = ""
    legacy_grading: str = ""


def check_grade(grade: Grade) -> Grade:
    """The grade with its values tidied (codes upper case, conditions trimmed, a legacy grade kept
    exactly as written apart from surrounding spaces), or a ``ValidationError`` per field naming the
    rule broken: a code outside 3x5x2, handling code C without conditions, or a legacy grade that
    is not shaped like a 5x5x5 grade."""
    errors: dict[str, str] = {}
    if grade.scheme == GradingScheme.FIVE_FIVE_FIVE:
        legacy = grade.legacy_grading.strip()
        if not legacy:
            errors["legacy_grading"] = broken(
                LEGACY_VERBATIM, "Enter the 5x5x5 grade exactly as the old report gives it, for example B24"
            )
        elif len(legacy) > LEGACY_MAX_LENGTH or not _LEGACY_SHAPE.match(legacy):
            errors["legacy_grading"] = broken(
                LEGACY_VERBATIM,
                f"'{legacy[:40]}' is not a 5x5x5 grade: it reads source A to E, intelligence 1 to 5, handling 1 to 5, "
                "for example B24. A 3x5x2 grade such as 2B P belongs under the 3x5x2 scheme",
            )
        if errors:
            raise ValidationError(errors)
        return Grade(scheme=grade.scheme, legacy_grading=legacy)
    if grade.scheme != GradingScheme.THREE_FIVE_TWO:
        raise refuse("grading_scheme", GRADING_SCHEME, "Choose the 3x5x2 scheme, or 5x5x5 for a legacy grade")
    source = grade.source_evaluation.strip().upper()
    assessment = grade.intelligence_assessment.strip().upper()
    handling = grade.handling_code.strip().upper()
    conditions = grade.handling_conditions.strip()
    if source not in SourceEvaluation.values:
        errors["source_evaluation"] = broken(
            GRADING_SCHEME,
            f"The source evaluation must be 1, 2 or 3, not '{source[:10]}'"
            if source
            else "Choose the source evaluation: 1, 2 or 3",
        )
    if assessment not in IntelligenceAssessment.values:
        errors["intelligence_assessment"] = broken(
            GRADING_SCHEME,
            f"The intelligence assessment must be A, B, C, D or E, not '{assessment[:10]}'"
            if assessment
            else "Choose the intelligence assessment: A to E",
        )
    if handling not in HandlingCode.values:
        errors["handling_code"] = broken(
            GRADING_SCHEME,
            f"The handling code must be P or C, not '{handling[:10]}'"
            if handling
            else "Choose the handling code: P or C",
        )
    elif handling == HandlingCode.CONDITIONS and not conditions:
        errors["handling_conditions"] = broken(
            HANDLING_CONDITIONS,
            "Handling code C means sharing is permitted only with conditions: enter the conditions, "
            "for example 'Not to be shared with the family; partners to act only through the MACE chair'",
        )
    if errors:
        raise ValidationError(errors)
    return Grade(
        scheme=grade.scheme,
        source_evaluation=source,
        intelligence_assessment=assessment,
        handling_code=handling,
        handling_conditions=conditions if handling == HandlingCode.CONDITIONS else "",
    )


def grade_label(*, scheme: str, source: str, assessment: str, handling: str, legacy: str) -> str:
    """A grade as people write it: ``2B P`` (3x5x2), or the legacy grade verbatim with its scheme."""
    if scheme == GradingScheme.FIVE_FIVE_FIVE:
        return f"{legacy} (5x5x5)" if legacy else ""
    if source and assessment and handling:
        return f"{source}{assessment} {handling}"
    return ""
