"""Funding pages: who sees what (VRP staff everything, a lead organisation its own allocations,
anyone else nothing), forms that keep what was typed, and the reports' exports."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from socex.audit.models import Action, Event
from socex.funding import services
from socex.funding.models import Allocation, MonitoringReturn
from socex.funding.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(budget, care):
    return {
        "overview": reverse("funding:overview"),
        "budget": reverse("funding:budget", args=[budget.pk]),
        "allocation": reverse("funding:allocation", args=[care.pk]),
        "bids": reverse("funding:bids"),
        "awards": reverse("funding:awards"),
        "report": reverse("funding:allocation_report"),
        "budget_create": reverse("funding:budget_create"),
        "allocation_create": reverse("funding:allocation_create", args=[budget.pk]),
        "allocation_edit": reverse("funding:allocation_edit", args=[care.pk]),
        "claim": reverse("funding:claim_create", args=[care.pk]),
        "return": reverse("funding:return_create", args=[care.pk]),
    }


# Who gets what: 200 works, 404 may not know it exists, 403 may see but not change.
MATRIX = {
    "vrp_officer": {
        "overview": 200, "budget": 200, "allocation": 200, "bids": 200, "awards": 200, "report": 200,
        "budget_create": 200, "allocation_create": 200, "allocation_edit": 200, "claim": 200, "return": 200,
    },
    "supervisor": {  # funding.view + funding.approve: reads everything, changes nothing
        "overview": 200, "budget": 200, "allocation": 200, "bids": 200, "awards": 200, "report": 200,
        "budget_create": 403, "allocation_create": 403, "allocation_edit": 403, "claim": 403, "return": 403,
    },
    "walsall_partner": {  # leads the CARE Project: its own allocation only
        "overview": 200, "budget": 404, "allocation": 200, "bids": 200, "awards": 403, "report": 200,
        "budget_create": 403, "allocation_create": 404, "allocation_edit": 403, "claim": 200, "return": 200,
    },
    "school_outsider": {
        "overview": 404, "budget": 404, "allocation": 404, "bids": 403, "awards": 403, "report": 403,
        "budget_create": 403, "allocation_create": 404, "allocation_edit": 404, "claim": 404, "return": 404,
    },
}  # fmt: skip


@pytest.mark.parametrize("persona", list(MATRIX))
def test_the_access_matrix(signed_in, request, pages, persona):
    client = signed_in(request.getfixturevalue(persona))
    got = {name: client.get(url).status_code for name, url in pages.items()}
    assert got == MATRIX[persona]


def test_a_lead_organisation_sees_only_its_own_allocations(
    signed_in, walsall_partner, vrp_officer, budget, care, school_outsider
):
    other = services.allocation_create(
        actor=vrp_officer, budget=budget, project="School mentoring", lead=school_outsider.organisation, amount="1000"
    )
    client = signed_in(walsall_partner)
    overview = client.get(reverse("funding:overview"))
    assert list(overview.context["allocations"]) == [care]
    report = client.get(reverse("funding:allocation_report"), {"financial_year": YEAR})
    assert [row.project for row in report.context["table"].rows] == ["CARE Project"]
    assert client.get(reverse("funding:allocation", args=[other.pk])).status_code == 404


def test_reading_an_allocation_is_audited(signed_in, walsall_partner, care):
    signed_in(walsall_partner).get(reverse("funding:allocation", args=[care.pk]))
    assert Event.objects.filter(action=Action.VIEW, object_type="funding.allocation", object_id=str(care.pk)).exists()


def test_the_allocation_form_keeps_what_was_typed_and_names_the_rule(
    signed_in, vrp_officer, budget, care, walsall_partner
):
    response = signed_in(vrp_officer).post(
        reverse("funding:allocation_create", args=[budget.pk]),
        {
            "project": "Summer outreach",
            "lead": walsall_partner.organisation.pk,
            "amount": "15000.01",
            "status": "proposed",
            "detail": "Parks",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Allocations may not exceed the budget" in form.errors["amount"][0]
    assert b'value="Summer outreach"' in response.content
    assert b"There is a problem" in response.content
    assert Allocation.objects.count() == 1


def test_a_sub_penny_amount_is_refused_beside_the_field(signed_in, vrp_officer, budget, walsall_partner):
    response = signed_in(vrp_officer).post(
        reverse("funding:allocation_create", args=[budget.pk]),
        {"project": "X", "lead": walsall_partner.organisation.pk, "amount": "10.005", "status": "proposed"},
    )
    assert response.context["form"].errors["amount"] == ["The allocation cannot include fractions of a penny."]


def test_a_lead_organisation_submits_a_monitoring_return(signed_in, walsall_partner, care):
    url = reverse("funding:return_create", args=[care.pk])
    data = {
        "financial_year": YEAR,
        "quarter": 1,
        "young_people_reached": 14,
        "sessions_delivered": 40,
        "outcomes": "Attendance up",
    }
    response = signed_in(walsall_partner).post(url, data)
    assert response.status_code == 302
    assert MonitoringReturn.objects.get().young_people_reached == 14
    again = signed_in(walsall_partner).post(url, data)
    assert "already been submitted" in again.context["form"].errors["quarter"][0]


def test_a_stale_allocation_edit_is_shown_not_saved(signed_in, vrp_officer, care):
    url = reverse("funding:allocation_edit", args=[care.pk])
    services.allocation_update(actor=vrp_officer, allocation=care, version=care.version, detail="Changed elsewhere")
    response = signed_in(vrp_officer).post(
        url,
        {
            "project": "CARE Project",
            "lead": care.lead_id,
            "amount": "35000",
            "status": "active",
            "detail": "Mine",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this allocation" in response.content.decode()
    care.refresh_from_db()
    assert care.detail == "Changed elsewhere"


# --- The allocation table in every format -----------------------------------------------------------


@pytest.fixture
def walsall_table(vrp_officer, budget, care, walsall_partner):
    services.allocation_create(
        actor=vrp_officer,
        budget=budget,
        project="ASB/Violence Response funding",
        lead=walsall_partner.organisation,
        amount="7981.29",
        detail="Hotspot outreach",
    )
    services.allocation_create(
        actor=vrp_officer,
        budget=budget,
        project="Modern Slavery Response",
        lead=walsall_partner.organisation,
        amount="5000",
        detail="Training",
    )
    return {"lpa": budget.lpa.pk, "financial_year": YEAR}


def test_the_allocation_table_page_totals_to_the_penny(signed_in, vrp_officer, walsall_table):
    response = signed_in(vrp_officer).get(reverse("funding:allocation_report"), walsall_table)
    assert response.context["table"].total == Decimal("47981.29")
    assert "£47,981.29" in response.content.decode()
    assert Event.objects.filter(action=Action.SEARCH, object_type="funding.allocation").exists()


def test_the_csv_has_the_four_columns_and_a_total(signed_in, vrp_officer, walsall_table):
    response = signed_in(vrp_officer).get(reverse("funding:allocation_report"), {**walsall_table, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Project/Intervention", "Lead", "Allocation", "Detail"]
    assert rows[1][:3] == ["CARE Project", "Walsall Council Early Help", "35000.00"]
    assert rows[-1][:3] == ["Total", "", "47981.29"]
    assert Event.objects.filter(action=Action.EXPORT, export_count=3).exists()


def test_the_spreadsheet_reads_back_with_money_as_numbers(signed_in, vrp_officer, walsall_table):
    response = signed_in(vrp_officer).get(reverse("funding:allocation_report"), {**walsall_table, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Project/Intervention", "Lead", "Allocation", "Detail"]
    assert [row[0] for row in values[1:]] == [
        "CARE Project",
        "ASB/Violence Response funding",
        "Modern Slavery Response",
        "Total",
    ]
    assert sum(Decimal(str(row[2])) for row in values[1:-1]) == Decimal(str(values[-1][2])) == Decimal("47981.29")
    assert response["Content-Disposition"] == 'attachment; filename="vrp-allocations-walsall-2024-25.xlsx"'


def test_the_pdf_holds_every_row_and_the_total(signed_in, vrp_officer, walsall_table):
    response = signed_in(vrp_officer).get(reverse("funding:allocation_report"), {**walsall_table, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())  # cells wrap: compare words, not lines
    for expected in ("CARE Project", "£35,000", "ASB/Violence Response", "£7,981.29", "Total £47,981.29"):
        assert expected in text
    assert Event.objects.filter(action=Action.EXPORT, detail__filename="vrp-allocations-walsall-2024-25.pdf").exists()


def test_budget_against_allocated_against_spent(signed_in, vrp_officer, supervisor, walsall_partner, budget, care):
    claim = services.spend_claim_submit(
        actor=walsall_partner, allocation=care, amount="8750", description="Q1", spent_on=dt.date(YEAR, 6, 30)
    )
    services.spend_claim_decide(actor=supervisor, claim=claim, approve=True)
    services.spend_claim_submit(
        actor=walsall_partner, allocation=care, amount="100", description="pending", spent_on=dt.date(YEAR, 7, 1)
    )
    response = signed_in(vrp_officer).get(reverse("funding:overview"), {"financial_year": YEAR})
    (line,) = response.context["lines"]
    assert (line.budget.amount, line.allocated, line.spent, line.unallocated) == (
        Decimal("50000.00"),
        Decimal("35000.00"),
        Decimal("8750.00"),
        Decimal("15000.00"),
    )
