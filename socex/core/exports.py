"""Spreadsheet exports and small-number suppression, shared by every app that publishes figures.

Downloads of records about people are audited: send them with
``socex.audit.listing.audited_file`` (PDF, XLSX) or ``audited_csv`` (CSV).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from socex.audit.listing import safe_cell

SUPPRESSED = "*"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Sheet = tuple[Sequence[str], Sequence[Sequence[object]]]


def _cell(value: object) -> object:
    # Numbers stay numbers (money as Decimal keeps its pence); text is defused against formulas.
    if value is None or isinstance(value, int | float | Decimal):
        return value
    return safe_cell(value)


def xlsx_bytes(sheets: Mapping[str, Sheet]) -> bytes:
    """A workbook with one sheet per entry: ``{"Sheet name": (headers, rows)}``; bold header row."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def suppress_small(value: int, threshold: int) -> int | str:
    """``*`` for a count from 1 up to (not including) ``threshold``, so no small group can be singled out.

    Zero is shown: knowing that nothing happened identifies nobody.
    """
    return SUPPRESSED if 0 < value < threshold else value
