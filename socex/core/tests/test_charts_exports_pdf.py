"""The shared chart, spreadsheet and PDF helpers every app's reports use."""

import io

import pypdf
from django.template import Context, Template
from openpyxl import load_workbook

from socex.core.charts import line_chart_context
from socex.core.exports import SUPPRESSED, suppress_small, xlsx_bytes
from socex.core.pdf import PdfReport


def test_a_line_chart_draws_each_series_and_lists_every_figure_in_its_table():
    html = Template("{% line_chart series labels caption='Crimes' band=band marks=marks mark_label='Summer' %}").render(
        Context(
            {
                "series": [{"name": "Walsall", "values": [3, 5, None, 8]}, {"name": "Dudley", "values": [1, 2, 3, 4]}],
                "labels": ["Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024"],
                "band": {"name": "80% interval", "lower": [2, 4, 5, 6], "upper": [4, 6, 7, 10]},
                "marks": [3],
            }
        )
    )
    assert html.count("<polyline") == 2
    assert "<polygon" in html
    assert "No figure" in html  # the gap in Walsall's March
    assert "4 to 6" in html  # February's interval in the table
    assert 'aria-label="Crimes, Jan 2024 to Apr 2024. Latest: Walsall 8 in Apr 2024; Dudley 4 in Apr 2024."' in html
    assert "(Summer)" in html


def test_a_chart_with_no_figures_still_renders():
    context = line_chart_context([], [], caption="Nothing yet")
    assert context["summary"] == "Nothing yet: no figures."


def test_small_counts_are_suppressed_but_zero_and_larger_counts_are_shown():
    assert [suppress_small(v, 5) for v in (0, 1, 4, 5, 12)] == [0, SUPPRESSED, SUPPRESSED, 5, 12]


def test_a_workbook_keeps_numbers_as_numbers_and_defuses_formulas():
    from decimal import Decimal

    content = xlsx_bytes({"Allocations": (["Project", "Amount"], [["=HYPERLINK(1)", Decimal("7981.29")]])})
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == ["Project", "Amount"]
    assert sheet["A2"].value == "'=HYPERLINK(1)"
    assert float(sheet["B2"].value) == 7981.29


def test_a_pdf_holds_its_title_marking_tables_and_names_in_any_alphabet():
    report = PdfReport("Chronology: CASE-2026-000001", subtitle="Exported by Łukasz Wójcik")
    report.key_values([("Lead agency", "Walsall Council Early Help")])
    report.table(["Date", "What happened"], [["3 July 2026", "Referral received"]] * 60)
    report.bar_chart([("Walsall", 35000.0), ("Dudley", 0.0)], caption="Allocated (£)")
    reader = pypdf.PdfReader(io.BytesIO(report.output()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Łukasz Wójcik" in text
    assert text.count("Referral received") == 60
    assert "Page 1 of" in text
    assert "35,000" in text
