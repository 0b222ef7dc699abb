"""Reading an uploaded CSV or Excel file into a header and rows of text, safely.

Used by the person import (:mod:`socex.people.importing`); nothing here knows what the columns
mean. Every refusal is a :class:`FileRefused` whose message says what is wrong with the file and
how to fix it, so the web page and the command can show it as it is.

Decisions:

* **CSV must be UTF-8** (with or without the byte-order mark Excel writes for "CSV UTF-8").
  Windows-1252 ("CSV (Comma delimited)" in older Excel) is refused, not guessed: almost any
  bytes decode as Windows-1252, so a guess would silently turn Łukasz or Zoë into nonsense
  that then fails to match. The message names the line and says how to save as UTF-8.
* CSV fields are separated by commas and may be quoted ("Smith, Jr"); a broken quote is refused.
* **XLSX** is read with openpyxl in read-only mode, first worksheet only, values not formulas.
  The old ``.xls`` format is refused with a message to save as ``.xlsx`` or CSV.
* Limits: a file larger than ``settings.SOCEX_PEOPLE_IMPORT_MAX_BYTES`` (default 5 MB) or with
  more than ``settings.SOCEX_PEOPLE_IMPORT_MAX_ROWS`` rows (default 1,000) is refused before any
  row is checked. Each row is matched against the index (about 80 rows a second against 100,000
  people on a 2-core machine, and writing takes as long again), so 1,000 rows keep the web
  check and import to about half a minute each; raise the setting for larger lists imported
  with the command. An XLSX whose contents unpack to more than 40 times the limit is refused too,
  so a small "zip bomb" cannot fill the memory.
* Rows are numbered as a spreadsheet shows them: the header is row 1. Blank rows are skipped
  (they keep their numbers, so later rows are still where the user sees them). Every cell
  comes back as stripped text; Excel dates become ``YYYY-MM-DD`` and whole numbers lose ``.0``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 1000
MAX_COLUMNS = 100
UNPACKED_RATIO = 40
SAVE_AS_UTF8 = (
    "In Excel choose File, Save As, and the type 'CSV UTF-8 (Comma delimited) (*.csv)', then upload that file."
)
EXTENSIONS = (".csv", ".xlsx")


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    """(row number as the spreadsheet shows it, cells as text) for every row that is not blank."""


def max_bytes() -> int:
    return int(getattr(settings, "SOCEX_PEOPLE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "SOCEX_PEOPLE_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def describe_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{round(size / 1024)} KB"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet labels it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_table(file_name: str, data: bytes) -> Table:
    """The header and non-blank rows of a CSV or XLSX file, or :class:`FileRefused`."""
    extension = PurePath(file_name).suffix.lower()
    if extension == ".xls":
        raise FileRefused("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV UTF-8.")
    if extension not in EXTENSIONS:
        raise FileRefused(f"The file must be a CSV file (.csv) or an Excel workbook (.xlsx), not '{file_name}'.")
    if not data:
        raise FileRefused("The file is empty. Choose the file with your list of people.")
    if len(data) > max_bytes():
        raise FileRefused(
            f"The file is {describe_size(len(data))}; the most this import accepts is {describe_size(max_bytes())}."
            " Split the list into smaller files."
        )
    lines = _xlsx_lines(data) if extension == ".xlsx" else _csv_lines(data)
    return _collect(lines)


def _collect(lines: list[list[str]]) -> Table:
    header: list[str] | None = None
    table = Table(header=[])
    for number, cells in enumerate(lines, start=1):
        if header is None:
            if not any(cells):
                raise FileRefused(
                    "The first row must be the header: the column names, like given_name and family_name."
                )
            header = cells
            if len(header) > MAX_COLUMNS:
                raise FileRefused(f"The file has {len(header)} columns; the most this import reads is {MAX_COLUMNS}.")
            table.header = header
            continue
        if not any(cells):
            continue
        if len(table.rows) >= max_rows():
            raise FileRefused(
                f"The file has more than {max_rows():,} rows of people; the most one import accepts is "
                f"{max_rows():,}. Split the list into smaller files."
            )
        table.rows.append((number, cells))
    if header is None:
        raise FileRefused("The file is empty. Choose the file with your list of people.")
    if not table.rows:
        raise FileRefused("The file has a header but no rows of people under it.")
    return table


# --- CSV ---------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(f"The file is saved as UTF-16 ('Unicode text'), not UTF-8. {SAVE_AS_UTF8}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex().upper()
        raise FileRefused(
            f"The file is not saved as UTF-8 text: line {line} has a character that is not UTF-8 (byte {byte}). "
            f"This usually means it was saved as 'CSV (Comma delimited)' in the Windows encoding. {SAVE_AS_UTF8}"
        ) from None
    if "\x00" in text:
        raise FileRefused("The file is not a CSV text file. If it is an Excel workbook, give it the .xlsx ending.")
    return text


def _csv_lines(data: bytes) -> list[list[str]]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines: list[list[str]] = []
    filled = 0
    try:
        for cells in reader:
            lines.append([cell.strip() for cell in cells])
            filled += any(lines[-1])
            if filled > max_rows() + 1:
                break  # _collect refuses the file; no need to read the rest
    except csv.Error as error:
        raise FileRefused(
            f'Line {reader.line_num} of the file could not be read as CSV ({error}). Check for a stray quote mark (").'
        ) from None
    return lines


# --- XLSX --------------------------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(
            "The file could not be opened as an Excel workbook (.xlsx). Open it in Excel and save it again, "
            "or save it as CSV UTF-8."
        ) from None
    if unpacked > UNPACKED_RATIO * max_bytes():
        raise FileRefused("The workbook unpacks to far more data than its size suggests. Save it as CSV UTF-8.")


def _xlsx_lines(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged or encrypted file
        raise FileRefused(
            "The file could not be opened as an Excel workbook (.xlsx). It may be damaged or protected with a "
            "password. Open it in Excel and save it again, or save it as CSV UTF-8."
        ) from None
    try:
        if not workbook.worksheets:
            raise FileRefused("The workbook has no worksheets.")
        sheet = workbook.worksheets[0]
        lines: list[list[str]] = []
        filled = 0
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            cells = [_cell_text(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            lines.append(cells)
            filled += bool(cells)
            if filled > max_rows() + 1:
                break
        return lines
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
