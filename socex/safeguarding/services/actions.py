"""Changes to the actions of a safeguarding plan.

Each service checks who is acting (``PermissionDenied``), checks the rules (``ValidationError``
naming the rule, by field), writes its audit event, and writes what happened into the case's
chronology (category ``action``, with the action as its source), all in one transaction.

A change to an existing action names the ``version`` the user saw: if someone else changed the
action since, the change is refused rather than silently overwriting theirs.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from socex.audit.models import Action as AuditAction
from socex.audit.services import diff, record, record_create, snapshot
from socex.cases.models import CaseStatus
from socex.cases.services import chronology_add
from socex.core.references import next_reference
from socex.core.templatetags.socex import uk_date
from socex.safeguarding.access import (
    agency_sees_case,
    can_add_action,
    can_change_case_of,
)
from socex.safeguarding.models import CLOSED_STATUSES, Action, ActionStatus, AgendaItem, Meeting, MeetingStatus

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, User
    from socex.cases.models import Case

ACTION_FIELDS = ("reference", "case", "description", "owner_agency", "owner", "due_date", "status", "agenda_item")
CLOSING_FIELDS = ("status", "completed_at", "completed_by", "completion_note")
DESCRIPTION_MAX = 2000
SUMMARY_WORDS = 120
_UNSET: Any = object()


def _short(text: str, limit: int = SUMMARY_WORDS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1].rstrip()}…"


def _owner_errors(*, case: Case, owner_agency: Organisation, owner: User | None) -> dict[str, str]:
    from socex.cases.models import Case

    errors: dict[str, str] = {}
    if not owner_agency.is_active:
        errors["owner_agency"] = f"{owner_agency} is no longer active. Choose an active agency."
    elif not agency_sees_case(owner_agency, case):
        errors["owner_agency"] = (
            f"{owner_agency} does not take part in {case.reference}: an action's agency must lead the case or "
            "have it shared with them. Share the case with them first, or choose another agency."
        )
    if owner is not None and "owner_agency" not in errors:
        if owner.organisation_id != owner_agency.pk:
            errors["owner"] = (
                f"{owner} does not work for {owner_agency}. Choose someone from the agency, or leave the person blank."
            )
        elif not owner.is_active or not Case.objects.visible_to(owner).filter(pk=case.pk).exists():
            errors["owner"] = (
                f"{owner} cannot see {case.reference}, so cannot own its actions. "
                "Choose someone else, or leave the person blank."
            )
    return errors


def _description_errors(description: str) -> dict[str, str]:
    if not description.strip():
        return {"description": "Enter what needs to be done, for example 'Home visit with mum to discuss the plan'."}
    if len(description) > DESCRIPTION_MAX:
        return {"description": f"The action must be {DESCRIPTION_MAX:,} characters or fewer."}
    return {}


def _check_can_use_item(actor: User, item: AgendaItem, case: Case) -> None:
    from socex.safeguarding.models import AgendaItem

    if item.case_id != case.pk:
        raise ValueError("The agenda item is about another case.")
    if not AgendaItem.objects.editable_by(actor).filter(pk=item.pk).exists():
        raise PermissionDenied("Only the chair or organising agency of the meeting can record its actions.")
    if Meeting.objects.select_for_update().get(pk=item.meeting_id).status == MeetingStatus.HELD:
        raise ValidationError(
            f"The minutes of {item.meeting.reference} are final, so no more actions can be agreed at it. "
            "Add the action to the case's safeguarding plan instead."
        )


@transaction.atomic
def action_create(
    *,
    actor: User,
    case: Case,
    description: str,
    owner_agency: Organisation,
    due_date: dt.date,
    owner: User | None = None,
    agenda_item: AgendaItem | None = None,
    created_at: dt.datetime | None = None,
) -> Action:
    """Add an action to ``case``'s safeguarding plan, owned by ``owner_agency`` (and ``owner``).

    Directly, by someone who may change the case; or, with ``agenda_item``, as a decision of a
    MACE meeting, by whoever runs that meeting (until its minutes are final). Rules: the agency
    must take part in the case (police, its lead agency, or a share in force); the person must
    work for that agency and be able to see the case; the due date cannot be before the day the
    action is agreed; a closed case takes no new actions. ``created_at`` (default now) is for
    recording a decision made earlier. Writes "Action agreed" into the chronology.
    """
    if agenda_item is not None:
        _check_can_use_item(actor, agenda_item, case)
    elif not can_add_action(actor, case):
        raise PermissionDenied("Only someone who may change the case can add actions to its plan.")
    created_at = created_at or timezone.now()
    errors = _description_errors(description)
    errors |= _owner_errors(case=case, owner_agency=owner_agency, owner=owner)
    if due_date < timezone.localdate(created_at):
        errors["due_date"] = "The due date must be today or in the future."
    if case.status == CaseStatus.CLOSED:
        errors[NON_FIELD_ERRORS] = f"{case.reference} is closed: a closed case takes no new actions."
    if errors:
        raise ValidationError(errors)
    action = Action(
        reference=next_reference(Action, "ACT", year=timezone.localdate(created_at).year),
        case=case,
        description=description.strip(),
        owner_agency=owner_agency,
        owner=owner,
        due_date=due_date,
        agenda_item=agenda_item,
        created_at=created_at,
        created_by=actor,
        updated_at=created_at,
    )
    action.save(force_insert=True)
    record_create(action, fields=ACTION_FIELDS, actor=actor)
    where = f" at MACE meeting {agenda_item.meeting.reference}" if agenda_item is not None else ""
    owned_by = f"{owner_agency}" + (f" ({owner.full_name})" if owner is not None else "")
    chronology_add(
        case=case,
        category="action",
        summary=f"Action {action.reference} agreed{where}: {_short(action.description)}. "
        f"Owned by {owned_by}, due {uk_date(due_date)}",
        detail=action.description,
        actor=actor,
        agency=actor.organisation,
        occurred_at=created_at,
        source=action,
    )
    return action


def _lock(action: Action, version: int) -> Action:
    """The action as it is now, locked for this transaction; refused if it changed since ``version``."""
    current = (
        Action.objects.select_for_update(of=("self",)).select_related("case", "owner_agency", "owner").get(pk=action.pk)
    )
    if current.version != version:
        raise ValidationError(
            {
                "version": f"Someone else changed {current.reference} while you were looking at it. "
                "Your change was not saved: look at the action again, then make your change."
            }
        )
    if current.status in CLOSED_STATUSES:
        raise ValidationError(
            {
                "status": f"{current.reference} is {current.get_status_display().lower()}: a done or cancelled "
                "action cannot be changed. Add a new action instead."
            }
        )
    return current


def _check_can_edit(actor: User, action: Action) -> None:
    if not Action.objects.editable_by(actor).filter(pk=action.pk).exists():
        raise PermissionDenied(
            "Only the agency that owns this action, or someone who may change the case, can change it."
        )


def _save(action: Action, fields: list[str]) -> None:
    action.version += 1
    action.updated_at = timezone.now()
    action.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def action_update(
    *,
    actor: User,
    action: Action,
    version: int,
    status: str | None = None,
    owner: User | None = _UNSET,
    note: str = "",
    description: str | None = None,
    due_date: dt.date | None = None,
    owner_agency: Organisation | None = None,
) -> Action:
    """Change an open action, or add a progress note to it.

    The owning agency's users may set the status (open or in progress), choose who in the agency
    owns it and add a note; changing the description, due date or agency needs someone who may
    change the case. To finish an action use :func:`action_complete` or :func:`action_cancel`.
    Writes "Action updated" into the chronology, with the note.
    """
    _check_can_edit(actor, action)
    current = _lock(action, version)
    changes: dict[str, Any] = {}
    if status is not None and status != current.status:
        if status not in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
            raise ValidationError(
                {"status": "Choose open or in progress. To finish an action, complete it (or cancel it) with a note."}
            )
        changes["status"] = status
    if owner is not _UNSET and owner != current.owner:
        changes["owner"] = owner
    for name, value in (("description", description), ("due_date", due_date), ("owner_agency", owner_agency)):
        if value is not None and value != getattr(current, name):
            changes[name] = value.strip() if isinstance(value, str) else value
    whole = {"description", "due_date", "owner_agency"} & set(changes)
    if whole and not can_change_case_of(actor, current):
        raise PermissionDenied(
            "Only someone who may change the case can change an action's description, due date or agency."
        )
    note = note.strip()
    if not changes and not note:
        raise ValidationError("Nothing to save: change something or add a note.")
    errors: dict[str, str] = {}
    if "description" in changes:
        errors |= _description_errors(changes["description"])
    if "due_date" in changes and changes["due_date"] < timezone.localdate():
        errors["due_date"] = "The due date must be today or in the future."
    if {"owner", "owner_agency"} & set(changes):
        new_agency = changes.get("owner_agency", current.owner_agency)
        new_owner = changes.get("owner", current.owner)
        if "owner_agency" in changes and "owner" not in changes and new_owner is not None:
            new_owner = changes["owner"] = None  # a new agency chooses its own person
        errors |= _owner_errors(case=current.case, owner_agency=new_agency, owner=new_owner)
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ACTION_FIELDS)
    for name, value in changes.items():
        setattr(current, name, value)
    _save(current, list(changes))
    record(AuditAction.UPDATE, obj=current, changes=diff(before, snapshot(current, ACTION_FIELDS)), detail=_note(note))
    chronology_add(
        case=current.case,
        category="action",
        summary=f"Action {current.reference} updated: {_describe(current, changes, note)}",
        detail=note,
        actor=actor,
        agency=actor.organisation,
        source=current,
    )
    return current


def _note(note: str) -> dict[str, str]:
    return {"note": note} if note else {}


def _describe(action: Action, changes: dict[str, Any], note: str) -> str:
    parts = []
    if "status" in changes:
        parts.append(f"now {action.get_status_display().lower()}")
    if "owner_agency" in changes:
        parts.append(f"moved to {action.owner_agency}")
    if "owner" in changes:
        parts.append(f"owned by {action.owner.full_name}" if action.owner else "no one person owns it")
    if "due_date" in changes:
        parts.append(f"due {uk_date(action.due_date)}")
    if "description" in changes:
        parts.append(f"now reads '{_short(action.description, 80)}'")
    if note and not parts:
        parts.append(f"note added: {_short(note, 150)}")
    return "; ".join(parts)


@transaction.atomic
def action_complete(*, actor: User, action: Action, version: int, note: str) -> Action:
    """Mark an open action done, saying what was done (required). The owning agency's users, or
    someone who may change the case, may. Writes "Action done" into the chronology."""
    _check_can_edit(actor, action)
    current = _lock(action, version)
    if not note.strip():
        raise ValidationError({"note": "Say what was done to complete the action."})
    return _close(actor, current, ActionStatus.DONE, note.strip(), f"done by {current.owner_agency}")


@transaction.atomic
def action_cancel(*, actor: User, action: Action, version: int, reason: str) -> Action:
    """Cancel an open action, saying why (required). Only someone who may change the case may:
    the owning agency completes its actions, or asks the hub to cancel one."""
    if not can_change_case_of(actor, action):
        raise PermissionDenied("Only someone who may change the case can cancel an action.")
    current = _lock(action, version)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the action is cancelled."})
    return _close(actor, current, ActionStatus.CANCELLED, reason.strip(), "cancelled")


def _close(actor: User, action: Action, status: str, note: str, what: str) -> Action:
    before = snapshot(action, ACTION_FIELDS + CLOSING_FIELDS)
    action.status = status
    action.completed_at = timezone.now()
    action.completed_by = actor
    action.completion_note = note
    _save(action, list(CLOSING_FIELDS))
    record(AuditAction.UPDATE, obj=action, changes=diff(before, snapshot(action, ACTION_FIELDS + CLOSING_FIELDS)))
    chronology_add(
        case=action.case,
        category="action",
        summary=f"Action {action.reference} {what}: {_short(action.description)}",
        detail=note,
        actor=actor,
        agency=actor.organisation,
        source=action,
    )
    return action
