"""The rows of a partner's person list: reading the header, checking every cell, and finding
rows that repeat one another. Nothing here touches the database; see :mod:`socex.people.importing`.

Every problem is collected, not just the first, as a :class:`RowError` naming the row as the
spreadsheet numbers it (the header is row 1), the column (as this import names it and as the
file does, with its letter) and what is wrong, in the words of ``socex.people.normalise``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from socex.core.templatetags.socex import uk_date
from socex.people import normalise
from socex.people.details import PersonDetails
from socex.people.import_columns import (
    COLUMN_NAMES,
    COLUMN_OF_IDENTIFIER,
    DATE_OF_BIRTH_COLUMNS,
    IDENTIFIER_COLUMNS,
    REQUIRED,
    canonical,
    read_ethnicity,
    read_gender,
    split_list,
)
from socex.people.models import DobPrecision
from socex.people.spreadsheets import FileRefused, column_letter, read_table

if TYPE_CHECKING:
    from socex.people.matching import Candidate
    from socex.people.models import Person

IDENTIFIER_LABELS = {"nhs": "NHS number", "upn": "Unique Pupil Number", "pnc": "PNC ID", "la": "local authority ID"}
MAX_TEXT = {"nationality": 100, "address_line_1": 200, "address_line_2": 200, "town": 100, "local_reference": 100}
MAX_NOTES = 5000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    """The column as this import names it (``date_of_birth``); blank for the row as a whole."""
    message: str
    heading: str = ""
    """The column as the file names it (``DOB``)."""
    letter: str = ""

    @property
    def where(self) -> str:
        if not self.column:
            return f"Row {self.row}"
        shown = self.column if self.heading in ("", self.column) else f"{self.heading} ({self.column})"
        return f"Row {self.row}, column {self.letter} {shown}" if self.letter else f"Row {self.row}, {shown}"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Outcome(StrEnum):
    NEW = "new"
    PROBABLE = "probable"
    POSSIBLE = "possible"
    ERROR = "error"


@dataclass(frozen=True)
class PlannedPart:
    """One detail a commit will add to a matched person (``services.part_add`` arguments)."""

    kind: str
    values: dict[str, Any]
    description: str


@dataclass
class ImportRow:
    number: int
    cells: dict[str, str]
    headings: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    errors: list[RowError] = field(default_factory=list)
    details: PersonDetails = field(default_factory=PersonDetails)
    profile: dict[str, str] = field(default_factory=dict)
    addresses: list[dict[str, str]] = field(default_factory=list)
    local_reference: str = ""
    outcome: Outcome | None = None
    candidate: Candidate | None = None
    link: bool = False
    plan: list[PlannedPart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    person: Person | None = None
    """The person created or linked, once committed."""

    def error(self, column: str, message: str) -> None:
        heading, letter = self.headings.get(column, ("", ""))
        self.errors.append(RowError(self.number, column, message, heading, letter))

    @property
    def display_name(self) -> str:
        name = " ".join(part for part in (self.cells.get("given_name"), self.cells.get("family_name")) if part)
        return name or "(no name)"

    @property
    def date_of_birth_text(self) -> str:
        dob = self.details.date_of_birth
        if dob is None:
            return self.cells.get("date_of_birth") or self.cells.get("year_of_birth") or ""
        return f"Born in {dob.year}" if self.details.dob_precision == DobPrecision.YEAR else dob.strftime("%d/%m/%Y")

    @property
    def outcome_label(self) -> str:
        if self.outcome == Outcome.ERROR:
            return "Error"
        if self.outcome == Outcome.PROBABLE:
            return "Probable match: link" if self.link else "Probable match: add as new"
        if self.outcome == Outcome.POSSIBLE:
            return "Possible match: add as new"
        return "New person"

    @property
    def tag_class(self) -> str:
        return {
            Outcome.ERROR: "govuk-tag--red",
            Outcome.PROBABLE: "govuk-tag--green" if self.link else "govuk-tag--orange",
            Outcome.POSSIBLE: "govuk-tag--yellow",
        }.get(self.outcome or Outcome.NEW, "")


# --- reading and checking ------------------------------------------------------------------------


def _map_header(header: list[str], rows: list[tuple[int, list[str]]]) -> dict[int, str]:
    """Column index → column name; refuse unknown, repeated and missing columns, naming each."""
    columns: dict[int, str] = {}
    problems: list[str] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for index, heading in enumerate(header):
        letter = column_letter(index)
        if not heading:
            if any(index < len(cells) and cells[index] for _, cells in rows):
                problems.append(f"Column {letter} has values but no name in the header row.")
            continue
        name = canonical(heading)
        if name not in COLUMN_NAMES:
            unknown.append(f"'{heading}' (column {letter})")
        elif name in seen:
            problems.append(f"The columns '{seen[name]}' and '{heading}' (column {letter}) are both {name}; keep one.")
        else:
            seen[name] = heading
            columns[index] = name
    if unknown:
        one = len(unknown) == 1
        problems.insert(
            0,
            f"The header has {'a column' if one else 'columns'} this import does not know: {', '.join(unknown)}. "
            f"Rename {'it' if one else 'them'} to a column from the list, or remove {'it' if one else 'them'}.",
        )
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        problems.append(f"The header has no {' or '.join(missing)} column; every file needs one.")
    if not any(name in seen for name in DATE_OF_BIRTH_COLUMNS):
        problems.append("The header has no date_of_birth column (or year_of_birth, if only years are known).")
    if problems:
        raise FileRefused(" ".join(problems))
    return columns


def parse(file_name: str, data: bytes) -> list[ImportRow]:
    """Every row of the file, checked. Raises :class:`FileRefused` if the file cannot be read at all."""
    table = read_table(file_name, data)
    columns = _map_header(table.header, table.rows)
    headings = {name: (table.header[index], column_letter(index)) for index, name in columns.items()}
    rows = []
    for number, cells in table.rows:
        values = {name: (cells[index] if index < len(cells) else "") for index, name in columns.items()}
        row = ImportRow(number=number, cells=values, headings=headings)
        if len(cells) > len(table.header) and any(cells[len(table.header) :]):
            row.error(
                "", f"The row has values beyond the last column of the header ({column_letter(len(table.header) - 1)})."
            )
        _check_row(row)
        rows.append(row)
    _mark_repeats(rows)
    for row in rows:
        if row.errors:
            row.outcome = Outcome.ERROR
    return rows


def _clean(row: ImportRow, column: str, clean: Callable[[str], Any]) -> Any:
    try:
        return clean(row.cells.get(column, ""))
    except ValidationError as error:
        row.error(column, " ".join(error.messages))
        return None


def _text(row: ImportRow, column: str) -> str:
    value = " ".join(row.cells.get(column, "").split())
    limit = MAX_TEXT[column]
    if len(value) > limit:
        row.error(column, f"This must be {limit} characters or fewer; it has {len(value)}.")
    return value


def _required_name(row: ImportRow, column: str, label: str) -> str:
    value = _clean(row, column, lambda v: normalise.clean_name(v, label=label)) or ""
    if not value and not any(e.column == column for e in row.errors):
        row.error(column, f"Enter the person's {label.lower()}.")
    return value


def _year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError(f"Year of birth must be a year like 2011, not '{text}'.")
    normalise.date_from_year(int(text))
    return int(text)


def _check_dates(row: ImportRow) -> tuple[Any, str]:
    dob = _clean(row, "date_of_birth", normalise.parse_date)
    year = _clean(row, "year_of_birth", _year)
    if dob and year and dob.year != year:
        row.error("year_of_birth", f"Year of birth {year} does not agree with the date of birth ({uk_date(dob)}).")
    if dob:
        return dob, DobPrecision.EXACT
    if year:
        return normalise.date_from_year(year), DobPrecision.YEAR
    if not any(e.column in DATE_OF_BIRTH_COLUMNS for e in row.errors):
        column = "date_of_birth" if "date_of_birth" in row.cells else "year_of_birth"
        row.error(column, "Enter the date of birth, or the year of birth in year_of_birth if the date is not known.")
    return None, ""


def _each(row: ImportRow, column: str, clean: Callable[[str], str]) -> list[str]:
    values = []
    for part in split_list(row.cells.get(column, "")):
        try:
            values.append(clean(part))
        except ValidationError as error:
            row.error(column, " ".join(error.messages))
    return list(dict.fromkeys(value for value in values if value))


def _alias(text: str) -> tuple[str, str]:
    name = normalise.clean_name(text, label="Alias")
    words = name.split(" ")
    return (words[0], "") if len(words) == 1 else (" ".join(words[:-1]), words[-1])


def _check_profile(row: ImportRow) -> dict[str, str]:
    gender, self_described = read_gender(row.cells.get("gender", ""))
    if len(self_described) > 100:
        row.error("gender", "Gender in the person's own words must be 100 characters or fewer.")
    ethnicity = read_ethnicity(row.cells.get("ethnicity", ""))
    if ethnicity is None:
        row.error(
            "ethnicity",
            f"'{row.cells['ethnicity']}' is not an ethnic group this import knows. Use an ONS 2021 code like W1 or A4, "
            "the group's name (such as Pakistani or White and Black Caribbean), or a school census code like WBRI.",
        )
    notes = row.cells.get("notes", "").strip()
    if len(notes) > MAX_NOTES:
        row.error("notes", f"Notes must be {MAX_NOTES:,} characters or fewer; these have {len(notes):,}.")
    return {
        "gender": gender,
        "gender_self_described": self_described,
        "ethnicity": ethnicity or "",
        "nationality": _text(row, "nationality"),
        "notes": notes,
    }


def _check_row(row: ImportRow) -> None:
    given = _required_name(row, "given_name", "Given name")
    family = _required_name(row, "family_name", "Family name")
    middle = _clean(row, "middle_names", lambda v: normalise.clean_name(v, label="Middle names")) or ""
    preferred = _clean(row, "preferred_name", lambda v: normalise.clean_name(v, label="Preferred name")) or ""
    dob, precision = _check_dates(row)
    row.profile = _check_profile(row)
    postcode = _clean(row, "postcode", normalise.clean_postcode) or ""
    address = {
        "line_1": _text(row, "address_line_1"),
        "line_2": _text(row, "address_line_2"),
        "town": _text(row, "town"),
        "postcode": postcode,
    }
    identifiers = []
    for column, kind in IDENTIFIER_COLUMNS.items():
        if row.cells.get(column, "").strip():
            value = _clean(row, column, partial(normalise.clean_identifier, kind))
            if value:
                identifiers.append((kind, value))
    row.details = PersonDetails(
        given_name=given,
        family_name=family,
        middle_names=middle,
        preferred_name=preferred,
        aliases=_each_alias(row),
        date_of_birth=dob,
        dob_precision=precision,
        postcodes=[postcode] if postcode else [],
        phones=_each(row, "phone", normalise.clean_phone),
        emails=_each(row, "email", normalise.clean_email),
        identifiers=identifiers,
    )
    row.addresses = [address] if any(address.values()) else []
    row.details.gender = row.profile["gender"]
    row.local_reference = _text(row, "local_reference")


def _each_alias(row: ImportRow) -> list[tuple[str, str]]:
    aliases = []
    for part in split_list(row.cells.get("alias", "")):
        try:
            aliases.append(_alias(part))
        except ValidationError as error:
            row.error("alias", " ".join(error.messages))
    return list(dict.fromkeys(aliases))


def _mark_repeats(rows: list[ImportRow]) -> None:
    """A row that repeats an earlier row's person is a problem: one of the two is a mistake."""
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        if row.errors:
            continue
        details = row.details
        keys: list[tuple[str, str, tuple[str, ...]]] = []
        if details.date_of_birth is not None:
            name_key = (normalise.fold_name(details.given_name), normalise.fold_name(details.family_name))
            keys.append(("", "name and date of birth", ("name", *name_key, details.date_of_birth.isoformat())))
        for kind, value in details.identifiers:
            keys.append((COLUMN_OF_IDENTIFIER[kind], IDENTIFIER_LABELS[kind], ("id", kind, value)))
        if row.local_reference:
            keys.append(("local_reference", "local_reference", ("ref", row.local_reference.casefold())))
        for column, label, key in keys:
            first = seen.setdefault(key, row.number)
            if first != row.number:
                row.error(column, f"This row repeats row {first}: the same {label}. Remove one of them, or correct it.")
                break
