"""Changes to referrals: drafting, screening, submitting and triage.

Every function here is the one way its change happens, for the pages, the API and the demo
alike: it checks the rule, locks the referral row, checks the version the caller read (so two
tabs or two triagers cannot overwrite each other), makes the change and writes its own audit
event. A broken rule raises ``ValidationError`` whose message names the rule.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from socex.audit.models import Action
from socex.audit.services import diff, record, record_change, record_create, snapshot
from socex.cases.models import Case, CaseStatus
from socex.cases.services import case_add_subjects, case_create, chronology_add
from socex.cases.vocab import ExploitationType, RiskLevel
from socex.core.references import next_reference
from socex.core.site import absolute_url
from socex.core.templatetags.socex import uk_date
from socex.people.access import can_create
from socex.people.details import PersonDetails
from socex.people.models import Person
from socex.people.services import person_create
from socex.referrals.access import can_refer, can_triage
from socex.referrals.models import Awareness, Referral, ReferralStatus, ReferralSubject, TriageOutcome
from socex.referrals.screening import ScreeningTool, tool_for

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, User
    from socex.areas.models import LPA

logger = logging.getLogger(__name__)

AUDITED_FIELDS = (
    "reference",
    "status",
    "referrer",
    "referrer_agency",
    "lpa",
    "exploitation_types",
    "concern_summary",
    "tool_version",
    "screening_answers",
    "suggested_level",
    "confirmed_level",
    "override_reason",
    "child_aware",
    "family_aware",
    "awareness_detail",
    "immediate_risks",
    "submitted_at",
    "triage_outcome",
    "triage_reason",
    "signposted_to",
    "triaged_by",
    "triaged_at",
    "case",
)
# The answers a draft's pages change with referral_update (screening and level have their own).
DRAFT_FIELDS = (
    "lpa",
    "exploitation_types",
    "concern_summary",
    "child_aware",
    "family_aware",
    "awareness_detail",
    "immediate_risks",
)
TEXT_LIMIT = 10_000
VERSION_RULE = (
    "Someone changed this referral after you opened it (the version check stops one change "
    "overwriting another). Reload the page, check the answers and make your change again."
)


@dataclass(frozen=True)
class SubjectDetails:
    """A person as the referrer typed them, when no one in the index matched."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: dt.date | None = None
    dob_precision: str = ""
    postcode: str = ""


# --- shared checks ---------------------------------------------------------------------------------


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("referrer_agency").get(pk=referral.pk)


def _check_version(locked: Referral, version: int | None) -> None:
    if version is not None and locked.version != version:
        raise ValidationError({"version": VERSION_RULE})


def _lock_draft(actor: User, referral: Referral, version: int | None) -> Referral:
    """The referral locked for change, if it is ``actor``'s own draft at the version they read."""
    locked = _lock(referral)
    if locked.referrer_id != actor.pk or not can_refer(actor):
        raise PermissionDenied("Only the person who started a draft referral can change it.")
    if locked.status != ReferralStatus.DRAFT:
        raise ValidationError(
            f"{locked.reference} has been submitted, and a submitted referral cannot be changed. "
            "Tell the hub about anything new."
        )
    _check_version(locked, version)
    return locked


def _save(locked: Referral, fields: Iterable[str]) -> None:
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*fields, "version", "updated_at"])


def _clean_text(value: Any, field: str, label: str, *, limit: int = TEXT_LIMIT) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise ValidationError({field: f"{label} must be {limit:,} characters or fewer."})
    return text


def _clean_types(codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    unknown = sorted(set(codes) - set(ExploitationType.values))
    if unknown:
        raise ValidationError({"exploitation_types": f"Unknown exploitation concern: {', '.join(unknown)}."})
    return codes


def _clean_awareness(value: Any, field: str) -> str:
    if value not in ("", *Awareness.values):
        raise ValidationError({field: f"Answer yes, no or not known ({', '.join(Awareness.values)})."})
    return str(value)


def _subject_names(referral: Referral) -> list[str]:
    return [subject.name for subject in referral.subjects.select_related("person")]


# --- drafting --------------------------------------------------------------------------------------


@transaction.atomic
def referral_start(*, actor: User) -> Referral:
    """A new draft by ``actor`` for their organisation, in its LPA if it has one, with the current
    screening tool."""
    if not can_refer(actor):
        raise PermissionDenied("Your roles do not include making referrals.")
    agency = actor.organisation
    assert agency is not None  # can_refer checks it
    referral = Referral.objects.create(
        referrer=actor,
        referrer_agency=agency,
        lpa=agency.lpa,
        tool_version=tool_for().version,
    )
    record_create(referral, fields=AUDITED_FIELDS, actor=actor)
    return referral


@transaction.atomic
def referral_update(*, actor: User, referral: Referral, version: int | None = None, **changes: Any) -> Referral:
    """Change answers of ``actor``'s draft: any of :data:`DRAFT_FIELDS`."""
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"referral_update cannot change {', '.join(sorted(unknown))}.")
    locked = _lock_draft(actor, referral, version)
    cleaners = {
        "exploitation_types": _clean_types,
        "concern_summary": lambda v: _clean_text(v, "concern_summary", "What you are worried about"),
        "awareness_detail": lambda v: _clean_text(v, "awareness_detail", "What they have been told"),
        "immediate_risks": lambda v: _clean_text(v, "immediate_risks", "The immediate risks"),
        "child_aware": lambda v: _clean_awareness(v, "child_aware"),
        "family_aware": lambda v: _clean_awareness(v, "family_aware"),
        "lpa": lambda v: v,
    }
    before = snapshot(locked, AUDITED_FIELDS)
    errors: dict[str, list[str]] = {}
    for name, value in changes.items():
        try:
            setattr(locked, name, cleaners[name](value))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    _save(locked, changes)
    record_change(locked, before=before, fields=AUDITED_FIELDS)
    return locked


@transaction.atomic
def referral_screen(
    *,
    actor: User,
    referral: Referral,
    answers: Mapping[str, str],
    groups: list[str] | None = None,
    version: int | None = None,
) -> Referral:
    """Record screening answers (for ``groups``, or every group) and, once every indicator is
    answered, the tool's suggested level. A changed suggestion asks the referrer to confirm the
    level again."""
    locked = _lock_draft(actor, referral, version)
    tool = tool_for(locked.tool_version or None)
    cleaned = tool.clean_answers(answers, groups=groups)
    before = snapshot(locked, AUDITED_FIELDS)
    merged = {**{k: v for k, v in locked.screening_answers.items() if k in tool.indicators}, **cleaned}
    locked.screening_answers = merged
    locked.tool_version = tool.version
    suggested = tool.suggest(merged).level if set(merged) == set(tool.indicators) else ""
    if suggested != locked.suggested_level:
        locked.suggested_level = suggested
        locked.confirmed_level = ""
        locked.override_reason = ""
    _save(locked, ["screening_answers", "tool_version", "suggested_level", "confirmed_level", "override_reason"])
    record_change(locked, before=before, fields=AUDITED_FIELDS)
    return locked


def check_level(suggested: str, level: str, override_reason: str) -> str:
    """The override reason to keep, or a ``ValidationError`` naming the rule: a level other than
    the tool's suggestion needs a reason (DOMAIN.md §2)."""
    if not suggested:
        raise ValidationError({"confirmed_level": "Answer every screening question before you confirm the level."})
    if level not in RiskLevel.values:
        raise ValidationError({"confirmed_level": "Choose no current risk, at risk or significant risk."})
    reason = _clean_text(override_reason, "override_reason", "The reason")
    if level == suggested:
        return ""
    if not reason:
        raise ValidationError(
            {
                "override_reason": "You chose a different level from the tool's suggestion: say why "
                "(a changed level needs a reason)."
            }
        )
    return reason


@transaction.atomic
def referral_confirm_level(
    *, actor: User, referral: Referral, level: str, override_reason: str = "", version: int | None = None
) -> Referral:
    """The referrer confirms the suggested level, or chooses another with a reason."""
    locked = _lock_draft(actor, referral, version)
    reason = check_level(locked.suggested_level, level, override_reason)
    before = snapshot(locked, AUDITED_FIELDS)
    locked.confirmed_level, locked.override_reason = level, reason
    _save(locked, ["confirmed_level", "override_reason"])
    record_change(locked, before=before, fields=AUDITED_FIELDS)
    return locked


def _record_subjects(locked: Referral, before: list[str]) -> None:
    record(Action.UPDATE, obj=locked, changes={"subjects": [before, _subject_names(locked)]})


@transaction.atomic
def referral_subject_add(
    *,
    actor: User,
    referral: Referral,
    person: Person | None = None,
    details: SubjectDetails | None = None,
    version: int | None = None,
) -> ReferralSubject:
    """Add a person from the index (one ``actor`` may see), or the details of someone not found."""
    locked = _lock_draft(actor, referral, version)
    before = _subject_names(locked)
    if person is not None:
        while person.merged_into is not None:
            person = person.merged_into
        if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
            raise PermissionDenied("You cannot see that person in the index.")
        if locked.subjects.filter(person=person).exists():
            raise ValidationError({"person": f"{person.display_name} is already on this referral."})
        subject = ReferralSubject.objects.create(referral=locked, person=person)
    else:
        details = details or SubjectDetails()
        if not (details.given_name.strip() or details.family_name.strip()):
            raise ValidationError({"given_name": "Enter the person's first name or last name."})
        subject = ReferralSubject.objects.create(
            referral=locked,
            given_name=details.given_name.strip()[:100],
            family_name=details.family_name.strip()[:100],
            date_of_birth=details.date_of_birth,
            dob_precision=details.dob_precision if details.date_of_birth else "",
            postcode=details.postcode.strip()[:10],
        )
    _save(locked, [])
    _record_subjects(locked, before)
    return subject


@transaction.atomic
def referral_subject_remove(*, actor: User, subject: ReferralSubject, version: int | None = None) -> None:
    locked = _lock_draft(actor, subject.referral, version)
    before = _subject_names(locked)
    ReferralSubject.objects.filter(pk=subject.pk, referral=locked).delete()
    _save(locked, [])
    _record_subjects(locked, before)


# --- submitting ------------------------------------------------------------------------------------

STEP_OF_FIELD = {
    "subjects": "subjects",
    "lpa": "concerns",
    "exploitation_types": "concerns",
    "concern_summary": "concerns",
    "screening": "screening",
    "confirmed_level": "level",
    "override_reason": "level",
    "child_aware": "awareness",
    "family_aware": "awareness",
    "immediate_risks": "risks",
}


def referral_problems(referral: Referral, tool: ScreeningTool | None = None) -> dict[str, str]:
    """What is still missing before ``referral`` can be submitted, as {field: message}, in page order."""
    tool = tool or tool_for(referral.tool_version or None)
    problems: dict[str, str] = {}
    if not referral.subjects.exists():
        problems["subjects"] = "Add the child or adult you are referring."
    if referral.lpa_id is None:
        problems["lpa"] = "Choose the local policing area where the person lives."
    if not referral.exploitation_types:
        problems["exploitation_types"] = "Choose at least one exploitation concern."
    if not referral.concern_summary.strip():
        problems["concern_summary"] = "Describe what you are worried about."
    unanswered = [i for i in tool.indicators if i not in referral.screening_answers]
    if unanswered:
        problems["screening"] = f"Answer every screening question ({len(unanswered)} not answered)."
    elif not referral.confirmed_level:
        problems["confirmed_level"] = "Confirm the risk level the screening tool suggests, or choose another."
    elif referral.level_overridden and not referral.override_reason.strip():
        problems["override_reason"] = "Say why you chose a different level from the tool's suggestion."
    if not referral.child_aware:
        problems["child_aware"] = "Say whether the child or adult knows about this referral."
    if not referral.family_aware:
        problems["family_aware"] = "Say whether their family knows about this referral."
    if not referral.immediate_risks.strip():
        problems["immediate_risks"] = "Describe any immediate risks, or write 'None known'."
    return problems


def _details_of(subject: ReferralSubject) -> PersonDetails:
    return PersonDetails(
        given_name=subject.given_name,
        family_name=subject.family_name,
        date_of_birth=subject.date_of_birth,
        dob_precision=subject.dob_precision,
        postcodes=[subject.postcode] if subject.postcode else [],
    )


def _index_subjects(referral: Referral, actor: User) -> None:
    """Add to the person index each subject who was typed in rather than found there (held by the
    actor's organisation). Someone who cannot add people leaves them for the hub to add at triage."""
    if not can_create(actor):
        return
    for subject in referral.subjects.filter(person__isnull=True):
        subject.person = person_create(actor=actor, details=_details_of(subject), lpa=referral.lpa)
        subject.save(update_fields=["person"])


@transaction.atomic
def referral_submit(*, actor: User, referral: Referral, version: int | None = None) -> Referral:
    """Send ``actor``'s complete draft to the hub: it gets its reference and joins the triage queue.

    Subjects typed in (not found in the index) are added to the index now, held by the referrer's
    organisation.
    """
    locked = _lock_draft(actor, referral, version)
    problems = referral_problems(locked)
    if problems:
        raise ValidationError(problems)
    before = snapshot(locked, AUDITED_FIELDS)
    _index_subjects(locked, actor)
    locked.reference = next_reference(Referral, "REF")
    locked.status = ReferralStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    _save(locked, ["reference", "status", "submitted_at"])
    record_change(locked, before=before, fields=AUDITED_FIELDS)
    return locked


@transaction.atomic
def referral_create(
    *,
    actor: User,
    subjects: Iterable[Person | SubjectDetails],
    lpa: LPA | None,
    exploitation_types: Iterable[str],
    concern_summary: str,
    screening_answers: Mapping[str, str],
    child_aware: str,
    family_aware: str,
    immediate_risks: str,
    awareness_detail: str = "",
    confirmed_level: str | None = None,
    override_reason: str = "",
    submit: bool = True,
) -> Referral:
    """A whole referral in one call (the API, council systems, the demo): every answer is checked
    and every problem is reported together, naming its field; nothing is written if any fails.

    ``confirmed_level`` defaults to the screening tool's suggestion.
    """
    errors: dict[str, list[str]] = {}

    def attempt(step: Any, prefix: str = "", **kwargs: Any) -> Any:
        try:
            return step(actor=actor, **kwargs)
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"referral": error.messages}
            for field, messages in found.items():
                errors.setdefault(f"{prefix}{field}", []).extend(messages)
            return None

    referral = referral_start(actor=actor)
    attempt(
        referral_update,
        referral=referral,
        lpa=lpa,
        exploitation_types=list(exploitation_types),
        concern_summary=concern_summary,
        child_aware=child_aware,
        family_aware=family_aware,
        awareness_detail=awareness_detail,
        immediate_risks=immediate_risks,
    )
    subjects = list(subjects)
    for subject in subjects:
        if isinstance(subject, Person):
            attempt(referral_subject_add, referral=referral, person=subject)
        else:
            attempt(referral_subject_add, referral=referral, details=subject)
    screened = attempt(referral_screen, prefix="screening_answers.", referral=referral, answers=screening_answers)
    if screened is not None:
        level = confirmed_level or screened.suggested_level
        attempt(referral_confirm_level, referral=referral, level=level, override_reason=override_reason)
    if not errors and submit:
        attempt(referral_submit, referral=referral)
    if errors:
        raise ValidationError(errors)
    referral.refresh_from_db()
    return referral


# --- triage ----------------------------------------------------------------------------------------


def _subject_people(referral: Referral, actor: User) -> list[Person]:
    """The people the referral is about, adding to the index (held by the hub) anyone the referrer
    could not add."""
    people = []
    for subject in referral.subjects.select_related("person"):
        if subject.person is None:
            subject.person = person_create(actor=actor, details=_details_of(subject), lpa=referral.lpa)
            subject.save(update_fields=["person"])
        people.append(subject.person)
    return people


def _add_to_case(actor: User, case: Case, people: list[Person]) -> None:
    """Put on ``case`` (through the cases service, which writes its chronology) those of
    ``people`` not already its subjects."""
    on_case = set(case.case_subjects.values_list("person_id", flat=True))
    new = [person for person in people if person.pk not in on_case]
    if new:
        case_add_subjects(actor=actor, case=case, people=new)


def _check_triage(actor: User, locked: Referral, outcome: str, reason: str, version: int | None) -> str:
    if not can_triage(actor):
        raise PermissionDenied("Your roles do not include triaging referrals.")
    if locked.status == ReferralStatus.TRIAGED:
        by = locked.triaged_by.full_name if locked.triaged_by else "the hub"
        when = uk_date(locked.triaged_at)
        raise ValidationError(
            {
                "outcome": f"A referral is triaged only once: {locked.reference} was already triaged "
                f"({locked.get_triage_outcome_display().lower()}) by {by} on {when}."
            }
        )
    if locked.status != ReferralStatus.SUBMITTED:
        raise ValidationError({"outcome": "A draft referral cannot be triaged: it has not been submitted."})
    _check_version(locked, version)
    if outcome not in TriageOutcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    text = _clean_text(reason, "reason", "The reason")
    if not text:
        raise ValidationError({"reason": "Every triage outcome needs a reason: the referrer sees it."})
    return text


def _open_case(
    actor: User,
    locked: Referral,
    people: list[Person],
    *,
    lead_agency: Organisation | None,
    keyworker: User | None,
    risk_level: str | None,
    summary: str,
) -> Case:
    return case_create(
        actor=actor,
        subjects=people,
        lead_agency=lead_agency or actor.organisation,  # type: ignore[arg-type]
        lpa=locked.lpa,  # type: ignore[arg-type]
        risk_level=risk_level or locked.confirmed_level,
        exploitation_types=locked.exploitation_types,
        summary=summary or locked.concern_summary,
        keyworker=keyworker,
    )


def _existing_case(actor: User, case: Case | None) -> Case:
    if case is None:
        raise ValidationError({"case": "Give the reference of the case to add this referral to."})
    if not Case.objects.editable_by(actor).filter(pk=case.pk).exists():
        raise ValidationError({"case": f"You cannot add to {case.reference}: your roles do not let you change it."})
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"case": f"{case.reference} is closed: accept the referral into a new case instead."})
    return case


@transaction.atomic
def referral_triage(
    *,
    actor: User,
    referral: Referral,
    outcome: str,
    reason: str,
    version: int | None = None,
    case: Case | None = None,
    lead_agency: Organisation | None = None,
    keyworker: User | None = None,
    risk_level: str | None = None,
    case_summary: str = "",
    signposted_to: str = "",
) -> Referral:
    """Decide a submitted referral, once: a new case, an existing case, signposted or no further action.

    Accepting writes "Referral ... received from ..." and "Triaged: ..." into the case's
    chronology. The referrer is emailed the outcome and reason once the decision is committed.
    The row is locked and its status re-read, so two triagers cannot both decide it.
    """
    locked = _lock(referral)
    text = _check_triage(actor, locked, outcome, reason, version)
    before = snapshot(locked, AUDITED_FIELDS)
    if outcome == TriageOutcome.SIGNPOSTED:
        locked.signposted_to = _clean_text(signposted_to, "signposted_to", "The service", limit=200)
        if not locked.signposted_to:
            raise ValidationError({"signposted_to": "Name the service you are signposting the referral to."})
    if risk_level and risk_level not in RiskLevel.values:
        raise ValidationError({"risk_level": "Choose no current risk, at risk or significant risk."})
    if outcome == TriageOutcome.NEW_CASE:
        people = _subject_people(locked, actor)
        locked.case = _open_case(
            actor,
            locked,
            people,
            lead_agency=lead_agency,
            keyworker=keyworker,
            risk_level=risk_level,
            summary=case_summary,
        )
    elif outcome == TriageOutcome.EXISTING_CASE:
        locked.case = _existing_case(actor, case)
        _add_to_case(actor, locked.case, _subject_people(locked, actor))
    locked.status = ReferralStatus.TRIAGED
    locked.triage_outcome, locked.triage_reason = outcome, text
    locked.triaged_by, locked.triaged_at = actor, timezone.now()
    _save(
        locked,
        ["status", "triage_outcome", "triage_reason", "signposted_to", "triaged_by", "triaged_at", "case"],
    )
    if locked.case is not None:
        _write_chronology(actor, locked)
    record(Action.DECIDE, obj=locked, changes=diff(before, snapshot(locked, AUDITED_FIELDS)))
    referral_id = locked.pk
    transaction.on_commit(lambda: email_triage_outcome(referral_id))
    return locked


def _write_chronology(actor: User, locked: Referral) -> None:
    case = locked.case
    assert case is not None
    agency = locked.referrer_agency
    chronology_add(
        case=case,
        category="referral",
        summary=f"Referral {locked.reference} received from {agency.name}",
        detail=locked.concern_summary,
        agency=agency,
        occurred_at=locked.submitted_at,
        source=locked,
    )
    verdict = "accepted" if locked.triage_outcome == TriageOutcome.NEW_CASE else "added to this case"
    chronology_add(
        case=case,
        category="triage",
        summary=f"Triaged: {verdict} ({locked.reference})",
        detail=locked.triage_reason,
        actor=actor,
        occurred_at=locked.triaged_at,
        source=locked,
    )


def email_triage_outcome(referral_id: Any) -> None:
    """Tell the referrer the outcome and the hub's reason, with the reference and a link to the
    referral (no subject's name in the subject line). A failure is logged, not raised: the
    decision stands and the referrer sees it in My referrals."""
    referral = Referral.objects.select_related("referrer", "triaged_by").get(pk=referral_id)
    link = absolute_url("referrals:detail", referral.pk)
    lines = [
        f"Your referral {referral.reference}, sent on {uk_date(referral.submitted_at)}, has been triaged by the hub.",
        "",
        f"Outcome: {referral.get_triage_outcome_display()}",
    ]
    if referral.signposted_to:
        lines.append(f"Signposted to: {referral.signposted_to}")
    lines += ["", "Reason:", referral.triage_reason, "", f"Read it in My referrals: {link}"]
    try:
        send_mail(
            f"Referral {referral.reference}: {referral.get_triage_outcome_display().lower()}",
            "\n".join(lines),
            None,
            [referral.referrer.email],
        )
    except Exception:  # the outcome is in the app whatever happens to the email
        logger.exception("Could not email the triage outcome of %s", referral.reference)
