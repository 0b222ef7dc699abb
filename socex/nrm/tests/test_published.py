"""Published figures: loading the documented layout (CSV and XLSX), refusing an unexpected layout by
naming the sheet and cell and writing nothing, typing a figure in, and the hub beside them."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from socex.audit.models import Action, Event
from socex.nrm import services
from socex.nrm.conf import REFERENCE_DIR
from socex.nrm.coverage import side_by_side
from socex.nrm.models import PublishedFigure, PublishedImport
from socex.nrm.published import ImportRefused
from socex.nrm.tests.helpers import make_person, submitted

pytestmark = pytest.mark.django_db

SAMPLE = REFERENCE_DIR / "published" / "uk_headlines.csv"
HEADER = ["period", "area", "dimension", "category", "value"]


def _xlsx(rows, sheet="figures"):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_real_uk_headline_sample_loads(hub_officer):
    batch = services.published_import(actor=hub_officer, file_name=SAMPLE.name, data=SAMPLE.read_bytes())
    assert batch.rows == 10 == PublishedFigure.objects.count()
    q3 = PublishedFigure.objects.get(year=2023, quarter=3, dimension="total")
    assert (q3.area, q3.category, q3.value, q3.edition) == (
        "United Kingdom",
        "All",
        4138,
        "NRM and DtN statistics, Q3 2023 bulletin",
    )
    assert q3.source.startswith("https://www.gov.uk/")
    event = Event.objects.get(action=Action.IMPORT)
    assert event.detail["figures"] == 10
    assert event.object_type == "nrm.publishedimport"


def test_an_xlsx_in_the_layout_loads_with_the_edition_given_on_upload(hub_officer, west_midlands):
    data = _xlsx([HEADER, ["2024 Q1", "Walsall Council", "age_group", "Child (17 or under)", 7]])
    services.published_import(actor=hub_officer, file_name="wm.xlsx", data=data, edition="Test edition")
    figure = PublishedFigure.objects.get()
    assert (figure.lpa.name, figure.edition, figure.value) == ("Walsall", "Test edition", 7)


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        (
            [["quarter", "area", "dimension", "category", "value"]],
            "Sheet 'figures', cell A1: expected the column 'period'",
        ),
        (
            [HEADER, ["2024 Q1", "WMP", "total", "All", "many"]],
            "Sheet 'figures', cell E2: 'many' is not a whole number",
        ),
        (
            [HEADER, ["2024 Q1", "WMP", "total", "All", 5], ["2024 Q5", "WMP", "total", "All", 5]],
            "Sheet 'figures', cell A3: '2024 Q5' is not a quarter",
        ),
        ([HEADER, ["2024 Q1", "WMP", "Age", "All", 5]], "Sheet 'figures', cell C2: 'Age' is not a dimension"),
        ([HEADER, ["2024 Q1", "WMP", "total", "All", "[c]"]], "Sheet 'figures', cell E2: '[c]' is a suppressed figure"),
        (
            [[*HEADER, "notes"], ["2024 Q1", "WMP", "total", "All", 5, "x"]],
            "Sheet 'figures', cell F1: 'notes' is not a column",
        ),
        ([HEADER, ["2024 Q1", "", "total", "All", 5]], "Sheet 'figures', cell B2: give the police force"),
        (
            [HEADER, ["2024 Q1", "WMP", "total", "All", 5], ["2024 Q1", "WMP", "total", "All", 6]],
            "Sheet 'figures', cell E3: the same figure is already given in row 2",
        ),
    ],
)
def test_an_unexpected_layout_names_the_sheet_and_cell_and_writes_nothing(hub_officer, rows, says):
    with pytest.raises(ImportRefused) as refused:
        services.published_import(actor=hub_officer, file_name="bad.xlsx", data=_xlsx(rows), edition="E")
    assert says in refused.value.message
    assert not PublishedFigure.objects.exists()
    assert not PublishedImport.objects.exists()
    assert not Event.objects.filter(action=Action.IMPORT).exists()


def test_a_workbook_without_a_figures_sheet_is_read_from_its_first_sheet(hub_officer):
    data = _xlsx([["Table 13"], ["2024 Q1"]], sheet="Table_13")
    with pytest.raises(ImportRefused) as refused:
        services.published_import(actor=hub_officer, file_name="ods-export.xlsx", data=data, edition="E")
    assert refused.value.message.startswith("Sheet 'Table_13', cell A1: expected the column 'period', found 'Table 13'")


def test_a_csv_names_the_file_as_its_sheet(hub_officer):
    data = b"period,area,dimension,category,value\n2024 Q1,WMP,total,All,12\n2024 Q2,WMP,total,All,-3\n"
    with pytest.raises(ImportRefused) as refused:
        services.published_import(actor=hub_officer, file_name="figures.csv", data=data, edition="E")
    assert "Sheet 'figures.csv', cell E3: '-3' is not a whole number" in refused.value.message
    assert not PublishedFigure.objects.exists()


def test_a_figure_already_loaded_is_refused_and_nothing_else_is_written(hub_officer):
    services.published_import(actor=hub_officer, file_name=SAMPLE.name, data=SAMPLE.read_bytes())
    with pytest.raises(ImportRefused) as refused:
        services.published_import(actor=hub_officer, file_name=SAMPLE.name, data=SAMPLE.read_bytes())
    assert "is already loaded" in refused.value.message
    assert "Cell A2" in refused.value.message
    assert PublishedFigure.objects.count() == 10
    assert PublishedImport.objects.count() == 1


def test_the_import_page_shows_the_refusal_beside_the_file(signed_in, hub_officer):
    upload = SimpleUploadedFile("bad.xlsx", _xlsx([HEADER, ["2024 Q1", "WMP", "total", "All", "x"]]))
    response = signed_in(hub_officer).post(reverse("nrm:published_import"), {"file": upload, "edition": "E"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Nothing was loaded. Sheet 'figures', cell E2: 'x' is not a whole number of 0 or more."
    ]


def test_only_hub_staff_load_figures(signed_in, walsall_nrm_lead, analyst):
    for user in (walsall_nrm_lead, analyst):
        client = signed_in(user)
        assert client.get(reverse("nrm:published_import")).status_code == 403
        assert client.get(reverse("nrm:published_add")).status_code == 403


def test_the_command_loads_a_file_and_fails_loudly_on_a_bad_one(hub_officer, tmp_path):
    call_command("nrm_import_published", str(SAMPLE), "--as", hub_officer.email)
    assert PublishedFigure.objects.count() == 10
    bad = tmp_path / "bad.csv"
    bad.write_text("period,area\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Nothing was loaded\. Sheet 'bad\.csv', cell C1"):
        call_command("nrm_import_published", str(bad), "--as", hub_officer.email, "--edition", "E")


def test_hub_figures_beside_published_ones_with_the_coverage_ratio(signed_in, hub_officer, first_responders, walsall):
    # Test values typed in by hand (not real published figures): 4 referrals for the force in 2024 Q1.
    client = signed_in(hub_officer)
    response = client.post(
        reverse("nrm:published_add"),
        {
            "year": 2024,
            "quarter": 1,
            "area": "West Midlands Police",
            "dimension": "total",
            "category": "All",
            "value": 4,
            "edition": "Test figure",
        },
    )
    assert response.status_code == 302
    for given, day in (("A", dt.date(2024, 1, 10)), ("B", dt.date(2024, 3, 31)), ("C", dt.date(2024, 4, 1))):
        submitted(hub_officer, make_person(hub_officer, dob=dt.date(2010, 1, 1), given=given), walsall, day)
    [row] = side_by_side(hub_officer)
    assert (row.period, row.published, row.recorded, row.ratio) == ("2024 Q1", 4, 2, 50.0)
    page = client.get(reverse("nrm:published"))
    assert "50.0%" in page.content.decode()


def test_a_local_authority_figure_compares_with_its_lpa(hub_officer, first_responders, walsall):
    services.published_figure_add(
        actor=hub_officer,
        year=2024,
        quarter=1,
        area="Walsall Council",
        dimension="total",
        category="All",
        value=8,
        edition="Test figure",
    )
    submitted(hub_officer, make_person(hub_officer, dob=dt.date(2010, 1, 1)), walsall, dt.date(2024, 2, 2))
    [row] = side_by_side(hub_officer)
    assert (row.recorded, row.ratio) == (1, 12.5)


def test_a_figure_typed_twice_is_refused(hub_officer):
    values = {
        "year": 2024,
        "quarter": 1,
        "area": "West Midlands Police",
        "dimension": "total",
        "category": "All",
        "value": 3,
        "edition": "E",
    }
    services.published_figure_add(actor=hub_officer, **values)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.published_figure_add(actor=hub_officer, **values)
    assert "already recorded" in refused.value.message_dict["value"][0]
