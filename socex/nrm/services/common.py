"""Helpers shared by the NRM services: rule errors that name their rule, dates, the case chronology."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from socex.core.templatetags.socex import uk_date

if TYPE_CHECKING:
    from django.db import models

    from socex.accounts.models import User
    from socex.cases.models import Case

# The rules a refusal names, so the officer (and the test) can see which one was broken.
CONSENT = "Consent"
AGE = "Age"
FIRST_RESPONDER = "First responder list"
NO_FUTURE = "No future dates"
AFTER_SUBMISSION = "No decision before submission"
CG_AFTER_RG = "Conclusive grounds after reasonable grounds"
RECOVERY_PERIOD = "Minimum recovery period"
DECISION_MAKER = "Decision maker"
ONE_DECISION = "One decision per stage"
RECONSIDERATION = "Reconsideration"
EXPLOITATION = "Exploitation types"
LOCATION = "Where the exploitation happened"
SUPPORT = "Support referral"


def rule_error(field: str | None, rule: str, message: str) -> ValidationError:
    """A refusal for ``field`` whose message starts with the name of the ``rule`` broken."""
    text = f"{rule}: {message}"
    return ValidationError({field: text} if field else text)


def today() -> dt.date:
    return timezone.localdate()


def check_not_future(day: dt.date | None, *, field: str, what: str) -> None:
    if day is not None and day > today():
        raise rule_error(field, NO_FUTURE, f"{what} cannot be in the future ({uk_date(day)} is after today).")


def note_on_case(
    case: Case | None, *, summary: str, actor: User | None, source: models.Model, detail: str = ""
) -> None:
    """Add an NRM entry to the case's chronology (inside the caller's transaction), if there is a case."""
    if case is None:
        return
    from socex.cases.services import chronology_add

    chronology_add(case=case, category="nrm", summary=summary, detail=detail, actor=actor, source=source)
