"""Importing a partner's list of people (CSV or XLSX), such as a school's list of pupils of concern.

One entry point, :func:`people_import`, serves the command (``manage.py import_people``) and the
web pages. It works in three steps, and every step reports rather than stops at the first fault:

1. **Read** the file (:mod:`socex.people.spreadsheets`): a wrong type, a wrong encoding, a file
   too large or too long is refused as a whole (:class:`FileRefused`). So is a wrong header: a
   column this import does not know, a missing required column or a column given twice, each
   named (the columns are documented in :mod:`socex.people.import_columns`).
2. **Check** every row (:mod:`socex.people.import_rows`) with the same ``normalise`` functions
   the forms use, collecting every problem as (row as the spreadsheet numbers it, column,
   message). A row that repeats an earlier one (same name and date of birth, same identifier,
   or same local reference) is a problem too.
3. **Match** each good row against the index (``match_person``, limited to the people the
   importing user may see) and classify it:

   * *new person*: no candidate at or above the possible-match threshold;
   * *probable match*: the best candidate's probability is at or above
     ``settings.SOCEX_PEOPLE_IMPORT_PROBABLE_MATCH`` (default 0.95);
   * *possible match*: at or above ``settings.SOCEX_PEOPLE_IMPORT_POSSIBLE_MATCH`` (default 0.5).
     A possible match is added as a new person; the batch duplicate check reviews the pair.

A **dry run** stops there and returns the report (its matching is recorded in the audit log as
a search, since the report names people in the index). A **commit** checks and matches the file
again, then writes everything in one transaction, or nothing: any problem in any row and no
person is written, and the report names each row and column.

What a commit writes:

* A new person is created by ``services.person_create``, owned by the importer's organisation,
  which also holds the record (a ``Holding`` with the row's ``local_reference``).
* A probable match is, by default (``link_matches=True``), **linked, not duplicated**: the
  matched person gets a ``Holding`` for the importer's organisation (unless it has one), and the
  file's identifiers, phone numbers, emails, address and names that the record does not already
  have (a name spelt differently becomes an alias of the kind "other spelling"). Nothing the
  record already holds is changed or removed: not its name, date of birth, gender, ethnicity
  or notes; an identifier that differs from the one recorded (a second NHS number, say) is not
  added, and the report says so. A probable match the importer may see but not change (a
  partner's view of a shared record) is added as a new person, and the report says why.
  Two rows that probably match the same person are refused: one of them is wrong.
* With ``link_matches=False`` ("create all") every good row becomes a new person.
* One ``IMPORT`` audit event for the file (name, SHA-256, counts); the services write a
  ``CREATE`` event per new person and an ``UPDATE`` per detail added to a linked person.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from socex.audit.models import Action
from socex.audit.services import record
from socex.people import normalise, services
from socex.people.access import RECORD_TYPE, can_create
from socex.people.import_columns import COLUMN_NAMES, COLUMN_OF_IDENTIFIER, COLUMNS
from socex.people.import_rows import IDENTIFIER_LABELS, ImportRow, Outcome, PlannedPart, RowError, parse
from socex.people.matching import UNIQUE_IDENTIFIERS, match_person
from socex.people.models import AliasKind, Person
from socex.people.spreadsheets import FileRefused

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, User

__all__ = ["COLUMNS", "FileRefused", "ImportReport", "ImportRow", "Outcome", "RowError", "parse", "people_import"]

DEFAULT_PROBABLE_MATCH = 0.95
DEFAULT_POSSIBLE_MATCH = 0.5

Progress = Callable[[Sequence["ImportRow"], str], Iterable["ImportRow"]]


def probable_threshold() -> float:
    return float(getattr(settings, "SOCEX_PEOPLE_IMPORT_PROBABLE_MATCH", DEFAULT_PROBABLE_MATCH))


def possible_threshold() -> float:
    return float(getattr(settings, "SOCEX_PEOPLE_IMPORT_POSSIBLE_MATCH", DEFAULT_POSSIBLE_MATCH))


def _no_progress(rows: Sequence[ImportRow], _label: str) -> Iterable[ImportRow]:
    return rows


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    rows: list[ImportRow]
    link_matches: bool = True
    committed: bool = False

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def to_link(self) -> int:
        return sum(1 for row in self.rows if row.link and not row.errors)

    @property
    def to_create(self) -> int:
        return sum(1 for row in self.rows if not row.link and not row.errors)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "new": self.count(Outcome.NEW),
            "probable": self.count(Outcome.PROBABLE),
            "possible": self.count(Outcome.POSSIBLE),
            "errors": len(self.error_rows),
        }

    def summary(self) -> str:
        counts = (
            f"{len(self.rows):,} row(s): {self.count(Outcome.NEW):,} new, {self.count(Outcome.PROBABLE):,} probable "
            f"match(es), {self.count(Outcome.POSSIBLE):,} possible match(es), {len(self.error_rows):,} with errors"
        )
        if self.committed:
            return f"Imported {self.file_name}: {self.to_create:,} added, {self.to_link:,} linked ({counts})."
        if self.errors:
            return (
                f"{self.file_name} has {len(self.errors):,} problem(s) in {len(self.error_rows):,} row(s); "
                f"nothing was imported ({counts})."
            )
        return (
            f"Dry run of {self.file_name}: would add {self.to_create:,} and link {self.to_link:,} ({counts}). "
            "Nothing was written."
        )


def row_lines(row: ImportRow) -> list[str]:
    head = f"Row {row.number}: {row.display_name}, {row.date_of_birth_text or 'no date of birth'}: {row.outcome_label}"
    lines = [head]
    if row.person is not None:
        lines[0] += f" ({row.person.reference})"
    candidate = row.candidate
    if candidate is not None and row.outcome in (Outcome.PROBABLE, Outcome.POSSIBLE):
        lines.append(
            f"    best match {candidate.person.reference} {candidate.person.display_name}, "
            f"{candidate.percent}%: {candidate.summary}"
        )
    if row.link and not row.errors:
        lines.extend(f"    will add {part.description}" for part in row.plan)
        if not row.plan:
            lines.append("    the record already has everything in this row")
    lines.extend(f"    note: {note}" for note in row.notes)
    lines.extend(f"    {error}" for error in row.errors)
    return lines


# --- matching ------------------------------------------------------------------------------------


def _classify(rows: list[ImportRow], *, actor: User, link_matches: bool, progress: Progress) -> None:
    good = [row for row in rows if not row.errors]
    for row in progress(good, "Matching"):
        candidates = match_person(row.details, user=actor, limit=1, min_probability=possible_threshold())
        row.candidate = candidates[0] if candidates else None
        if row.candidate is None:
            row.outcome = Outcome.NEW
        elif row.candidate.probability >= probable_threshold():
            row.outcome = Outcome.PROBABLE
        else:
            row.outcome = Outcome.POSSIBLE
    if link_matches:
        _plan_links([row for row in good if row.outcome == Outcome.PROBABLE], actor)


def _plan_links(rows: list[ImportRow], actor: User) -> None:
    matched_ids = [row.candidate.person.pk for row in rows if row.candidate]
    editable = set(Person.objects.editable_by(actor).filter(pk__in=matched_ids).values_list("pk", flat=True))
    held = set(
        Person.objects.filter(pk__in=matched_ids, holdings__organisation=actor.organisation).values_list(
            "pk", flat=True
        )
    )
    # Every matched person's details in one go, not five queries a row.
    people = Person.objects.prefetch_related("aliases", "addresses", "phones", "emails", "identifiers").in_bulk(
        matched_ids
    )
    claimed: dict[int, int] = {}
    for row in rows:
        person = people[row.candidate.person.pk]  # type: ignore[union-attr]
        if person.pk in claimed:
            row.error(
                "",
                f"This row and row {claimed[person.pk]} both match {person.reference} ({person.display_name}). "
                "Only one of them can be that person: check both rows.",
            )
            row.outcome = Outcome.ERROR
            continue
        claimed[person.pk] = row.number
        if person.pk not in editable:
            row.notes.append(
                f"{person.reference} is shared with your organisation but not held by it, so this row will be "
                "added as a new person; the hub's duplicate check will review the pair."
            )
            continue
        row.link = True
        row.plan = _link_plan(row, person, actor.organisation, already_held=person.pk in held)  # type: ignore[arg-type]


def _link_plan(row: ImportRow, person: Person, organisation: Organisation, *, already_held: bool) -> list[PlannedPart]:
    """The details of ``row`` that ``person`` does not have yet, to add when linking."""
    plan = []
    if not already_held:
        reference = f" (reference {row.local_reference})" if row.local_reference else ""
        plan.append(
            PlannedPart(
                "holding",
                {"organisation": organisation, "local_reference": row.local_reference},
                f"{organisation} as an agency holding a record{reference}",
            )
        )
    plan.extend(_identifier_plan(row, person))
    phones = {phone.number for phone in person.phones.all()}
    plan.extend(PlannedPart("phone", {"number": n}, f"phone {n}") for n in row.details.phones if n not in phones)
    emails = {email.address.lower() for email in person.emails.all()}
    plan.extend(
        PlannedPart("email", {"address": e}, f"email {e}") for e in row.details.emails if e.lower() not in emails
    )
    plan.extend(_address_plan(row, person))
    plan.extend(_name_plan(row, person))
    return plan


def _identifier_plan(row: ImportRow, person: Person) -> list[PlannedPart]:
    plan = []
    recorded = {(i.kind, i.value) for i in person.identifiers.all()}
    kinds = {kind for kind, _ in recorded}
    for kind, value in row.details.identifiers:
        label = IDENTIFIER_LABELS[kind]
        if (kind, value) in recorded:
            continue
        if kind in UNIQUE_IDENTIFIERS and kind in kinds:
            row.notes.append(
                f"The {label} in the file differs from the one {person.reference} has; it will not be added."
            )
            continue
        plan.append(PlannedPart("identifier", {"identifier_kind": kind, "value": value}, f"{label} {value}"))
    return plan


def _address_plan(row: ImportRow, person: Person) -> list[PlannedPart]:
    if not row.addresses:
        return []
    address = row.addresses[0]
    known = person.addresses.all()
    if address["postcode"]:
        if any(a.postcode == address["postcode"] for a in known):
            return []
    elif any(normalise.fold_name(a.line_1) == normalise.fold_name(address["line_1"]) for a in known):
        return []
    shown = ", ".join(value for value in address.values() if value)
    return [PlannedPart("address", dict(address), f"address {shown}")]


def _name_plan(row: ImportRow, person: Person) -> list[PlannedPart]:
    def key(given: str, family: str) -> tuple[str, str]:
        return normalise.fold_name(given), normalise.fold_name(family)

    known = {key(person.given_name, person.family_name)} | {
        key(a.given_name, a.family_name) for a in person.aliases.all()
    }
    plan = []
    names = [(AliasKind.SPELLING, row.details.given_name, row.details.family_name)]
    names += [(AliasKind.ALIAS, given, family) for given, family in row.details.aliases]
    for kind, given, family in names:
        if key(given, family) in known:
            continue
        known.add(key(given, family))
        shown = " ".join(part for part in (given, family) if part)
        label = "other spelling" if kind == AliasKind.SPELLING else "alias"
        plan.append(
            PlannedPart("alias", {"alias_kind": kind, "given_name": given, "family_name": family}, f"{label} {shown}")
        )
    return plan


# --- the import ----------------------------------------------------------------------------------


class _RollBack(Exception):
    """A row failed while writing: undo the whole file."""


def people_import(
    *,
    actor: User,
    file_name: str,
    data: bytes,
    link_matches: bool = True,
    dry_run: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Check, match and (unless ``dry_run``) import a person list; return the row-by-row report.

    Raises ``PermissionDenied`` if ``actor`` may not add people, and :class:`FileRefused` if the
    file cannot be read (type, encoding, size, header). Problems in rows are in the report
    (``report.errors``); if there are any, a commit writes nothing (``report.committed`` is False).
    """
    if not can_create(actor):
        raise PermissionDenied("Only people who can add people to the index may import a list.")
    progress = progress or _no_progress
    rows = parse(file_name, data)
    report = ImportReport(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
        link_matches=link_matches,
    )
    if dry_run:
        _classify(rows, actor=actor, link_matches=link_matches, progress=progress)
        _record_dry_run(report, actor)
        return report
    if report.errors:
        return report
    _classify(rows, actor=actor, link_matches=link_matches, progress=progress)
    if report.errors:
        return report
    _commit(report, actor, progress)
    return report


def _record_dry_run(report: ImportReport, actor: User) -> None:
    record(
        Action.SEARCH,
        actor=actor,
        object_type=RECORD_TYPE,
        search_terms=f"Import check of {report.file_name}",
        detail={"file": report.file_name, "sha256": report.sha256, **report.counts},
    )


def _commit(report: ImportReport, actor: User, progress: Progress) -> None:
    try:
        with transaction.atomic():
            for row in progress(report.rows, "Importing"):
                try:
                    row.person = _link(row, actor) if row.link else _create(row, actor)
                except ValidationError as error:
                    _service_errors(row, error)
            if report.errors:
                raise _RollBack
            created = [row.person.reference for row in report.rows if row.person and not row.link]
            linked = [row.person.reference for row in report.rows if row.person and row.link]
            record(
                Action.IMPORT,
                actor=actor,
                object_type=RECORD_TYPE,
                object_repr=report.file_name,
                export_count=len(created) + len(linked),
                detail={
                    "file": report.file_name,
                    "sha256": report.sha256,
                    "matches": "linked" if report.link_matches else "added as new people",
                    **report.counts,
                    "created": created,
                    "linked": linked,
                },
            )
    except _RollBack:
        for row in report.rows:
            row.person = None
            if row.errors:
                row.outcome = Outcome.ERROR
        return
    report.committed = True


def _create(row: ImportRow, actor: User) -> Person:
    return services.person_create(
        actor=actor,
        details=row.details,
        owner=actor.organisation,
        profile=row.profile,
        holding_reference=row.local_reference,
        addresses=row.addresses or None,
    )


# The column of the file each kind of detail added to a linked person came from.
_PART_COLUMNS = {
    "holding": "local_reference",
    "phone": "phone",
    "email": "email",
    "address": "postcode",
    "alias": "alias",
}
# Where a service's field error belongs in the file, when the names differ.
_SERVICE_FIELDS = {"aliases": "alias", "gender_self_described": "gender", "line_1": "address_line_1"}


def _link(row: ImportRow, actor: User) -> Person:
    person = row.candidate.person  # type: ignore[union-attr]
    for part in row.plan:
        try:
            services.part_add(actor=actor, person=person, kind=part.kind, **part.values)
        except ValidationError as error:
            column = COLUMN_OF_IDENTIFIER.get(part.values.get("identifier_kind", "")) or _PART_COLUMNS[part.kind]
            row.error(column, f"Could not add {part.description} to {person.reference}: {' '.join(error.messages)}")
    return person


def _service_errors(row: ImportRow, error: ValidationError) -> None:
    """Put a service's field errors on the row, under the file's column names."""
    if not hasattr(error, "error_dict"):
        row.error("", " ".join(error.messages))
        return
    for name, messages in error.message_dict.items():
        column = COLUMN_OF_IDENTIFIER.get(name) or _SERVICE_FIELDS.get(name) or name
        row.error(column if column in COLUMN_NAMES else "", " ".join(messages))
