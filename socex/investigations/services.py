"""Changes to operations, investigations, outcomes, the disruption log and hub staffing.

Each function checks its rules, makes the change in one transaction and audits it. Refusals
name the rule, for example "An outcome cannot come before the investigation opened".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from socex.audit.services import record_change, record_create, snapshot
from socex.core.money import money
from socex.core.references import next_reference
from socex.core.templatetags.socex import uk_date
from socex.investigations.access import can_manage, can_see_workload
from socex.investigations.models import (
    Disruption,
    DisruptionKind,
    Investigation,
    InvestigationPerson,
    InvestigationStatus,
    Operation,
    OperationScope,
    Outcome,
    OutcomeKind,
    PersonRole,
    StaffKind,
    StaffMember,
    StatusChange,
)
from socex.investigations.offences import offence_list

if TYPE_CHECKING:
    from socex.accounts.models import Team, User
    from socex.areas.models import LPA, Hub
    from socex.cases.models import Case
    from socex.intelligence.models import Group, Report
    from socex.people.models import Person

DEFAULT_CRIME_REFERENCE = r"^[A-Z0-9][A-Z0-9/\-]{3,29}$"
INVESTIGATION_FIELDS = (
    "reference",
    "title",
    "crime_references",
    "offences",
    "officer_in_case",
    "lpa",
    "hub",
    "operation",
    "status",
    "opened_on",
    "summary",
)
OUTCOMES_NEEDING_DETAIL = {
    OutcomeKind.NFA: "Give the reason for no further action.",
    OutcomeKind.COURT_RESULT: "Say what the court decided.",
}
OUTCOMES_ABOUT_A_SUSPECT = (OutcomeKind.CHARGE, OutcomeKind.CAUTION, OutcomeKind.STPO, OutcomeKind.STRO)


def _check_manager(actor: User) -> None:
    if not can_manage(actor):
        raise PermissionDenied("Only police users with investigation.manage can change investigations.")


def _not_future(day: dt.date, *, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future."})


# --- Operations ----------------------------------------------------------------------------------


@transaction.atomic
def operation_create(
    *,
    actor: User,
    name: str,
    scope: str,
    aims: str,
    start_date: dt.date,
    lead: User,
    end_date: dt.date | None = None,
    lpas: Iterable[LPA] = (),
    hubs: Iterable[Hub] = (),
    teams: Iterable[Team] = (),
) -> Operation:
    _check_manager(actor)
    lpas = list(lpas)
    if not name.strip():
        raise ValidationError({"name": "Enter the operation's name."})
    if Operation.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": f"There is already an operation called {name.strip()}."})
    if scope not in OperationScope.values:
        raise ValidationError({"scope": "Choose force-wide or local."})
    if scope == OperationScope.LOCAL and not lpas:
        raise ValidationError({"lpas": "A local operation needs at least one local policing area."})
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": "The end date must be on or after the start date."})
    if not getattr(lead, "is_police", False):
        raise ValidationError({"lead": "An operation is led by a police officer."})
    operation = Operation(
        name=name.strip(), scope=scope, aims=aims.strip(), start_date=start_date, end_date=end_date, lead=lead
    )
    operation.save(force_insert=True)
    operation.lpas.set(lpas if scope == OperationScope.LOCAL else [])
    operation.hubs.set(list(hubs))
    operation.teams.set(list(teams))
    record_create(
        operation, fields=("name", "scope", "aims", "start_date", "end_date", "lead", "lpas", "hubs"), actor=actor
    )
    return operation


# --- Investigations ------------------------------------------------------------------------------


def is_detective(user: User) -> bool:
    """Is ``user`` a detective on a hub's staff? (Set on the hub staffing page.)"""
    return StaffMember.objects.filter(user=user, kind=StaffKind.DETECTIVE).exists()


def _check_offences(codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ValidationError({"offences": "Choose at least one offence."})
    unknown = [code for code in codes if code not in offence_list().offences]
    if unknown:
        raise ValidationError({"offences": f"Not on the offences list: {', '.join(unknown)}."})
    return codes


def _check_officer(officer: User, offences: list[str]) -> None:
    if not getattr(officer, "is_police", False) or not officer.has_cap("investigation.manage"):
        raise ValidationError(
            {"officer_in_case": "The officer in the case must be a police officer who runs investigations."}
        )
    needing = [offence_list().offences[code] for code in offences if offence_list().offences[code].needs_detective]
    if needing and not is_detective(officer):
        titles = "; ".join(offence.title for offence in needing)
        raise ValidationError(
            {
                "officer_in_case": f"The officer in the case must be a detective for these offences: {titles}. "
                f"{officer} is not recorded as a detective on a hub's staff."
            }
        )


def clean_crime_references(values: Iterable[str]) -> list[str]:
    pattern = re.compile(getattr(settings, "SOCEX_CRIME_REFERENCE_PATTERN", DEFAULT_CRIME_REFERENCE))
    cleaned = []
    for value in values:
        text = re.sub(r"\s+", "", str(value)).upper()
        if not text:
            continue
        if not pattern.match(text):
            raise ValidationError(
                {
                    "crime_references": f"{value!s} is not a crime reference number: use letters, digits, / and -, "
                    "for example 20/123456/26."
                }
            )
        cleaned.append(text)
    return list(dict.fromkeys(cleaned))


@transaction.atomic
def investigation_create(
    *,
    actor: User,
    title: str,
    offences: Iterable[str],
    officer_in_case: User,
    lpa: LPA,
    opened_on: dt.date,
    crime_references: Iterable[str] = (),
    hub: Hub | None = None,
    operation: Operation | None = None,
    summary: str = "",
    intelligence_reports: Iterable[Report] = (),
    targets: Iterable[Group] = (),
) -> Investigation:
    """Open an investigation. Linked intelligence must be intelligence the actor may read."""
    from socex.intelligence.models import Report

    _check_manager(actor)
    if not title.strip():
        raise ValidationError({"title": "Enter a title for the investigation."})
    codes = _check_offences(offences)
    _check_officer(officer_in_case, codes)
    _not_future(opened_on, field="opened_on", what="The date the investigation opened")
    reports = list(intelligence_reports)
    readable = set(Report.objects.visible_to(actor).filter(pk__in=[r.pk for r in reports]).values_list("pk", flat=True))
    if any(report.pk not in readable for report in reports):
        raise ValidationError({"intelligence_reports": "You can only link intelligence reports you may read."})
    investigation = Investigation(
        reference=next_reference(Investigation, "INV"),
        title=title.strip(),
        crime_references=clean_crime_references(crime_references),
        offences=codes,
        offences_version=offence_list().version,
        officer_in_case=officer_in_case,
        lpa=lpa,
        hub=hub,
        operation=operation,
        opened_on=opened_on,
        summary=summary.strip(),
        created_by=actor,
    )
    investigation.save(force_insert=True)
    investigation.intelligence_reports.set(reports)
    investigation.targets.set(list(targets))
    StatusChange.objects.create(
        investigation=investigation, status=investigation.status, changed_on=opened_on, changed_by=actor, note="Opened"
    )
    record_create(investigation, fields=(*INVESTIGATION_FIELDS, "intelligence_reports", "targets"), actor=actor)
    return investigation


@transaction.atomic
def investigation_set_status(
    *, actor: User, investigation: Investigation, status: str, changed_on: dt.date, note: str = "", version: int
) -> Investigation:
    _check_manager(actor)
    current = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if current.version != version:
        raise ValidationError(
            "Someone else changed this investigation while you were editing it. Reload the page and try again."
        )
    if status not in InvestigationStatus.values:
        raise ValidationError({"status": "Choose a status."})
    if status == current.status:
        raise ValidationError({"status": f"The investigation is already {current.get_status_display().lower()}."})
    _not_future(changed_on, field="changed_on", what="The date of the change")
    if changed_on < current.opened_on:
        raise ValidationError(
            {"changed_on": f"A status cannot change before the investigation opened ({uk_date(current.opened_on)})."}
        )
    before = snapshot(current, ("status", "closed_on"))
    current.status = status
    current.closed_on = changed_on if status == InvestigationStatus.CLOSED else None
    current.version += 1
    current.save(update_fields=["status", "closed_on", "version"])
    StatusChange.objects.create(
        investigation=current, status=status, changed_on=changed_on, changed_by=actor, note=note.strip()
    )
    record_change(current, before=before, fields=("status", "closed_on"))
    _tell_cases(current, actor, f"Police investigation status: {current.get_status_display().lower()}")
    return current


def _open_case_of(person: Person) -> Case | None:
    from socex.cases.models import Case

    return Case.objects.open().filter(case_subjects__person=person).order_by("-opened_at").first()


def _tell_cases(investigation: Investigation, actor: User, summary: str) -> None:
    """Note on each victim's case that a police investigation exists and its status: no detail."""
    from socex.cases.services import chronology_add

    cases = {entry.case for entry in investigation.people.filter(case__isnull=False).select_related("case")}
    for case in filter(None, cases):
        chronology_add(case=case, category="investigation", summary=summary, actor=actor, agency=actor.organisation)


@transaction.atomic
def investigation_add_person(
    *,
    actor: User,
    investigation: Investigation,
    person: Person,
    role: str,
    case: Case | None = None,
    both_roles_reason: str = "",
) -> InvestigationPerson:
    """Name a suspect or victim. A victim is linked to their open exploitation case where one exists.

    Someone recorded as both victim and suspect in one investigation (a child exploited into
    dealing, say) needs a reason, given when the second role is added.
    """
    _check_manager(actor)
    if role not in PersonRole.values:
        raise ValidationError({"role": "Choose suspect or victim."})
    existing = investigation.people.filter(person=person)
    if existing.filter(role=role).exists():
        raise ValidationError({"person": f"{person} is already recorded as a {role} in this investigation."})
    other = existing.exclude(role=role).first()
    if other is not None and not both_roles_reason.strip():
        raise ValidationError(
            {
                "both_roles_reason": f"{person} is already a {other.get_role_display().lower()} in this investigation. "
                "A victim who is also a suspect needs a confirmation and a reason."
            }
        )
    if role == PersonRole.VICTIM and case is None:
        case = _open_case_of(person)
    entry = InvestigationPerson(
        investigation=investigation,
        person=person,
        role=role,
        case=case if role == PersonRole.VICTIM else None,
        both_roles_reason=both_roles_reason.strip() if other is not None else "",
    )
    entry.save(force_insert=True)
    if other is not None:
        InvestigationPerson.objects.filter(pk=other.pk).update(both_roles_reason=both_roles_reason.strip())
    record_create(entry, fields=("investigation", "person", "role", "case", "both_roles_reason"), actor=actor)
    if entry.case is not None:
        from socex.cases.services import chronology_add

        chronology_add(
            case=entry.case,
            category="investigation",
            actor=actor,
            agency=actor.organisation,
            summary=f"Linked to a police investigation (status: {investigation.get_status_display().lower()})",
        )
    return entry


@transaction.atomic
def outcome_record(
    *,
    actor: User,
    investigation: Investigation,
    kind: str,
    outcome_on: dt.date,
    person: Person | None = None,
    detail: str = "",
) -> Outcome:
    _check_manager(actor)
    if kind not in OutcomeKind.values:
        raise ValidationError({"kind": "Choose the outcome."})
    _not_future(outcome_on, field="outcome_on", what="The date of the outcome")
    if outcome_on < investigation.opened_on:
        raise ValidationError(
            {
                "outcome_on": "An outcome cannot come before the investigation opened "
                f"({uk_date(investigation.opened_on)})."
            }
        )
    if kind in OUTCOMES_NEEDING_DETAIL and not detail.strip():
        raise ValidationError({"detail": OUTCOMES_NEEDING_DETAIL[OutcomeKind(kind)]})
    if kind in OUTCOMES_ABOUT_A_SUSPECT:
        if person is None:
            raise ValidationError({"person": "Choose the suspect this outcome is about."})
        if not investigation.people.filter(person=person, role=PersonRole.SUSPECT).exists():
            raise ValidationError({"person": f"{person} is not recorded as a suspect in this investigation."})
    outcome = Outcome(
        investigation=investigation,
        kind=kind,
        person=person,
        outcome_on=outcome_on,
        detail=detail.strip(),
        recorded_by=actor,
    )
    outcome.save(force_insert=True)
    record_create(outcome, fields=("investigation", "kind", "person", "outcome_on", "detail"), actor=actor)
    return outcome


# --- Disruption log ------------------------------------------------------------------------------


@transaction.atomic
def disruption_record(
    *,
    actor: User,
    kind: str,
    occurred_on: dt.date,
    lpa: LPA,
    quantity: int = 1,
    operation: Operation | None = None,
    investigation: Investigation | None = None,
    county_line: Group | None = None,
    cash_amount: Any = None,
    drugs_description: str = "",
    notes: str = "",
) -> Disruption:
    _check_manager(actor)
    if kind not in DisruptionKind.values:
        raise ValidationError({"kind": "Choose what kind of disruption this was."})
    _not_future(occurred_on, field="occurred_on", what="A disruption")
    if quantity is None or int(quantity) < 1:
        raise ValidationError({"quantity": "Enter how many, 1 or more."})
    amount = None
    if kind == DisruptionKind.CASH:
        if cash_amount in (None, ""):
            raise ValidationError({"cash_amount": "Enter how much cash was seized."})
        amount = money(cash_amount, field="cash_amount", label="The cash seized")
    if kind == DisruptionKind.DRUGS and not drugs_description.strip():
        raise ValidationError(
            {"drugs_description": "Describe the drugs seized, for example 42 wraps of crack cocaine."}
        )
    if investigation is not None and occurred_on < investigation.opened_on:
        raise ValidationError(
            {
                "occurred_on": f"A disruption under {investigation.reference} cannot come before it opened "
                f"({uk_date(investigation.opened_on)})."
            }
        )
    disruption = Disruption(
        kind=kind,
        occurred_on=occurred_on,
        lpa=lpa,
        quantity=int(quantity),
        operation=operation,
        investigation=investigation,
        county_line=county_line,
        cash_amount=amount,
        drugs_description=drugs_description.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    disruption.save(force_insert=True)
    record_create(
        disruption,
        fields=("kind", "occurred_on", "lpa", "quantity", "operation", "investigation", "county_line", "cash_amount"),
        actor=actor,
    )
    return disruption


# --- Hub staffing --------------------------------------------------------------------------------


@transaction.atomic
def staff_set(
    *, actor: User, user: User, hub: Hub, kind: str, capacity: int, fte: Any = Decimal("1.00")
) -> StaffMember:
    """Put ``user`` on ``hub``'s staff (or change their post): detective or not, and their capacity."""
    if not can_see_workload(actor):
        raise PermissionDenied("Only police managers with workload.view can change hub staffing.")
    if not getattr(user, "is_police", False):
        raise ValidationError({"user": "Hub staff are police officers and staff."})
    if kind not in StaffKind.values:
        raise ValidationError({"kind": "Choose detective or non-detective."})
    if capacity is None or not 1 <= int(capacity) <= 200:
        raise ValidationError({"capacity": "Enter a capacity from 1 to 200 open items."})
    fte = Decimal(str(fte))
    if not Decimal("0") < fte <= Decimal("1"):
        raise ValidationError({"fte": "Full-time equivalent must be more than 0 and at most 1."})
    fields = ("hub", "kind", "capacity", "fte")
    existing = StaffMember.objects.filter(user=user).first()
    if existing is None:
        member = StaffMember.objects.create(user=user, hub=hub, kind=kind, capacity=int(capacity), fte=fte)
        record_create(member, fields=("user", *fields), actor=actor)
        return member
    before = snapshot(existing, fields)
    existing.hub, existing.kind, existing.capacity, existing.fte = hub, kind, int(capacity), fte
    existing.save()
    record_change(existing, before=before, fields=fields)
    return existing
