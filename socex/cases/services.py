"""Changes to cases. Every other app writes to a case's chronology through ``chronology_add``.

Each function here is one state change: typed, keyword-only, atomic, and it writes its own
audit event (and, where a person reading the case should see it, a chronology entry). Every
change to the case record raises its ``version``; :func:`case_update` refuses a change made
against an older version, so two people editing one case at once never overwrite each other.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from socex.audit.models import Action, Event
from socex.audit.services import diff, record, record_create, snapshot
from socex.cases import conf, documents
from socex.cases.access import (
    can_approve_closure,
    can_contribute,
    can_edit_case,
)
from socex.cases.models import (
    Case,
    CaseDocument,
    CaseStatus,
    CaseSubject,
    ChronologyEntry,
    ChronologyKind,
    ClosureDecision,
    ClosureRequest,
    RiskReview,
)
from socex.cases.vocab import ExploitationType, NoteCategory, RiskLevel, exploitation_labels
from socex.core.references import next_reference
from socex.core.templatetags.socex import uk_date, uk_datetime

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from socex.accounts.models import Organisation, User
    from socex.areas.models import LPA
    from socex.people.models import Person

CASE_FIELDS = ("reference", "lead_agency", "keyworker", "lpa", "status", "risk_level", "exploitation_types", "summary")
# What the audit log's old -> new values cover for a change to the case record.
TRACKED_FIELDS = (*CASE_FIELDS, "flags", "review_due", "closed_at", "version")
EDITABLE_FIELDS = ("summary", "keyworker", "lead_agency", "lpa", "exploitation_types")
FIELD_LABELS = {
    "summary": "summary",
    "keyworker": "keyworker",
    "lead_agency": "lead agency",
    "lpa": "local policing area",
    "exploitation_types": "exploitation types",
}
REVIEW_FIELDS = ("case", "level", "previous_level", "reviewed_on", "reason", "reviewer", "next_review_due")
NOTE_FIELDS = ("case", "kind", "category", "occurred_at", "summary", "detail", "agency", "author")
DOCUMENT_FIELDS = ("case", "title", "original_name", "extension", "size", "sha256")
CLOSURE_FIELDS = ("case", "reason", "requested_by", "decision", "decided_by", "decision_note")
# A practitioner's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


# --- Helpers ---------------------------------------------------------------------------------------


def _check_exploitation_types(codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    unknown = sorted(set(codes) - set(ExploitationType.values))
    if unknown:
        raise ValidationError({"exploitation_types": f"Unknown exploitation type: {', '.join(unknown)}."})
    return codes


def _check_can_edit(actor: User, case: Case) -> None:
    if not can_edit_case(actor, case):
        raise PermissionDenied(
            "Only hub staff with case.edit, or the lead agency's staff with case.edit, can change this case."
        )


def _check_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(f"{case.reference} is closed. A closed case cannot be changed.")


def _locked(case: Case) -> Case:
    """The case row, locked until the transaction ends, so concurrent changes queue up behind each other."""
    return (
        Case.objects.select_for_update(of=("self",)).select_related("lead_agency", "keyworker", "lpa").get(pk=case.pk)
    )


def _refresh(case: Case, locked: Case) -> None:
    """Copy the saved state back to the caller's instance, so it is not left holding an old version."""
    for field in (*TRACKED_FIELDS, "updated_at"):
        setattr(case, field, getattr(locked, field))


def _bump(locked: Case, fields: Iterable[str]) -> None:
    locked.version += 1
    locked.save(update_fields=[*fields, "version", "updated_at"])


def record_change(
    obj: models.Model, *, before: dict[str, Any], fields: Iterable[str], actor: User, justification: str = ""
) -> Event | None:
    """The audit UPDATE with old -> new values, naming ``actor`` (whatever the request context says)."""
    changes = diff(before, snapshot(obj, fields))
    if not changes:
        return None
    return record(Action.UPDATE, obj=obj, actor=actor, changes=changes, justification=justification)


def _moment(day: dt.date) -> dt.datetime:
    """When something dated ``day`` happened: now if today, otherwise midday that day (Europe/London)."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def _last_change(case: Case) -> str:
    event = (
        Event.objects.filter(object_type="cases.case", object_id=str(case.pk), action=Action.UPDATE)
        .order_by("-id")
        .values("actor_label", "occurred_at")
        .first()
    )
    if event is None:
        return ""
    return f" It was last changed by {event['actor_label']} on {uk_datetime(event['occurred_at'])}."


def _check_version(locked: Case, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            {
                "version": (
                    f"Someone else changed {locked.reference} after you opened it, so your changes were not "
                    f"saved (you had version {expected_version}; it is now version {locked.version})."
                    f"{_last_change(locked)} Open the case again to see their changes, then make yours."
                )
            }
        )


# --- Opening a case and its chronology (used by referrals, safeguarding, NRM...) ----------------


@transaction.atomic
def case_create(
    *,
    actor: User | None,
    subjects: Iterable[Person],
    lead_agency: Organisation,
    lpa: LPA,
    risk_level: str = RiskLevel.AT_RISK,
    exploitation_types: Iterable[str] = (),
    summary: str = "",
    keyworker: User | None = None,
    opened_at: dt.datetime | None = None,
) -> Case:
    """Open a case about ``subjects`` (at least one), led by ``lead_agency``, with "Case opened" in its chronology.

    The first risk review falls due ``SOCEX_CASE_REVIEW_DAYS[risk_level]`` days after opening.
    """
    subjects = list(dict.fromkeys(subjects))
    if not subjects:
        raise ValidationError({"subjects": "A case needs at least one subject."})
    if risk_level not in RiskLevel.values:
        raise ValidationError({"risk_level": f"Unknown risk level: {risk_level}."})
    opened_at = opened_at or timezone.now()
    case = Case(
        reference=next_reference(Case, "CASE", year=timezone.localdate(opened_at).year),
        lead_agency=lead_agency,
        keyworker=keyworker,
        lpa=lpa,
        risk_level=risk_level,
        exploitation_types=_check_exploitation_types(exploitation_types),
        summary=summary.strip(),
        opened_at=opened_at,
        review_due=timezone.localdate(opened_at) + dt.timedelta(days=conf.review_days(risk_level)),
        created_by=actor,
    )
    case.save(force_insert=True)
    CaseSubject.objects.bulk_create([CaseSubject(case=case, person=person) for person in subjects])
    record_create(case, fields=CASE_FIELDS, actor=actor)
    chronology_add(
        case=case,
        category="case",
        summary=f"Case opened, led by {lead_agency.name}",
        actor=actor,
        agency=lead_agency,
        occurred_at=case.opened_at,
    )
    return case


def chronology_add(
    *,
    case: Case,
    category: str,
    summary: str,
    detail: str = "",
    actor: User | None = None,
    agency: Organisation | None = None,
    occurred_at: dt.datetime | None = None,
    kind: str = ChronologyKind.SYSTEM,
    source: models.Model | None = None,
) -> ChronologyEntry:
    """Add one entry to ``case``'s chronology. ``source`` is the record the event came from, if any.

    System events are written by the service that made the change, inside its transaction, so
    the entry and the change stand or fall together; that service's own audit event covers it.
    """
    if not summary.strip():
        raise ValidationError({"summary": "Enter what happened."})
    now = timezone.now()
    entry = ChronologyEntry(
        case=case,
        occurred_at=occurred_at or now,
        recorded_at=now,
        kind=kind,
        category=category,
        agency=agency if agency is not None else getattr(actor, "organisation", None),
        author=actor,
        summary=summary.strip()[:300],
        detail=detail.strip(),
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )
    entry.save(force_insert=True)
    return entry


@transaction.atomic
def chronology_note_add(
    *,
    actor: User,
    case: Case,
    category: str,
    occurred_at: dt.datetime,
    summary: str,
    detail: str = "",
) -> ChronologyEntry:
    """A practitioner's own entry in the chronology: what happened, when, and (optionally) more detail.

    Anyone who takes part in the case may add one (``socex.cases.access.can_contribute``). An
    entry is never changed afterwards: a correction is a new entry.
    """
    if not can_contribute(actor, case):
        raise PermissionDenied("Only people whose agency is on this case can add to its chronology.")
    _check_open(case)
    errors: dict[str, str] = {}
    if category not in NoteCategory.values:
        errors["category"] = "Choose what kind of entry this is."
    if not summary.strip():
        errors["summary"] = "Enter what happened, in a sentence."
    elif len(summary.strip()) > 300:
        errors["summary"] = "What happened must be 300 characters or fewer. Put the rest in the detail."
    if occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = "The date and time it happened must be in the past."
    elif timezone.localdate(occurred_at).year < 1900:
        errors["occurred_at"] = "The date it happened must be a real date after 1900."
    if errors:
        raise ValidationError(errors)
    entry = chronology_add(
        case=case,
        category=category,
        summary=summary,
        detail=detail,
        actor=actor,
        occurred_at=occurred_at,
        kind=ChronologyKind.PRACTITIONER,
    )
    record_create(entry, fields=NOTE_FIELDS, actor=actor)
    return entry


# --- Changing the case record ----------------------------------------------------------------------


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    expected_version: int,
    summary: str,
    keyworker: User | None,
    lead_agency: Organisation,
    lpa: LPA,
    exploitation_types: Iterable[str],
) -> Case:
    """Change the case's details. ``expected_version`` is the version the editor started from:
    if anyone has changed the case since, nothing is saved and a ``ValidationError`` on
    ``version`` says so (never a silent overwrite). The keyworker must work for the lead agency.
    """
    _check_can_edit(actor, case)
    locked = _locked(case)
    _check_version(locked, expected_version)
    _check_open(locked)
    codes = _check_exploitation_types(exploitation_types)
    if not codes:
        raise ValidationError({"exploitation_types": "Choose at least one type of exploitation."})
    if keyworker is not None and (keyworker.organisation_id != lead_agency.pk or not keyworker.is_active):
        raise ValidationError(
            {"keyworker": f"The keyworker must be an active member of the lead agency, {lead_agency.name}."}
        )
    if not lead_agency.is_active:
        raise ValidationError({"lead_agency": f"{lead_agency.name} is no longer active. Choose an active agency."})
    before = snapshot(locked, TRACKED_FIELDS)
    values: dict[str, Any] = {
        "summary": summary.strip(),
        "keyworker": keyworker,
        "lead_agency": lead_agency,
        "lpa": lpa,
        "exploitation_types": codes,
    }
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    _bump(locked, changed)
    record_change(locked, before=before, fields=TRACKED_FIELDS, actor=actor)
    chronology_add(
        case=locked,
        category="case",
        summary=f"Case details changed: {', '.join(FIELD_LABELS[name] for name in changed)}",
        detail=_describe_changes(locked, changed),
        actor=actor,
    )
    _refresh(case, locked)
    return locked


def _describe_changes(case: Case, changed: list[str]) -> str:
    lines = []
    for name in changed:
        value: Any = getattr(case, name)
        if name == "exploitation_types":
            value = ", ".join(exploitation_labels(value))
        elif name == "summary":
            continue  # the summary is on the case page; repeating it here adds nothing
        lines.append(f"{FIELD_LABELS[name].capitalize()}: {value or 'none'}")
    return "\n".join(lines)


@transaction.atomic
def case_add_subjects(*, actor: User, case: Case, people: Iterable[Person]) -> list[CaseSubject]:
    """Add children or adults to the case. Someone already a subject is a ``ValidationError``."""
    _check_can_edit(actor, case)
    locked = _locked(case)
    _check_open(locked)
    people = list(dict.fromkeys(people))
    if not people:
        raise ValidationError({"person": "Choose at least one person to add."})
    existing = set(CaseSubject.objects.filter(case=locked).values_list("person_id", flat=True))
    already = [person for person in people if person.pk in existing]
    if already:
        names = ", ".join(f"{p.display_name} ({p.reference})" for p in already)
        raise ValidationError({"person": f"{names} is already a subject of {locked.reference}."})
    merged = [person for person in people if person.merged_into_id is not None]
    if merged:
        raise ValidationError(
            {"person": f"{merged[0].reference} has been merged into another record: add that record instead."}
        )
    before = sorted(str(p) for p in locked.subjects.all())
    added = CaseSubject.objects.bulk_create([CaseSubject(case=locked, person=person) for person in people])
    _bump(locked, [])
    after = sorted(str(p) for p in locked.subjects.all())
    record(Action.UPDATE, obj=locked, actor=actor, changes={"subjects": [before, after]})
    for person in people:
        chronology_add(
            case=locked,
            category="subject",
            summary=f"{person.display_name} ({person.reference}) added as a subject",
            actor=actor,
        )
    _refresh(case, locked)
    return added


@transaction.atomic
def risk_review_add(*, actor: User, case: Case, level: str, reviewed_on: dt.date, reason: str) -> RiskReview:
    """Record a risk review: the level, the date it was made and the analysis behind it.

    The case takes the new level, and its next review falls due ``SOCEX_CASE_REVIEW_DAYS[level]``
    days after ``reviewed_on``. A review cannot be dated in the future or before the case opened.
    """
    _check_can_edit(actor, case)
    locked = _locked(case)
    _check_open(locked)
    errors: dict[str, str] = {}
    if level not in RiskLevel.values:
        errors["level"] = "Choose the risk level."
    today = timezone.localdate()
    opened_on = timezone.localdate(locked.opened_at)
    if reviewed_on > today:
        errors["reviewed_on"] = "The date of the review must be today or in the past."
    elif reviewed_on < opened_on:
        errors["reviewed_on"] = (
            f"The date of the review must be on or after the day the case opened, {uk_date(opened_on)}."
        )
    if not reason.strip():
        errors["reason"] = "Enter the reasons for this risk level: what has changed and what the evidence shows."
    if errors:
        raise ValidationError(errors)
    review = RiskReview(
        case=locked,
        level=level,
        previous_level=locked.risk_level,
        reviewed_on=reviewed_on,
        reason=reason.strip(),
        reviewer=actor,
        reviewer_agency=actor.organisation,
        next_review_due=reviewed_on + dt.timedelta(days=conf.review_days(level)),
    )
    review.save(force_insert=True)
    record_create(review, fields=REVIEW_FIELDS, actor=actor)
    before = snapshot(locked, TRACKED_FIELDS)
    # A review dated before the latest one adds to the history but does not set today's level.
    latest = RiskReview.objects.filter(case=locked).order_by("-reviewed_on", "-id").first()
    if latest is not None and latest.pk == review.pk:
        locked.risk_level = level
        locked.review_due = review.next_review_due
        _bump(locked, ["risk_level", "review_due"])
        record_change(locked, before=before, fields=TRACKED_FIELDS, actor=actor)
    labels = dict(RiskLevel.choices)
    change = (
        f"{labels[review.previous_level]} to {labels[level]}"
        if review.previous_level != level
        else f"{labels[level]} (unchanged)"
    )
    chronology_add(
        case=locked,
        category="risk_review",
        summary=f"Risk review: {change}",
        detail=review.reason,
        actor=actor,
        occurred_at=_moment(reviewed_on),
        source=review,
    )
    _refresh(case, locked)
    return review


@transaction.atomic
def case_flag(*, actor: User, case: Case, flag: str, on: bool, reason: str = "") -> Case:
    """Add (``on=True``) or remove a flag from the versioned list (``SOCEX_CASE_FLAGS_FILE``)."""
    _check_can_edit(actor, case)
    locked = _locked(case)
    _check_open(locked)
    labels = conf.flag_labels()
    if on and flag not in labels:
        raise ValidationError({"flag": "Choose a flag from the list."})
    label = labels.get(flag, flag)
    if on and flag in locked.flags:
        raise ValidationError({"flag": f"{locked.reference} is already flagged “{label}”."})
    if not on and flag not in locked.flags:
        raise ValidationError({"flag": f"{locked.reference} is not flagged “{label}”."})
    before = snapshot(locked, TRACKED_FIELDS)
    locked.flags = [*locked.flags, flag] if on else [code for code in locked.flags if code != flag]
    _bump(locked, ["flags"])
    record_change(locked, before=before, fields=TRACKED_FIELDS, actor=actor, justification=reason.strip())
    chronology_add(
        case=locked,
        category="flag",
        summary=f"Flag {'added' if on else 'removed'}: {label}",
        detail=reason,
        actor=actor,
    )
    _refresh(case, locked)
    return locked


# --- Closing a case --------------------------------------------------------------------------------


@transaction.atomic
def case_closure_request(
    *, actor: User, case: Case, reason: str, expected_version: int | None = None
) -> ClosureRequest:
    """Ask for the case to be closed, giving the reason. A supervisor then approves or rejects it;
    until then the case shows "Closure awaiting approval"."""
    _check_can_edit(actor, case)
    locked = _locked(case)
    _check_version(locked, expected_version)
    _check_open(locked)
    if locked.status == CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError(f"A request to close {locked.reference} is already waiting for a supervisor.")
    if not reason.strip():
        raise ValidationError(
            {"reason": "Enter why the case can close, for example 'Risk reduced: no missing episodes for 3 months'."}
        )
    closure = ClosureRequest(case=locked, reason=reason.strip(), requested_by=actor)
    closure.save(force_insert=True)
    record_create(closure, fields=CLOSURE_FIELDS, actor=actor)
    before = snapshot(locked, TRACKED_FIELDS)
    locked.status = CaseStatus.CLOSURE_REQUESTED
    _bump(locked, ["status"])
    record_change(locked, before=before, fields=TRACKED_FIELDS, actor=actor)
    chronology_add(
        case=locked, category="closure", summary="Closure requested", detail=closure.reason, actor=actor, source=closure
    )
    _refresh(case, locked)
    return closure


def _decide(*, actor: User, closure: ClosureRequest, approve: bool, note: str) -> ClosureRequest:
    if not can_approve_closure(actor):
        raise PermissionDenied("Only supervisors (case.approve_closure) can decide whether a case closes.")
    if not Case.objects.visible_to(actor).filter(pk=closure.case_id).exists():
        raise PermissionDenied("You can decide only on closing cases you can see.")
    closure = ClosureRequest.objects.select_for_update().get(pk=closure.pk)
    if closure.decision != ClosureDecision.PENDING:
        raise ValidationError(f"This request was already decided: {closure.get_decision_display().lower()}.")
    if closure.requested_by_id == actor.pk:
        raise ValidationError(
            "You asked for this case to be closed, so another supervisor must decide: "
            "nobody approves their own closure request."
        )
    if not approve and not note.strip():
        raise ValidationError({"note": "Enter why the case should stay open, so the keyworker knows what to do next."})
    locked = _locked(closure.case)
    before_closure = snapshot(closure, CLOSURE_FIELDS)
    closure.decision = ClosureDecision.APPROVED if approve else ClosureDecision.REJECTED
    closure.decided_by = actor
    closure.decided_at = timezone.now()
    closure.decision_note = note.strip()
    closure.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    record(
        Action.DECIDE,
        obj=closure,
        actor=actor,
        changes=diff(before_closure, snapshot(closure, CLOSURE_FIELDS)),
        justification=closure.decision_note,
        detail={"decision": closure.decision, "case": locked.reference},
    )
    before = snapshot(locked, TRACKED_FIELDS)
    locked.status = CaseStatus.CLOSED if approve else CaseStatus.OPEN
    locked.closed_at = closure.decided_at if approve else None
    _bump(locked, ["status", "closed_at"])
    record_change(locked, before=before, fields=TRACKED_FIELDS, actor=actor)
    chronology_add(
        case=locked,
        category="closure",
        summary="Case closed: closure approved" if approve else "Closure not approved: the case stays open",
        detail=closure.decision_note,
        actor=actor,
        source=closure,
    )
    closure.case = locked
    return closure


@transaction.atomic
def case_closure_approve(*, actor: User, closure: ClosureRequest, note: str = "") -> ClosureRequest:
    """A supervisor approves a pending closure request: the case closes."""
    return _decide(actor=actor, closure=closure, approve=True, note=note)


@transaction.atomic
def case_closure_reject(*, actor: User, closure: ClosureRequest, note: str) -> ClosureRequest:
    """A supervisor rejects a pending closure request, saying why: the case stays open."""
    return _decide(actor=actor, closure=closure, approve=False, note=note)


# --- Documents -------------------------------------------------------------------------------------


@transaction.atomic
def document_add(*, actor: User, case: Case, upload: UploadedFile, title: str = "") -> CaseDocument:
    """Keep a file with the case, after checking its type (extension and content agree, from the
    allow-list) and size (``SOCEX_CASE_DOCUMENT_MAX_MB``). It is stored privately under a random
    name; the chronology and the audit log record the upload."""
    if not can_contribute(actor, case):
        raise PermissionDenied("Only people whose agency is on this case can add documents to it.")
    _check_open(case)
    name = upload.name or ""
    kind = documents.check_upload(name=name, size=upload.size or 0, content=upload)  # type: ignore[arg-type]
    title = title.strip() or name
    if len(title) > 200:
        raise ValidationError({"title": "The title must be 200 characters or fewer."})
    store = documents.storage()
    stored_name = store.save(f"{case.pk}/{uuid.uuid4().hex}.{kind.extension}", upload)
    try:
        document = CaseDocument(
            case=case,
            title=title,
            original_name=name[-255:],
            extension=kind.extension,
            content_type=kind.content_type,
            size=upload.size or 0,
            sha256=documents.digest(upload),  # type: ignore[arg-type]
            stored_name=stored_name,
            uploaded_by=actor,
            uploaded_by_organisation=actor.organisation,
        )
        document.save(force_insert=True)
        record_create(document, fields=DOCUMENT_FIELDS, actor=actor)
        chronology_add(
            case=case,
            category="document",
            summary=f"Document added: {title}",
            actor=actor,
            source=document,
        )
    except BaseException:
        store.delete(stored_name)  # nothing is kept for an upload the database did not record
        raise
    return document
