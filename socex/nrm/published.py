"""Reading published NRM figures from a CSV or Excel file in the documented layout.

The layout (see ``reference/README.md`` and the user guide): one header row, then one figure a row,
in the columns

    period, area, dimension, category, value            (and optionally: edition, source)

* ``period``: a calendar quarter, ``2023 Q3`` (also ``2023-Q3`` or ``Q3 2023``);
* ``area``: the police force or local authority, as published (``West Midlands Police``, ``Walsall``);
* ``dimension``: one of the codes or labels of :class:`~socex.nrm.models.Dimension`
  (``total``, ``age_group``, ``gender``, ``nationality``, ``exploitation_type``,
  ``first_responder_type``, ``rg_outcome``, ``cg_outcome``, ``dtn``);
* ``category``: the row of the published table (``All``, ``Child (17 or under)``...);
* ``value``: a whole number, 0 or more;
* ``edition`` (optional): the publication, when not given for the whole file on upload;
* ``source`` (optional): the address it was published at.

An Excel workbook is read from its sheet called ``figures`` if it has one, else its first sheet.
Anything it cannot read is refused with the sheet and the cell (``Sheet 'figures', cell E7: ...``),
and nothing is written: the whole file is checked before the first figure is saved.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from socex.areas.models import LPA
from socex.nrm import conf
from socex.nrm.models import Dimension
from socex.nrm.statistics import parse_quarter

COLUMNS = ("period", "area", "dimension", "category", "value")
OPTIONAL = ("edition", "source")
PREFERRED_SHEET = "figures"
SUPPRESSED_MARKS = ("*", "[c]", "[x]", "[z]", "..", ":")
LA_SUFFIXES = (" metropolitan borough council", " city council", " borough council", " council")


class ImportRefused(Exception):
    """The file cannot be loaded; the message names the sheet and cell where it went wrong."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ParsedFigure:
    cell: str
    year: int
    quarter: int
    area: str
    lpa: LPA | None
    dimension: str
    category: str
    value: int
    edition: str
    source: str


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _where(sheet: str, column: int, row: int) -> str:
    return f"Sheet '{sheet}', cell {column_letter(column)}{row}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(file_name: str, data: bytes) -> tuple[str, list[list[str]]]:
    """(sheet name, rows of cell text) from a CSV or XLSX file, or :class:`ImportRefused`."""
    extension = PurePath(file_name).suffix.lower()
    if extension not in (".csv", ".xlsx"):
        raise ImportRefused(f"The file must be a CSV file (.csv) or an Excel workbook (.xlsx), not '{file_name}'.")
    if not data:
        raise ImportRefused("The file is empty.")
    if len(data) > conf.import_max_bytes():
        raise ImportRefused(f"The file is larger than the {conf.import_max_bytes() // 1024:,} KB this import accepts.")
    if extension == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(
                f"Sheet '{PurePath(file_name).name}': the file is not saved as UTF-8 text. Save it as "
                "'CSV UTF-8 (Comma delimited)'."
            ) from None
        try:
            rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), strict=True)]
        except csv.Error as error:
            raise ImportRefused(
                f"Sheet '{PurePath(file_name).name}': the file could not be read as CSV ({error})."
            ) from None
        return PurePath(file_name).name, rows
    return _xlsx(data)


def _xlsx(data: bytes) -> tuple[str, list[list[str]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused("The file could not be opened as an Excel workbook (.xlsx).") from None
    if unpacked > 40 * conf.import_max_bytes():
        raise ImportRefused("The workbook unpacks to far more data than its size suggests. Save it as CSV UTF-8.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        raise ImportRefused("The file could not be opened as an Excel workbook (.xlsx).") from None
    try:
        names = {name.casefold(): name for name in workbook.sheetnames}
        name = names.get(PREFERRED_SHEET, workbook.sheetnames[0])
        sheet = workbook[name]
        rows = [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return name, rows


def _dimension(text: str) -> str | None:
    wanted = text.strip().casefold().replace(" ", "_")
    for code, label in Dimension.choices:
        if wanted in (code, str(label).casefold().replace(" ", "_")):
            return code
    return None


def resolve_area(area: str) -> LPA | None:
    """The LPA a published local authority is (by name, with or without 'Council'), if any."""
    name = area.strip().casefold()
    for suffix in LA_SUFFIXES:
        if name.endswith(suffix):
            name = name.removesuffix(suffix)
            break
    return LPA.objects.filter(name__iexact=name).first()


def parse(file_name: str, data: bytes, *, edition: str = "") -> list[ParsedFigure]:
    """Every figure in the file, checked; :class:`ImportRefused` at the first cell it cannot read."""
    sheet, rows = read_sheet(file_name, data)
    rows = list(rows)
    if not rows or not any(rows[0]):
        raise ImportRefused(f"{_where(sheet, 0, 1)}: the first row must be the header: {', '.join(COLUMNS)}.")
    header = [cell.strip().casefold() for cell in rows[0]]
    positions: dict[str, int] = {}
    for index, name in enumerate(COLUMNS):
        if index >= len(header) or header[index] != name:
            found = rows[0][index] if index < len(rows[0]) else ""
            raise ImportRefused(
                f"{_where(sheet, index, 1)}: expected the column '{name}', found '{found}'. The columns must be "
                f"{', '.join(COLUMNS)} in that order (then, optionally, {' and '.join(OPTIONAL)})."
            )
        positions[name] = index
    for index, name in enumerate(header[len(COLUMNS) :], start=len(COLUMNS)):
        if not name:
            continue
        if name not in OPTIONAL:
            raise ImportRefused(
                f"{_where(sheet, index, 1)}: '{rows[0][index]}' is not a column this layout has "
                f"(the optional columns are {' and '.join(OPTIONAL)})."
            )
        positions[name] = index
    if "edition" not in positions and not edition.strip():
        raise ImportRefused(
            f"{_where(sheet, len(header), 1)}: the file has no 'edition' column, so give the publication the figures "
            "come from (for example 'Q3 2023 bulletin, published 7 November 2023')."
        )
    figures: list[ParsedFigure] = []
    seen: dict[tuple[object, ...], str] = {}
    areas: dict[str, LPA | None] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(figures) >= conf.import_max_rows():
            raise ImportRefused(
                f"{_where(sheet, 0, number)}: the file has more than {conf.import_max_rows():,} figures."
            )

        def cell(name: str, row: list[str] = row) -> str:
            index = positions[name]
            return row[index].strip() if index < len(row) else ""

        def refuse(name: str, message: str, number: int = number) -> ImportRefused:
            return ImportRefused(f"{_where(sheet, positions[name], number)}: {message}")

        period = parse_quarter(cell("period"))
        if period is None:
            raise refuse("period", f"'{cell('period')}' is not a quarter like 2023 Q3.")
        area = cell("area")
        if not area:
            raise refuse("area", "give the police force or local authority.")
        dimension = _dimension(cell("dimension"))
        if dimension is None:
            raise refuse(
                "dimension",
                f"'{cell('dimension')}' is not a dimension. Use one of: {', '.join(Dimension.values)}.",
            )
        category = cell("category")
        if not category:
            raise refuse("category", "give the category (for example 'All' or 'Child (17 or under)').")
        raw = cell("value").replace(",", "")
        if raw in SUPPRESSED_MARKS:
            raise refuse("value", f"'{raw}' is a suppressed figure: leave the row out, it cannot be compared.")
        if not raw.isdigit():
            raise refuse("value", f"'{cell('value')}' is not a whole number of 0 or more.")
        row_edition = cell("edition") if "edition" in positions else ""
        row_edition = row_edition or edition.strip()
        if not row_edition:
            raise refuse("edition", "give the publication the figure comes from.")
        key = (period, area.casefold(), dimension, category.casefold(), row_edition.casefold())
        if key in seen:
            raise refuse("value", f"the same figure is already given in {seen[key]}.")
        seen[key] = f"row {number}"
        if area not in areas:
            areas[area] = resolve_area(area)
        figures.append(
            ParsedFigure(
                cell=f"{column_letter(0)}{number}",
                year=period[0],
                quarter=period[1],
                area=area,
                lpa=areas[area],
                dimension=dimension,
                category=category,
                value=int(raw),
                edition=row_edition[:200],
                source=cell("source")[:500] if "source" in positions else "",
            )
        )
    if not figures:
        raise ImportRefused(f"{_where(sheet, 0, 2)}: the file has a header but no figures under it.")
    return figures
