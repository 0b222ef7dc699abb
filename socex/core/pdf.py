"""PDF documents (chronologies, minutes, referral packs, briefings, allocation tables), one way.

Built on fpdf2, which writes PDF directly (no browser or HTML engine), so a 1,000-row table
takes well under a second. Text is set in DejaVu Sans, which covers the names of everyone we
serve (Polish, Turkish, Vietnamese...). Where DejaVu is not installed (``fonts-dejavu-core`` on
Debian; ``SOCEX_PDF_FONT_DIR`` to point elsewhere) it falls back to Helvetica and writes
characters outside Latin-1 without their accents, rather than failing.

    report = PdfReport("Chronology: CASE-2026-000123", subtitle="Exported 3 July 2026 by ...")
    report.heading("Entries")
    report.table(["Date", "What happened"], rows, widths=[30, 150])
    return pdf_response(report.output(), "CASE-2026-000123-chronology.pdf")
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
LINE = 5.5  # mm per line of body text
BAR_COLOUR = (29, 112, 184)  # GOV.UK blue


def _font_dir() -> Path | None:
    configured = getattr(settings, "SOCEX_PDF_FONT_DIR", "")
    for folder in ([configured] if configured else []) + list(FONT_DIRS):
        if (Path(folder) / "DejaVuSans.ttf").exists() and (Path(folder) / "DejaVuSans-Bold.ttf").exists():
            return Path(folder)
    return None


def _latin1(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.encode("latin-1", "replace").decode("latin-1")


class _Document(FPDF):
    def __init__(self, title: str, marking: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc_title = title
        self.marking = marking
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        self.set_title(title)
        self.set_creator("SOCEX Hub")
        folder = _font_dir()
        self.unicode = folder is not None
        if folder is not None:
            self.add_font("Body", "", str(folder / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(folder / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:
            self.family = "Helvetica"

    def text_for(self, value: object) -> str:
        text = "" if value is None else str(value)
        return text if self.unicode else _latin1(text)

    def header(self) -> None:
        if self.marking:
            self.set_font(self.family, "B", 8)
            self.cell(0, 5, self.text_for(self.marking), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(1)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.family, "", 8)
        left = self.text_for(f"{self.doc_title}")
        self.cell(0, 5, left[:90], align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        if self.marking:
            self.set_y(-8)
            self.set_font(self.family, "B", 8)
            self.cell(0, 5, self.text_for(self.marking), align="C")


class PdfReport:
    """A simple, accessible-enough document: title, headings, paragraphs, key/value lists, tables, bars."""

    def __init__(self, title: str, *, subtitle: str = "", marking: str = DEFAULT_MARKING) -> None:
        self.pdf = _Document(title, marking)
        self.pdf.alias_nb_pages()
        self.pdf.add_page()
        self.pdf.set_font(self.pdf.family, "B", 18)
        self.pdf.multi_cell(0, 9, self.pdf.text_for(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.pdf.set_font(self.pdf.family, "", 10)
            self.pdf.multi_cell(0, LINE, self.pdf.text_for(subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(3)

    @property
    def width(self) -> float:
        return float(self.pdf.w - self.pdf.l_margin - self.pdf.r_margin)

    def heading(self, text: str, *, level: int = 2) -> PdfReport:
        size = {1: 16, 2: 13, 3: 11}.get(level, 11)
        if self.pdf.get_y() > self.pdf.h - 40:
            self.pdf.add_page()
        self.pdf.ln(2)
        self.pdf.set_font(self.pdf.family, "B", size)
        self.pdf.multi_cell(0, size * 0.55, self.pdf.text_for(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)
        return self

    def paragraph(self, text: str, *, bold: bool = False, size: float = 10) -> PdfReport:
        self.pdf.set_font(self.pdf.family, "B" if bold else "", size)
        self.pdf.multi_cell(0, LINE, self.pdf.text_for(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1.5)
        return self

    def key_values(self, rows: Sequence[tuple[str, object]], *, key_width: float = 55) -> PdfReport:
        """A summary list: each key in bold on the left, its value wrapped on the right."""
        for key, value in rows:
            self.pdf.set_font(self.pdf.family, "B", 10)
            y = self.pdf.get_y()
            self.pdf.multi_cell(key_width, LINE, self.pdf.text_for(key), new_x=XPos.RIGHT, new_y=YPos.TOP)
            key_bottom = self.pdf.get_y()
            self.pdf.set_xy(self.pdf.l_margin + key_width, y)
            self.pdf.set_font(self.pdf.family, "", 10)
            self.pdf.multi_cell(0, LINE, self.pdf.text_for(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.pdf.set_y(max(self.pdf.get_y(), key_bottom) + 1)
        self.pdf.ln(1)
        return self

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths: Sequence[float] | None = None,
        align_right: Sequence[int] = (),
        font_size: float = 9,
    ) -> PdfReport:
        """A table with a repeated header row; ``align_right`` lists the columns of numbers or money."""
        if widths is None:
            widths = [self.width / len(headers)] * len(headers)
        scale = self.width / sum(widths)
        widths = [w * scale for w in widths]
        self.pdf.set_font(self.pdf.family, "", font_size)
        aligns = ["RIGHT" if i in align_right else "LEFT" for i in range(len(headers))]
        with self.pdf.table(
            col_widths=tuple(widths),
            text_align=tuple(aligns),
            line_height=font_size * 0.5,
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            header_row = table.row()
            for header in headers:
                header_row.cell(self.pdf.text_for(header))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(self.pdf.text_for(value))
        self.pdf.ln(2)
        return self

    def bar_chart(
        self, rows: Sequence[tuple[str, float]], *, caption: str = "", value_format: str = "{:,.0f}"
    ) -> PdfReport:
        """Horizontal bars, labelled with their values (a chart that survives printing in black and white)."""
        if caption:
            self.paragraph(caption, bold=True)
        if not rows:
            return self.paragraph("No figures to show.")
        peak = max((value for _, value in rows), default=0) or 1
        label_width, value_width = 55.0, 25.0
        bar_space = self.width - label_width - value_width
        self.pdf.set_font(self.pdf.family, "", 9)
        for label, value in rows:
            if self.pdf.get_y() > self.pdf.h - 25:
                self.pdf.add_page()
            y = self.pdf.get_y()
            self.pdf.set_x(self.pdf.l_margin)
            self.pdf.cell(label_width, LINE, self.pdf.text_for(label)[:40])
            self.pdf.set_fill_color(*BAR_COLOUR)
            length = max(bar_space * (value / peak), 0.3) if value > 0 else 0
            if length:
                self.pdf.rect(self.pdf.l_margin + label_width, y + 1, length, LINE - 2, style="F")
            self.pdf.set_xy(self.pdf.l_margin + label_width + bar_space, y)
            self.pdf.cell(value_width, LINE, value_format.format(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(2)
        return self

    def page_break(self) -> PdfReport:
        self.pdf.add_page()
        return self

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Send a PDF as a download. Callers audit the export before calling this."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
