"""Running MACE meetings: setting one up, its attendees, its agenda of cases, recording each
discussion and making the minutes final.

What is discussed and decided about a case flows into that case's chronology (category
``mace``); actions agreed at the meeting are added with
:func:`socex.safeguarding.services.actions.action_create` and its ``agenda_item``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from socex.audit.services import record_change, record_create, snapshot
from socex.cases.models import Case
from socex.cases.services import chronology_add
from socex.core.references import next_reference
from socex.core.templatetags.socex import uk_date
from socex.safeguarding.access import MACE_MANAGE, can_manage_meetings
from socex.safeguarding.models import AgendaItem, Meeting, MeetingStatus

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, User
    from socex.areas.models import LPA

MEETING_FIELDS = ("reference", "title", "meeting_date", "lpa", "chair", "organiser", "agencies", "status")
ITEM_FIELDS = ("meeting", "case", "position", "discussion", "decisions")
TEXT_MAX = 20_000


def chairs() -> list[User]:
    """Active users whose roles let them run MACE meetings (capabilities live in role data)."""
    from socex.accounts.models import Role, User

    roles = [role.pk for role in Role.objects.all() if MACE_MANAGE in (role.capabilities or [])]
    return list(User.objects.filter(is_active=True, roles__in=roles).select_related("organisation").distinct())


def _meeting_errors(*, title: str, chair: User, agencies: list[Organisation]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter a name for the meeting, for example 'Walsall MACE'."
    if not chair.is_active or not chair.has_cap(MACE_MANAGE):
        errors["chair"] = f"{chair} cannot chair a MACE meeting: their roles do not include running MACE meetings."
    elif chair.organisation_id is None:
        errors["chair"] = f"{chair} belongs to no organisation, so cannot chair a MACE meeting."
    inactive = [str(agency) for agency in agencies if not agency.is_active]
    if inactive:
        errors["agencies"] = f"No longer active: {', '.join(inactive)}. Choose active agencies."
    return errors


def _check_runs(actor: User, meeting: Meeting) -> None:
    if not Meeting.objects.editable_by(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied("Only the chair or the organising agency can change this meeting.")


def _check_not_final(meeting: Meeting) -> None:
    """Refused once the minutes are final (read from the database, locked: a page may be stale)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(f"The minutes of {meeting.reference} are final and can no longer be changed.")


def _lock(meeting: Meeting, version: int) -> Meeting:
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.version != version:
        raise ValidationError(
            {
                "version": f"Someone else changed {current.reference} while you were looking at it. "
                "Your change was not saved: look at the meeting again, then make your change."
            }
        )
    return current


def _agencies_with(agencies: Iterable[Organisation], *always: Organisation | None) -> list[Organisation]:
    chosen = {agency.pk: agency for agency in agencies}
    for agency in always:
        if agency is not None:
            chosen.setdefault(agency.pk, agency)
    return list(chosen.values())


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    title: str,
    meeting_date: dt.date,
    chair: User,
    agencies: Iterable[Organisation],
    lpa: LPA | None = None,
) -> Meeting:
    """Set up a MACE meeting. Needs ``mace.manage`` and an organisation (which organises it).

    The chair must be able to run MACE meetings; the chair's and the organiser's agencies are
    always among the agencies invited, each of which gets its own copy of the minutes.
    """
    if not can_manage_meetings(actor) or actor.organisation is None:
        raise PermissionDenied("Your roles do not include running MACE meetings.")
    agencies = _agencies_with(agencies, chair.organisation, actor.organisation)
    errors = _meeting_errors(title=title, chair=chair, agencies=agencies)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        reference=next_reference(Meeting, "MACE", year=meeting_date.year),
        title=title.strip(),
        meeting_date=meeting_date,
        lpa=lpa,
        chair=chair,
        organiser=actor.organisation,
        created_by=actor,
    )
    meeting.save(force_insert=True)
    meeting.agencies.set(agencies)
    record_create(meeting, fields=MEETING_FIELDS, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    version: int,
    title: str,
    meeting_date: dt.date,
    chair: User,
    agencies: Iterable[Organisation],
    lpa: LPA | None = None,
) -> Meeting:
    """Change a meeting's details and the agencies invited, until its minutes are final."""
    _check_runs(actor, meeting)
    current = _lock(meeting, version)
    _check_not_final(current)
    agencies = _agencies_with(agencies, chair.organisation, current.organiser)
    errors = _meeting_errors(title=title, chair=chair, agencies=agencies)
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, MEETING_FIELDS)
    current.title, current.meeting_date, current.chair, current.lpa = title.strip(), meeting_date, chair, lpa
    current.version += 1
    current.save(update_fields=["title", "meeting_date", "chair", "lpa", "version"])
    current.agencies.set(agencies)
    # An attendee whose agency is no longer invited is no longer listed as attending.
    current.attendees.remove(*current.attendees.exclude(organisation__in=agencies))
    record_change(current, before=before, fields=MEETING_FIELDS)
    return current


@transaction.atomic
def meeting_set_attendees(*, actor: User, meeting: Meeting, attendees: Iterable[User]) -> Meeting:
    """Record who attended. Each attendee must work for one of the agencies invited."""
    _check_runs(actor, meeting)
    _check_not_final(meeting)
    attendees = list(attendees)
    invited = set(meeting.agencies.values_list("pk", flat=True))
    outside = [str(user) for user in attendees if user.organisation_id not in invited]
    if outside:
        raise ValidationError(
            {
                "attendees": f"Not from an agency invited to the meeting: {', '.join(outside)}. "
                "Invite their agency first."
            }
        )
    before = snapshot(meeting, ("attendees",))
    meeting.attendees.set(attendees)
    record_change(meeting, before=before, fields=("attendees",))
    return meeting


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.title} on {uk_date(meeting.meeting_date)} ({meeting.reference})"


@transaction.atomic
def agenda_item_add(*, actor: User, meeting: Meeting, case: Case) -> AgendaItem:
    """Put ``case`` on the agenda (the next item). The actor must run the meeting and be able to
    see the case; a case is on an agenda once. Writes "On the agenda of..." into the chronology."""
    _check_runs(actor, meeting)
    _check_not_final(meeting)
    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise ValidationError({"case": "There is no case with that reference that you can see."})
    existing = AgendaItem.objects.filter(meeting=meeting, case=case).first()
    if existing is not None:
        raise ValidationError({"case": f"{case.reference} is already on this agenda, as item {existing.position}."})
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(meeting=meeting, case=case, position=last + 1, added_by=actor)
    item.save(force_insert=True)
    record_create(item, fields=ITEM_FIELDS, actor=actor)
    chronology_add(
        case=case,
        category="mace",
        summary=f"Put on the agenda of MACE meeting {_meeting_label(meeting)}",
        actor=actor,
        occurred_at=item.added_at,
        source=item,
    )
    return item


@transaction.atomic
def agenda_item_record(*, actor: User, item: AgendaItem, discussion: str, decisions: str) -> AgendaItem:
    """Record what was discussed and decided about the item's case (at least one of them).

    Writes "Discussed at MACE meeting..." into the case's chronology, with the decisions; a
    correction before the minutes are final writes a further entry.
    """
    meeting = item.meeting
    _check_runs(actor, meeting)
    _check_not_final(meeting)
    discussion, decisions = discussion.strip(), decisions.strip()
    errors: dict[str, str] = {}
    if not discussion and not decisions:
        errors["decisions"] = "Enter what was discussed or what was decided about this case."
    for name, value in (("discussion", discussion), ("decisions", decisions)):
        if len(value) > TEXT_MAX:
            errors[name] = f"Keep this to {TEXT_MAX:,} characters or fewer."
    if errors:
        raise ValidationError(errors)
    corrected = item.recorded_at is not None
    before = snapshot(item, ITEM_FIELDS)
    item.discussion, item.decisions = discussion, decisions
    item.recorded_at, item.recorded_by = timezone.now(), actor
    item.save(update_fields=["discussion", "decisions", "recorded_at", "recorded_by"])
    record_change(item, before=before, fields=ITEM_FIELDS)
    what = "Discussion corrected" if corrected else "Discussed"
    detail = "\n\n".join(part for part in (f"Decisions: {decisions}" if decisions else "", discussion) if part)
    summary = f"{what} at MACE meeting {_meeting_label(meeting)}"
    if decisions:
        summary += f". Decided: {decisions}"
    chronology_add(case=item.case, category="mace", summary=summary, detail=detail, actor=actor, source=item)
    return item


@transaction.atomic
def meeting_finalise(*, actor: User, meeting: Meeting, version: int) -> Meeting:
    """Make the minutes final (the meeting was held): every agenda item must have its discussion
    recorded. Nothing about the meeting can change afterwards."""
    _check_runs(actor, meeting)
    current = _lock(meeting, version)
    _check_not_final(current)
    missing = list(current.items.filter(recorded_at__isnull=True).values_list("position", flat=True))
    if missing:
        numbers = ", ".join(str(position) for position in missing)
        raise ValidationError(
            f"Record the discussion of every agenda item before making the minutes final (not yet: item {numbers})."
        )
    if not current.items.exists():
        raise ValidationError("The agenda is empty: add the cases discussed before making the minutes final.")
    before = snapshot(current, MEETING_FIELDS)
    current.status = MeetingStatus.HELD
    current.version += 1
    current.save(update_fields=["status", "version"])
    record_change(current, before=before, fields=MEETING_FIELDS)
    return current
