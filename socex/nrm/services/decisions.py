"""Reasonable and conclusive grounds decisions, and reconsiderations, with the date rules as data.

The rules (numbers and dates from ``reference/decision_rules.json``, each refusal naming its rule):

* **No future dates**: a decision, request or outcome cannot be dated after today.
* **No decision before submission**: the referral must have been submitted, and no decision can
  be dated before the submission.
* **Conclusive grounds after reasonable grounds**: a conclusive decision needs a positive
  reasonable grounds decision, and cannot be dated before it.
* **Minimum recovery period**: a positive or negative conclusive decision cannot be made before
  the minimum recovery period after the positive reasonable grounds decision has passed: 45 days
  for reasonable grounds decisions before 13 December 2022, 30 days from then (the rules file's
  periods, chosen by the date of the reasonable grounds decision). The earliest allowed date is
  that decision's date plus the period.
* **Decision maker**: the maker must be one the rules file lists, in being on the decision date,
  and may decide for the referral's age group (the IECA decides adults only; devolved panels
  children only).
* **One decision per stage**: a later decision of the same stage comes only from a reconsideration.
* **Reconsideration**: only of the decision kinds the rules allow (negative), requested on or
  after the decision; an overturned decision is followed by a new decision on the outcome date,
  which must meet the same date rules.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from socex.audit.models import Action
from socex.audit.services import record, record_change, record_create, snapshot
from socex.core.templatetags.socex import uk_date
from socex.nrm import rules
from socex.nrm.models import (
    Decision,
    NrmReferral,
    NrmStatus,
    Outcome,
    Reconsideration,
    ReconsiderationOutcome,
    Stage,
)
from socex.nrm.services.common import (
    AFTER_SUBMISSION,
    CG_AFTER_RG,
    DECISION_MAKER,
    ONE_DECISION,
    RECONSIDERATION,
    RECOVERY_PERIOD,
    check_not_future,
    note_on_case,
    rule_error,
)

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, User

DECISION_FIELDS = ("stage", "outcome", "decided_on", "decision_maker", "guidance_version", "rules_version")
STAGE_WORDS = {Stage.RG: "reasonable grounds", Stage.CG: "conclusive grounds"}


def current_decision(referral: NrmReferral, stage: str) -> Decision | None:
    """The decision that stands at ``stage``: the latest one (a reconsideration may have replaced the first)."""
    return referral.decisions.filter(stage=stage).order_by("-decided_on", "-id").first()


def status_for(referral: NrmReferral) -> str:
    if not referral.is_submitted:
        return NrmStatus.DRAFT
    cg = current_decision(referral, Stage.CG)
    if cg is not None:
        return {
            Outcome.POSITIVE: NrmStatus.POSITIVE_CG,
            Outcome.NEGATIVE: NrmStatus.NEGATIVE_CG,
            Outcome.WITHDRAWN: NrmStatus.WITHDRAWN,
        }[Outcome(cg.outcome)]
    rg = current_decision(referral, Stage.RG)
    if rg is not None:
        return {
            Outcome.POSITIVE: NrmStatus.AWAITING_CG,
            Outcome.NEGATIVE: NrmStatus.NEGATIVE_RG,
            Outcome.WITHDRAWN: NrmStatus.WITHDRAWN,
        }[Outcome(rg.outcome)]
    return NrmStatus.AWAITING_RG


def _refresh_status(referral: NrmReferral) -> None:
    before = snapshot(referral, ("status",))
    referral.status = status_for(referral)
    referral.save(update_fields=["status", "updated_at"])
    record_change(referral, before=before, fields=("status",))


def check_decision(
    *,
    referral: NrmReferral,
    stage: str,
    outcome: str,
    decided_on: dt.date,
    decision_maker: str,
    replacing: Decision | None = None,
) -> None:
    """Refuse a decision that breaks a rule (see the module docstring); the message names the rule."""
    if stage not in Stage.values:
        raise ValidationError({"stage": "Choose reasonable grounds or conclusive grounds."})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose positive, negative or withdrawn."})
    words = STAGE_WORDS[Stage(stage)]
    check_not_future(decided_on, field="decided_on", what=f"The date of the {words} decision")
    if not referral.is_submitted:
        raise rule_error(
            "decided_on",
            AFTER_SUBMISSION,
            f"{referral.reference} has not been submitted to the Home Office yet. Record the submission first.",
        )
    assert referral.submitted_on is not None
    if decided_on < referral.submitted_on:
        raise rule_error(
            "decided_on",
            AFTER_SUBMISSION,
            f"the {words} decision cannot be dated {uk_date(decided_on)}, before the referral was submitted "
            f"on {uk_date(referral.submitted_on)}.",
        )
    _check_maker(referral, decision_maker, decided_on)
    if replacing is None and referral.decisions.filter(stage=stage, on_reconsideration__isnull=True).exists():
        raise rule_error(
            "stage",
            ONE_DECISION,
            f"{referral.reference} already has a {words} decision. A different outcome comes from a reconsideration: "
            "request one on the decision.",
        )
    if stage == Stage.CG:
        _check_conclusive(referral, outcome, decided_on)


def _check_maker(referral: NrmReferral, code: str, decided_on: dt.date) -> None:
    maker = rules.decision_maker(code)
    if maker is None:
        names = ", ".join(m.label for m in rules.decision_makers())
        raise rule_error("decision_maker", DECISION_MAKER, f"choose who made the decision: {names}.")
    if maker.since is not None and decided_on < maker.since:
        raise rule_error(
            "decision_maker",
            DECISION_MAKER,
            f"the {maker.label} has made decisions only since {uk_date(maker.since)}.",
        )
    if referral.age_group not in maker.age_groups:
        who = "adults" if maker.age_groups == ("adult",) else "children, and people who may be children"
        raise rule_error(
            "decision_maker",
            DECISION_MAKER,
            f"the {maker.label} decides only for {who}; this referral is recorded as "
            f"{referral.get_age_group_display().lower()}.",
        )


def _check_conclusive(referral: NrmReferral, outcome: str, decided_on: dt.date) -> None:
    rg = current_decision(referral, Stage.RG)
    if rg is None or rg.outcome != Outcome.POSITIVE:
        state = "has no reasonable grounds decision" if rg is None else f"has a {rg.get_outcome_display().lower()} one"
        raise rule_error(
            "stage",
            CG_AFTER_RG,
            "a conclusive grounds decision follows a positive reasonable grounds decision; "
            f"{referral.reference} {state}.",
        )
    if decided_on < rg.decided_on:
        raise rule_error(
            "decided_on",
            CG_AFTER_RG,
            f"the conclusive grounds decision cannot be dated {uk_date(decided_on)}, before the reasonable grounds "
            f"decision of {uk_date(rg.decided_on)}.",
        )
    if rules.recovery_rule_applies_to(outcome):
        period = rules.recovery_period_for(rg.decided_on)
        earliest = rules.recovery_period_end(rg.decided_on)
        if decided_on < earliest:
            raise rule_error(
                "decided_on",
                RECOVERY_PERIOD,
                f"a conclusive grounds decision cannot be made before {uk_date(earliest)}, the end of the minimum "
                f"recovery period of {period.minimum_days} days after the positive reasonable grounds decision of "
                f"{uk_date(rg.decided_on)} ({period.label}).",
            )


@transaction.atomic
def decision_record(
    *,
    actor: User,
    referral: NrmReferral,
    stage: str,
    outcome: str,
    decided_on: dt.date,
    decision_maker: str,
    notes: str = "",
) -> Decision:
    """Record a reasonable or conclusive grounds decision on ``referral``, refusing any that breaks a rule."""
    referral = NrmReferral.objects.select_for_update().get(pk=referral.pk)
    check_decision(
        referral=referral, stage=stage, outcome=outcome, decided_on=decided_on, decision_maker=decision_maker
    )
    decision = _save_decision(
        actor=actor,
        referral=referral,
        stage=stage,
        outcome=outcome,
        decided_on=decided_on,
        decision_maker=decision_maker,
        notes=notes,
    )
    return decision


def _save_decision(
    *,
    actor: User,
    referral: NrmReferral,
    stage: str,
    outcome: str,
    decided_on: dt.date,
    decision_maker: str,
    notes: str,
    reconsideration: Reconsideration | None = None,
) -> Decision:
    decision = Decision.objects.create(
        referral=referral,
        stage=stage,
        outcome=outcome,
        decided_on=decided_on,
        decision_maker=decision_maker,
        guidance_version=rules.guidance_version_on(decided_on),
        rules_version=rules.rules_version(),
        notes=notes.strip(),
        on_reconsideration=reconsideration,
        recorded_by=actor,
    )
    record(
        Action.DECIDE,
        obj=referral,
        actor=actor,
        changes={name: [None, str(getattr(decision, name))] for name in DECISION_FIELDS},
        detail={"decision_id": decision.pk, "on_reconsideration": reconsideration.pk if reconsideration else None},
    )
    _refresh_status(referral)
    words = STAGE_WORDS[Stage(stage)]
    maker = rules.decision_maker(decision_maker)
    note_on_case(
        referral.case,
        summary=f"{decision.get_outcome_display()} {words} decision on NRM referral {referral.reference} "
        f"({maker.short if maker else decision_maker}, "
        f"{uk_date(decided_on)})",
        actor=actor,
        source=referral,
    )
    return decision


@transaction.atomic
def reconsideration_request(
    *, actor: User, decision: Decision, requested_on: dt.date, requested_by: Organisation, reasons: str = ""
) -> Reconsideration:
    """Record a request to reconsider ``decision`` (by the first responder or support provider)."""
    if not rules.reconsideration_allowed_for(decision.outcome):
        raise rule_error(
            "decision",
            RECONSIDERATION,
            f"only {', '.join(rules.decision_rules()['reconsideration_of'])} decisions can be reconsidered; this one "
            f"is {decision.get_outcome_display().lower()}.",
        )
    check_not_future(requested_on, field="requested_on", what="The date of the request")
    if requested_on < decision.decided_on:
        raise rule_error(
            "requested_on",
            RECONSIDERATION,
            f"the request cannot come before the decision of {uk_date(decision.decided_on)}.",
        )
    if decision.reconsiderations.filter(outcome=ReconsiderationOutcome.PENDING).exists():
        raise rule_error("requested_on", RECONSIDERATION, "a reconsideration of this decision is already awaited.")
    if current_decision(decision.referral, decision.stage) != decision:
        raise rule_error("decision", RECONSIDERATION, "a later decision has replaced this one.")
    request = Reconsideration.objects.create(
        decision=decision,
        requested_on=requested_on,
        requested_by=requested_by,
        reasons=reasons.strip(),
        recorded_by=actor,
    )
    record_create(request, fields=("decision", "requested_on", "requested_by", "outcome"), actor=actor)
    note_on_case(
        decision.referral.case,
        summary=f"Reconsideration of the {STAGE_WORDS[Stage(decision.stage)]} decision on "
        f"{decision.referral.reference} "
        "requested",
        actor=actor,
        source=decision.referral,
    )
    return request


@transaction.atomic
def reconsideration_decide(
    *, actor: User, reconsideration: Reconsideration, outcome: str, outcome_on: dt.date, notes: str = ""
) -> Reconsideration:
    """Record the outcome of a reconsideration. Overturned, a new positive decision of the same
    stage is recorded on ``outcome_on`` (it must meet the same date rules)."""
    if reconsideration.outcome != ReconsiderationOutcome.PENDING:
        raise rule_error("outcome", RECONSIDERATION, "this reconsideration already has an outcome.")
    if outcome not in (ReconsiderationOutcome.UPHELD, ReconsiderationOutcome.OVERTURNED):
        raise ValidationError({"outcome": "Choose whether the decision was upheld or overturned."})
    check_not_future(outcome_on, field="outcome_on", what="The date of the outcome")
    if outcome_on < reconsideration.requested_on:
        raise rule_error(
            "outcome_on",
            RECONSIDERATION,
            f"the outcome cannot come before the request of {uk_date(reconsideration.requested_on)}.",
        )
    original = reconsideration.decision
    referral = NrmReferral.objects.select_for_update().get(pk=original.referral_id)
    before = snapshot(reconsideration, ("outcome", "outcome_on"))
    reconsideration.outcome, reconsideration.outcome_on = outcome, outcome_on
    reconsideration.save(update_fields=["outcome", "outcome_on"])
    record_change(reconsideration, before=before, fields=("outcome", "outcome_on"))
    if outcome == ReconsiderationOutcome.OVERTURNED:
        check_decision(
            referral=referral,
            stage=original.stage,
            outcome=Outcome.POSITIVE,
            decided_on=outcome_on,
            decision_maker=original.decision_maker,
            replacing=original,
        )
        _save_decision(
            actor=actor,
            referral=referral,
            stage=original.stage,
            outcome=Outcome.POSITIVE,
            decided_on=outcome_on,
            decision_maker=original.decision_maker,
            notes=notes or "On reconsideration",
            reconsideration=reconsideration,
        )
    else:
        note_on_case(
            referral.case,
            summary=f"Reconsideration of the {STAGE_WORDS[Stage(original.stage)]} decision on {referral.reference}: "
            "original decision upheld",
            actor=actor,
            source=referral,
        )
    return reconsideration
