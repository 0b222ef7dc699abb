"""Does the money follow the risk? Funding per resident beside the ranking, and the briefing's VRP
and operations sections, which analytics reads from the funding and investigations apps."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from socex.analytics.money import MoneyRow, spearman, verdict
from socex.areas.models import LPA
from socex.funding import services
from socex.funding.models import Programme
from socex.funding.reports import LpaFunding

pytestmark = pytest.mark.django_db


def _row(rank, funding_rank, allocated="1"):
    lpa = LPA(code=f"E{rank}", name=f"Area {rank}", population=1000)
    return MoneyRow(rank, lpa.name, 1.0, LpaFunding(lpa, Decimal(allocated), 1000, 300), funding_rank)


def test_rank_correlation_is_one_when_money_follows_risk_exactly_and_minus_one_when_reversed():
    assert spearman([_row(1, 1), _row(2, 2), _row(3, 3), _row(4, 4)]) == 1
    assert spearman([_row(1, 4), _row(2, 3), _row(3, 2), _row(4, 1)]) == -1
    assert spearman([_row(1, 1, "0"), _row(2, 2, "0"), _row(3, 3, "0")]) is None
    assert verdict(1.0).startswith("Broadly yes")
    assert verdict(-1.0).startswith("No:")
    assert verdict(None).startswith("There is not enough funding")


@pytest.fixture
def walsall_funding(vrp_officer, walsall_partner):
    walsall = LPA.objects.get(name="Walsall")
    budget = services.budget_create(
        actor=vrp_officer,
        name="Walsall local delivery",
        programme=Programme.LOCAL_DELIVERY,
        financial_year=2024,
        lpa=walsall,
        amount="50000",
        source="VRU grant",
    )
    services.allocation_create(
        actor=vrp_officer,
        budget=budget,
        project="CARE Project",
        lead=walsall_partner.organisation,
        amount="35000",
        detail="Early Help keyworkers",
        start_date=dt.date(2024, 4, 1),
    )
    return walsall


def test_the_money_page_sets_funding_per_resident_beside_the_ranking(signed_in, vrp_officer, walsall_funding):
    response = signed_in(vrp_officer).get(reverse("analytics:money"), {"year": 2024})
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rows"]}
    assert rows["Walsall"].funding.allocated == Decimal("35000.00")
    assert rows["Walsall"].funding_rank == 1
    assert sorted(row.rank for row in rows.values()) == list(range(1, len(rows) + 1))
    assert "£35,000" in response.content.decode()


def test_the_money_page_needs_analytics(signed_in, walsall_partner):
    assert signed_in(walsall_partner).get(reverse("analytics:money")).status_code == 403


def test_the_funding_overview_links_to_it_for_analytics_users(signed_in, vrp_officer, walsall_funding):
    response = signed_in(vrp_officer).get(reverse("funding:overview"))
    assert f"{reverse('analytics:money')}?year=" in response.content.decode()


def test_the_walsall_briefing_has_its_vrp_allocations_and_operations(
    signed_in, vrp_officer, walsall_funding, monkeypatch
):
    from socex.analytics import money

    monkeypatch.setattr(money, "allocation_table", money.allocation_table)
    response = signed_in(vrp_officer).get(reverse("analytics:briefing", args=[walsall_funding.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Operations and disruption" in html
    assert "Violence Reduction Partnership funding" in html
    assert "What this pack does not cover yet" not in html  # both planned sections are now covered
