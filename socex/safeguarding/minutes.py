"""MACE minutes as a PDF, one copy per recipient agency, redacted to what that agency may see.

An agency's copy holds an agenda item in full only when the agency takes part in the item's
case (police, its lead agency, or an agency the case is shared with today: see
``socex.safeguarding.access.agency_sees_case``) **and** the person downloading it can see the
case. Every other item is withheld: by default it shows only as "Item 3 withheld: not shared
with your agency", with no case reference, name or decision (``SOCEX_MACE_MINUTES_WITHHELD``
set to ``"omit"`` leaves it out altogether). The meeting's own details (date, chair, agencies
and attendees) are in every copy.

Each download is written to the audit log as an EXPORT of the meeting, naming the recipient
agency, the cases included and how many items were withheld.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.text import slugify

from socex.audit.models import Action as AuditAction
from socex.audit.services import record
from socex.cases.access import sees_all_cases
from socex.cases.models import Case
from socex.cases.vocab import exploitation_labels
from socex.core.pdf import PdfReport
from socex.core.templatetags.socex import uk_date, uk_datetime
from socex.safeguarding.access import agency_sees_case, can_manage_meetings
from socex.safeguarding.conf import minutes_withheld_mode
from socex.safeguarding.models import Action, AgendaItem, MeetingStatus

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, User
    from socex.safeguarding.models import Meeting

WITHHELD = "Item {position} withheld: not shared with your agency."


@dataclass
class MinutesItem:
    position: int
    item: AgendaItem | None  # None: withheld from this copy
    actions: list[Action] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return self.item is None


def recipients(meeting: Meeting, user: User) -> list[Organisation]:
    """The agencies whose copy ``user`` may download: their own always; every agency invited
    when they run MACE meetings and can see this one."""
    from socex.accounts.models import Organisation

    agencies = list(meeting.agencies.all())
    if can_manage_meetings(user):
        own = [a for a in agencies if a.pk == user.organisation_id]
        return own + [a for a in agencies if a.pk != user.organisation_id]
    if user.organisation_id is None:
        return []
    return list(Organisation.objects.filter(pk=user.organisation_id))


def minutes_items(meeting: Meeting, *, agency: Organisation, viewer: User) -> list[MinutesItem]:
    """The agenda as ``agency``'s copy shows it, for ``viewer`` (see the module's rule)."""
    items = list(meeting.items.select_related("case", "case__lead_agency", "case__lpa").order_by("position"))
    if sees_all_cases(viewer):
        seen = {item.case_id for item in items}
    else:
        ids = [item.case_id for item in items]
        seen = set(Case.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    actions: dict[object, list[Action]] = {}
    for action in Action.objects.filter(agenda_item__meeting=meeting).select_related("owner_agency", "owner"):
        actions.setdefault(action.agenda_item_id, []).append(action)
    result = []
    for item in items:
        if item.case_id in seen and agency_sees_case(agency, item.case):
            result.append(MinutesItem(item.position, item, actions.get(item.pk, [])))
        else:
            result.append(MinutesItem(item.position, None))
    return result


def _subjects(case: Case) -> str:
    names = [subject.person.display_name for subject in case.case_subjects.select_related("person")]
    return ", ".join(names) or "Not recorded"


def render_minutes(meeting: Meeting, *, agency: Organisation, viewer: User, items: list[MinutesItem]) -> bytes:
    status = "Final" if meeting.status == MeetingStatus.HELD else "Draft: not yet agreed"
    report = PdfReport(
        f"MACE minutes: {meeting.title}, {uk_date(meeting.meeting_date)}",
        subtitle=(
            f"{meeting.reference}. Copy for {agency.name}. Produced {uk_datetime(timezone.now())} "
            f"by {viewer.full_name}. This copy holds only the cases shared with {agency.name}: "
            "do not pass it to another agency."
        ),
    )
    report.key_values(
        [
            ("Date", uk_date(meeting.meeting_date)),
            ("Chair", f"{meeting.chair.full_name} ({meeting.chair.organisation})"),
            ("Local policing area", meeting.lpa.name if meeting.lpa else "Force-wide or not set"),
            ("Status of these minutes", status),
        ]
    )
    report.heading("Agencies and attendees")
    attendees: dict[object, list[str]] = {}
    for person in meeting.attendees.all():
        attendees.setdefault(person.organisation_id, []).append(person.full_name)
    rows = [
        [invited.name, ", ".join(sorted(attendees.get(invited.pk, []))) or "No one recorded"]
        for invited in meeting.agencies.order_by("name")
    ]
    report.table(["Agency", "People attending"], rows, widths=[70, 110])
    report.heading("Agenda")
    omit = minutes_withheld_mode() == "omit"
    shown = [entry for entry in items if not (omit and entry.withheld)]
    if not shown:
        report.paragraph("No agenda items are shared with your agency.")
    for entry in shown:
        if entry.item is None:
            report.paragraph(WITHHELD.format(position=entry.position), bold=True)
            continue
        _item(report, entry)
    return report.output()


def _item(report: PdfReport, entry: MinutesItem) -> None:
    item = entry.item
    assert item is not None
    case = item.case
    report.heading(f"Item {entry.position}: {case.reference}", level=3)
    report.key_values(
        [
            ("Subjects", _subjects(case)),
            ("Lead agency", case.lead_agency.name),
            ("Local policing area", case.lpa.name),
            ("Risk level", case.get_risk_level_display()),
            ("Exploitation", ", ".join(exploitation_labels(case.exploitation_types)) or "Not recorded"),
        ]
    )
    report.paragraph("Discussion", bold=True)
    report.paragraph(item.discussion or "Not recorded.")
    report.paragraph("Decisions", bold=True)
    report.paragraph(item.decisions or "Not recorded.")
    if entry.actions:
        report.paragraph("Actions agreed", bold=True)
        report.table(
            ["Action", "What", "Owner", "Due", "Status"],
            [
                [
                    action.reference,
                    action.description,
                    f"{action.owner_agency}" + (f" ({action.owner.full_name})" if action.owner else ""),
                    uk_date(action.due_date),
                    action.get_status_display(),
                ]
                for action in entry.actions
            ],
            widths=[28, 70, 45, 22, 20],
        )


def minutes_export(*, actor: User, meeting: Meeting, agency: Organisation) -> tuple[bytes, str]:
    """``agency``'s copy of the minutes for ``actor`` (who can see ``meeting``), and its file name.

    Only the actor's own agency's copy, unless they run MACE meetings, and then only for an
    agency invited. Writes an EXPORT event before the document is handed over.
    """
    if agency not in recipients(meeting, actor):
        raise PermissionDenied("You can download only your own agency's copy of these minutes.")
    items = minutes_items(meeting, agency=agency, viewer=actor)
    content = render_minutes(meeting, agency=agency, viewer=actor, items=items)
    included = [entry.item.case.reference for entry in items if entry.item is not None]
    filename = f"{meeting.reference}-minutes-{slugify(agency.name)}.pdf"
    record(
        AuditAction.EXPORT,
        obj=meeting,
        actor=actor,
        export_count=len(included),
        detail={
            "format": "pdf",
            "filename": filename,
            "recipient_agency": agency.name,
            "recipient_agency_id": str(agency.pk),
            "cases_included": included,
            "items_withheld": sum(1 for entry in items if entry.withheld),
        },
    )
    return content, filename
