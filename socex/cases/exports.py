"""The chronology as a PDF document.

Built on ``socex.core.pdf.PdfReport`` (title, marking, the case in brief), with the entries set
as blocks rather than a table: a bold line for when, what type and who, then what happened. A
table wraps and measures every cell twice, which took over ten seconds for 1,000 entries; a
block per entry, wrapping only the lines that do not fit, takes one or two (docs/_incoming/
cases-benchmarks.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from fpdf.enums import XPos, YPos

from socex.audit.services import format_terms
from socex.cases.vocab import RiskLevel, category_label, exploitation_labels
from socex.core.pdf import PdfReport
from socex.core.templatetags.socex import uk_date, uk_datetime

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.cases.models import Case, ChronologyEntry

HEADING_LINE = 5.0
BODY_LINE = 4.5
RULE_GREY = 177  # GOV.UK mid-grey, #b1b4b6


def _who(entry: ChronologyEntry) -> str:
    parts = [entry.agency.name if entry.agency else "", entry.author.full_name if entry.author else "System"]
    return ", ".join(part for part in parts if part)


class _Blocks:
    def __init__(self, report: PdfReport) -> None:
        self.pdf = report.pdf
        self.width = report.width

    def line(self, text: str, height: float) -> None:
        text = self.pdf.text_for(text)
        if self.pdf.get_string_width(text) <= self.width:
            self.pdf.cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            self.pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def entry(self, entry: ChronologyEntry) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 35:
            pdf.add_page()
        pdf.set_font(pdf.family, "B", 9)
        kind = entry.get_kind_display().lower()
        self.line(
            f"{uk_datetime(entry.occurred_at)} · {category_label(entry.category)} ({kind}) · {_who(entry)}",
            HEADING_LINE,
        )
        pdf.set_font(pdf.family, "", 9)
        # The detail joins the summary on one line when both fit: each line set costs time.
        paragraphs = [line.strip() for line in entry.detail.splitlines() if line.strip()]
        if len(paragraphs) == 1:
            self.line(f"{entry.summary} — {paragraphs[0]}", BODY_LINE)
        else:
            self.line(entry.summary, BODY_LINE)
            for paragraph in paragraphs:
                self.line(paragraph, BODY_LINE)
        pdf.ln(1.2)
        pdf.set_draw_color(RULE_GREY, RULE_GREY, RULE_GREY)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + self.width, pdf.get_y())
        pdf.ln(1.8)


def chronology_pdf_bytes(*, case: Case, entries: list[ChronologyEntry], user: User, filters: dict[str, str]) -> bytes:
    """The chronology of ``case`` as a PDF: the case in brief, the filters used, then every entry, oldest first."""
    subjects = ", ".join(
        f"{s.person.display_name} ({s.person.reference})" for s in case.case_subjects.select_related("person")
    )
    organisation = user.organisation.name if user.organisation else "no organisation"
    report = PdfReport(
        f"Chronology: {case.reference}",
        subtitle=f"Exported {uk_datetime(timezone.now())} by {user.full_name} ({organisation}).",
    )
    report.key_values(
        [
            ("Subjects", subjects or "None recorded"),
            ("Lead agency", case.lead_agency.name),
            ("Local policing area", case.lpa.name),
            ("Status", case.get_status_display()),
            ("Risk level", dict(RiskLevel.choices).get(case.risk_level, case.risk_level)),
            ("Exploitation", ", ".join(exploitation_labels(case.exploitation_types)) or "Not recorded"),
            ("Opened", uk_date(case.opened_at)),
            ("Filters", format_terms(filters) or "None: every entry"),
            ("Entries", f"{len(entries):,}"),
        ]
    )
    report.heading("Entries, oldest first")
    if not entries:
        report.paragraph("No entries match these filters.")
    blocks = _Blocks(report)
    for entry in entries:
        blocks.entry(entry)
    return report.output()
