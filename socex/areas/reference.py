"""Reading and checking the reference files that ``manage.py load_reference`` loads.

A reference folder holds four UTF-8 CSV files (see ``reference/west_midlands/README.md``):

* ``force.csv``  -- ``code, name``
* ``lpas.csv``   -- ``code, name, force_code, population, population_source, population_date,
  effective_from, effective_to``
* ``hubs.csv``   -- ``code, name, force_code, base_lpa_code, lpas_served`` (``;``-separated codes)
* ``lsoas.csv``  -- ``code, name, lpa_code, population, population_0_15, population_16_24``

:func:`read_reference` checks everything and either returns the parsed rows or raises
:class:`ReferenceError` listing every problem, each naming the file, row and column, so a
whole folder can be fixed in one pass. Nothing here touches the database; the writing is
``socex.areas.services.reference_load``.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

FORCE_CODE = re.compile(r"^[EW]23\d{6}$")
# Local authority districts: E06 unitary, E07 non-metropolitan, E08 metropolitan, E09 London
# borough, W06 Welsh unitary. Any force's LPAs can be built from these.
LAD_CODE = re.compile(r"^(E0[6-9]|W06)\d{6}$")
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
HUB_CODE = re.compile(r"^[-a-z0-9_]{1,64}$")

FILES: dict[str, tuple[str, ...]] = {
    "force.csv": ("code", "name"),
    "lpas.csv": (
        "code",
        "name",
        "force_code",
        "population",
        "population_source",
        "population_date",
        "effective_from",
        "effective_to",
    ),
    "hubs.csv": ("code", "name", "force_code", "base_lpa_code", "lpas_served"),
    "lsoas.csv": ("code", "name", "lpa_code", "population", "population_0_15", "population_16_24"),
}


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ReferenceError(Exception):
    """The reference files have problems; nothing should be loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the reference files")


@dataclass(frozen=True)
class ForceRow:
    code: str
    name: str


@dataclass(frozen=True)
class LPARow:
    code: str
    name: str
    force_code: str
    population: int
    population_source: str
    population_date: dt.date | None
    effective_from: dt.date | None
    effective_to: dt.date | None


@dataclass(frozen=True)
class HubRow:
    code: str
    name: str
    force_code: str
    base_lpa_code: str
    lpas_served: tuple[str, ...]


@dataclass(frozen=True)
class LSOARow:
    code: str
    name: str
    lpa_code: str
    population: int
    population_0_15: int | None
    population_16_24: int | None


@dataclass
class ReferenceData:
    directory: Path
    forces: list[ForceRow] = field(default_factory=list)
    lpas: list[LPARow] = field(default_factory=list)
    hubs: list[HubRow] = field(default_factory=list)
    lsoas: list[LSOARow] = field(default_factory=list)
    sha256: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One CSV record with what is needed to report a problem in it."""

    file: str
    number: int
    values: dict[str, str]


class Checker:
    """Collects problems while turning text cells into typed values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, row: Row, column: str | None, message: str) -> None:
        self.problems.append(Problem(row.file, message, row.number, column))

    def text(self, row: Row, column: str, *, max_length: int, required: bool = True) -> str:
        value = row.values[column]
        if required and not value:
            self.problem(row, column, "is empty; every row needs one")
        elif len(value) > max_length:
            self.problem(row, column, f"is {len(value)} characters long; the most allowed is {max_length}")
        return value

    def code(self, row: Row, column: str, pattern: re.Pattern[str], example: str) -> str:
        value = row.values[column]
        if not pattern.match(value):
            shown = f"{value!r} is not" if value else "is empty; it must be"
            self.problem(row, column, f"{shown} a valid code (like {example})")
        return value

    def whole_number(self, row: Row, column: str, *, required: bool = True) -> int | None:
        value = row.values[column].replace(",", "")
        if not value:
            if required:
                self.problem(row, column, "is empty; give a whole number of 0 or more")
            return None
        if not value.isascii() or not value.isdigit():
            self.problem(row, column, f"{row.values[column]!r} is not a whole number of 0 or more")
            return None
        return int(value)

    def date(self, row: Row, column: str) -> dt.date | None:
        value = row.values[column]
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.problem(row, column, f"{value!r} is not a date written as YYYY-MM-DD (like 2021-03-21)")
            return None


def _read_text(path: Path, checker: Checker) -> str | None:
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        checker.problems.append(Problem(name, f"file not found in {path.parent}"))
        return None
    except OSError as exc:
        checker.problems.append(Problem(name, f"cannot be read ({exc.strerror or exc})"))
        return None
    try:
        # utf-8-sig: spreadsheet programs often start a "CSV UTF-8" file with a byte-order mark.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        checker.problems.append(
            Problem(
                name,
                f"is not UTF-8 text (byte 0x{raw[exc.start]:02X} on line {line}); save it as 'CSV UTF-8' and try again",
            )
        )
        return None


def _rows(path: Path, checker: Checker) -> Iterator[Row]:
    """The records of one file, after checking its header; nothing if the file is unusable."""
    name = path.name
    text = _read_text(path, checker)
    if text is None:
        return
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        checker.problems.append(Problem(name, f"is not a readable CSV file ({exc})"))
        return
    if not records:
        checker.problems.append(Problem(name, f"is empty; it needs a header row: {', '.join(FILES[name])}"))
        return
    header = [column.strip() for column in records[0]]
    expected = FILES[name]
    missing = [column for column in expected if column not in header]
    extra = [column for column in header if column not in expected]
    repeated = sorted({column for column in header if header.count(column) > 1})
    for column in missing:
        checker.problems.append(Problem(name, "the header is missing this column", 1, column))
    for column in extra:
        shown = column or "(blank)"
        checker.problems.append(
            Problem(name, f"unexpected column {shown!r}; the columns are: {', '.join(expected)}", 1)
        )
    for column in repeated:
        checker.problems.append(Problem(name, "appears more than once in the header", 1, column))
    if missing or extra or repeated:
        return
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line, as spreadsheets often leave at the end
        if len(record) != len(header):
            checker.problems.append(
                Problem(name, f"has {len(record)} values but the header has {len(header)} columns", number)
            )
            continue
        yield Row(name, number, {column: cell.strip() for column, cell in zip(header, record, strict=True)})


def _unique(checker: Checker, rows: list[Row], column: str, label: str) -> None:
    first_seen: dict[str, int] = {}
    for row in rows:
        value = row.values[column]
        if not value:
            continue
        if value in first_seen:
            checker.problem(row, column, f"{label} {value!r} is already used on row {first_seen[value]}")
        else:
            first_seen[value] = row.number


def _parse_forces(checker: Checker, rows: list[Row]) -> list[ForceRow]:
    _unique(checker, rows, "code", "force code")
    _unique(checker, rows, "name", "force name")
    return [
        ForceRow(
            code=checker.code(row, "code", FORCE_CODE, "E23000014"),
            name=checker.text(row, "name", max_length=100),
        )
        for row in rows
    ]


def _parse_lpas(checker: Checker, rows: list[Row], force_codes: set[str]) -> list[LPARow]:
    _unique(checker, rows, "code", "LPA code")
    parsed = []
    names_in_force: dict[tuple[str, str], int] = {}
    for row in rows:
        force_code = row.values["force_code"]
        if force_code not in force_codes:
            checker.problem(row, "force_code", f"{force_code!r} is not a force in force.csv")
        name = checker.text(row, "name", max_length=100)
        key = (force_code, name)
        if name and key in names_in_force:
            checker.problem(row, "name", f"LPA name {name!r} is already used on row {names_in_force[key]}")
        names_in_force.setdefault(key, row.number)
        effective_from = checker.date(row, "effective_from")
        effective_to = checker.date(row, "effective_to")
        if effective_from and effective_to and effective_to <= effective_from:
            checker.problem(row, "effective_to", "must be after effective_from")
        parsed.append(
            LPARow(
                code=checker.code(row, "code", LAD_CODE, "E08000025"),
                name=name,
                force_code=force_code,
                population=checker.whole_number(row, "population") or 0,
                population_source=checker.text(row, "population_source", max_length=200),
                population_date=checker.date(row, "population_date"),
                effective_from=effective_from,
                effective_to=effective_to,
            )
        )
    return parsed


def _parse_hubs(checker: Checker, rows: list[Row], force_codes: set[str], lpa_forces: dict[str, str]) -> list[HubRow]:
    _unique(checker, rows, "code", "hub code")
    _unique(checker, rows, "name", "hub name")
    parsed = []
    for row in rows:
        force_code = row.values["force_code"]
        if force_code not in force_codes:
            checker.problem(row, "force_code", f"{force_code!r} is not a force in force.csv")
        base = row.values["base_lpa_code"]
        if base not in lpa_forces:
            checker.problem(row, "base_lpa_code", f"{base!r} is not an LPA in lpas.csv")
        served = tuple(code.strip() for code in row.values["lpas_served"].split(";") if code.strip())
        if not served:
            checker.problem(row, "lpas_served", "is empty; list the LPA codes the hub serves, separated by ';'")
        for code in served:
            if code not in lpa_forces:
                checker.problem(row, "lpas_served", f"{code!r} is not an LPA in lpas.csv")
            elif lpa_forces[code] != force_code:
                checker.problem(row, "lpas_served", f"{code!r} belongs to force {lpa_forces[code]}, not {force_code}")
        for code in sorted({code for code in served if served.count(code) > 1}):
            checker.problem(row, "lpas_served", f"{code!r} is listed more than once")
        parsed.append(
            HubRow(
                code=checker.code(row, "code", HUB_CODE, "birmingham: lower-case letters, digits and '-'"),
                name=checker.text(row, "name", max_length=100),
                force_code=force_code,
                base_lpa_code=base,
                lpas_served=served,
            )
        )
    return parsed


def _parse_lsoas(checker: Checker, rows: list[Row], lpa_codes: set[str]) -> list[LSOARow]:
    _unique(checker, rows, "code", "LSOA code")
    parsed = []
    for row in rows:
        lpa_code = row.values["lpa_code"]
        if lpa_code not in lpa_codes:
            checker.problem(row, "lpa_code", f"{lpa_code!r} is not an LPA in lpas.csv")
        population = checker.whole_number(row, "population")
        under_16 = checker.whole_number(row, "population_0_15", required=False)
        age_16_24 = checker.whole_number(row, "population_16_24", required=False)
        if population is not None and (under_16 or 0) + (age_16_24 or 0) > population:
            checker.problem(
                row,
                "population",
                f"{population} is fewer than the residents aged 0-15 and 16-24 together "
                f"({(under_16 or 0) + (age_16_24 or 0)})",
            )
        parsed.append(
            LSOARow(
                code=checker.code(row, "code", LSOA_CODE, "E01008881"),
                name=checker.text(row, "name", max_length=100),
                lpa_code=lpa_code,
                population=population or 0,
                population_0_15=under_16,
                population_16_24=age_16_24,
            )
        )
    return parsed


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def read_reference(directory: Path) -> ReferenceData:
    """Parse and check the four reference files in ``directory``.

    Returns the parsed rows when every check passes; otherwise raises
    :class:`ReferenceError` with every problem found, across all four files.
    """
    checker = Checker()
    rows = {name: list(_rows(directory / name, checker)) for name in FILES}
    data = ReferenceData(directory=directory, sha256={name: _sha256(directory / name) for name in FILES})
    data.forces = _parse_forces(checker, rows["force.csv"])
    force_codes = {force.code for force in data.forces}
    data.lpas = _parse_lpas(checker, rows["lpas.csv"], force_codes)
    lpa_forces = {lpa.code: lpa.force_code for lpa in data.lpas}
    data.hubs = _parse_hubs(checker, rows["hubs.csv"], force_codes, lpa_forces)
    data.lsoas = _parse_lsoas(checker, rows["lsoas.csv"], set(lpa_forces))
    # A force may have no hubs yet, or LPAs without LSOA detail; it always has itself and LPAs.
    for name in ("force.csv", "lpas.csv"):
        if not rows[name] and not any(p.file == name for p in checker.problems):
            checker.problems.append(Problem(name, "has a header but no rows; nothing to load"))
    if checker.problems:
        raise ReferenceError(checker.problems)
    return data
