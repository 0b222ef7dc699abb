"""Funding rules: money in pounds and pence, budgets not overspent without a supervisor, dates
inside the financial year, claims within what is left, one return per quarter, bids to budgets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socex.audit.models import Action, Event
from socex.core.money import money
from socex.funding import services
from socex.funding.models import (
    AllocationStatus,
    Bid,
    BidStatus,
    Budget,
    ClaimStatus,
    Programme,
    financial_year_label,
    financial_year_of,
    quarter_bounds,
)
from socex.funding.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def _allocate(actor, budget, amount, **extra):
    return services.allocation_create(
        actor=actor,
        budget=budget,
        project=extra.pop("project", "Mentoring"),
        lead=extra.pop("lead"),
        amount=amount,
        **extra,
    )


# --- Money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7981.29", Decimal("7981.29")),
        ("£35,000", Decimal("35000.00")),
        (" 5000.5 ", Decimal("5000.50")),
        (12, Decimal("12.00")),
    ],
)
def test_amounts_are_read_as_pounds_and_pence(typed, expected):
    assert money(typed, field="amount", label="The allocation") == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-10", "The allocation cannot be negative."),
        ("12.345", "The allocation cannot include fractions of a penny."),
        ("0", "The allocation must be more than £0."),
        ("ten pounds", "The allocation must be an amount in pounds and pence, like 7981.29."),
        ("NaN", "The allocation must be an amount in pounds and pence, like 7981.29."),
    ],
)
def test_bad_amounts_are_refused_with_what_is_wrong(typed, message):
    with pytest.raises(ValidationError) as error:
        money(typed, field="amount", label="The allocation")
    assert error.value.message_dict == {"amount": [message]}


def test_financial_years_run_april_to_march():
    assert financial_year_of(dt.date(2024, 3, 31)) == 2023
    assert financial_year_of(dt.date(2024, 4, 1)) == 2024
    assert financial_year_label(2024) == "2024/25"
    assert quarter_bounds(2024, 1) == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert quarter_bounds(2024, 4) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))


# --- Allocations against their budget --------------------------------------------------------------


def test_an_allocation_is_created_and_audited(care, budget):
    assert care.amount == Decimal("35000.00")
    event = Event.objects.filter(action=Action.CREATE, object_type="funding.allocation").get()
    assert event.changes["amount"] == [None, "35000.00"]
    assert services.committed_total(budget) == Decimal("35000.00")


def test_allocations_may_not_exceed_the_budget(vrp_officer, budget, care, walsall_partner):
    with pytest.raises(ValidationError) as error:
        _allocate(vrp_officer, budget, "15000.01", lead=walsall_partner.organisation)
    assert "Allocations may not exceed the budget" in error.value.message_dict["amount"][0]
    assert "£15,000.00 left of £50,000.00" in error.value.message_dict["amount"][0]
    # Exactly what is left is fine.
    assert _allocate(vrp_officer, budget, "15000.00", lead=walsall_partner.organisation).amount == Decimal("15000")


def test_only_a_supervisor_can_take_an_allocation_over_budget_and_must_say_why(
    vrp_officer, supervisor, budget, care, walsall_partner
):
    with pytest.raises(ValidationError) as error:
        _allocate(
            vrp_officer, budget, "20000", lead=walsall_partner.organisation, over_budget_reason="Urgent summer work"
        )
    assert "Only a supervisor" in error.value.message_dict["over_budget_reason"][0]
    supervisor.roles.add(*vrp_officer.roles.all())  # a VRP supervisor: manages funding and approves
    allocation = _allocate(
        supervisor, budget, "20000", lead=walsall_partner.organisation, over_budget_reason="Urgent summer work"
    )
    assert allocation.over_budget_approved_by == supervisor
    assert services.committed_total(budget) == Decimal("55000.00")


def test_withdrawn_allocations_free_their_money(vrp_officer, budget, care, walsall_partner):
    services.allocation_update(
        actor=vrp_officer, allocation=care, version=care.version, status=AllocationStatus.WITHDRAWN
    )
    assert services.committed_total(budget) == Decimal("0.00")
    assert _allocate(vrp_officer, budget, "50000", lead=walsall_partner.organisation).amount == Decimal("50000")


@pytest.mark.parametrize(
    ("field", "day"), [("start_date", dt.date(YEAR, 3, 31)), ("end_date", dt.date(YEAR + 1, 4, 1))]
)
def test_an_allocation_must_sit_inside_its_budgets_financial_year(vrp_officer, budget, walsall_partner, field, day):
    with pytest.raises(ValidationError) as error:
        _allocate(vrp_officer, budget, "100", lead=walsall_partner.organisation, **{field: day})
    assert error.value.message_dict[field] == [
        "The " + ("start" if field == "start_date" else "end") + " date must fall within the budget's financial year "
        "2024/25 (1 April 2024 to 31 March 2025)."
    ]


def test_a_stale_edit_is_refused_rather_than_overwriting(vrp_officer, care):
    services.allocation_update(actor=vrp_officer, allocation=care, version=1, detail="First change")
    with pytest.raises(ValidationError, match="Someone else changed this allocation"):
        services.allocation_update(actor=vrp_officer, allocation=care, version=1, detail="Second change")
    care.refresh_from_db()
    assert care.detail == "First change"
    assert care.version == 2


def test_partners_cannot_create_allocations(walsall_partner, budget):
    with pytest.raises(PermissionDenied):
        _allocate(walsall_partner, budget, "100", lead=walsall_partner.organisation)


# --- Spend claims and monitoring returns ------------------------------------------------------------


def test_a_claim_may_not_exceed_what_remains(walsall_partner, care):
    services.spend_claim_submit(
        actor=walsall_partner, allocation=care, amount="30000", description="Salaries", spent_on=dt.date(YEAR, 6, 30)
    )
    with pytest.raises(ValidationError) as error:
        services.spend_claim_submit(
            actor=walsall_partner, allocation=care, amount="5000.01", description="More", spent_on=dt.date(YEAR, 7, 1)
        )
    assert error.value.message_dict["amount"] == [
        "A claim may not exceed what remains of the allocation: £5,000.00 is left of £35,000.00 "
        "after approved and pending claims."
    ]


def test_a_rejected_claim_gives_its_money_back_and_needs_a_reason(walsall_partner, supervisor, care):
    claim = services.spend_claim_submit(
        actor=walsall_partner, allocation=care, amount="35000", description="All of it", spent_on=dt.date(YEAR, 6, 30)
    )
    with pytest.raises(ValidationError):
        services.spend_claim_decide(actor=supervisor, claim=claim, approve=False)
    services.spend_claim_decide(actor=supervisor, claim=claim, approve=False, note="No invoices")
    assert services.remaining_to_claim(care) == Decimal("35000.00")


def test_claims_are_approved_once_by_someone_else_with_funding_approve(walsall_partner, supervisor, vrp_officer, care):
    claim = services.spend_claim_submit(
        actor=walsall_partner, allocation=care, amount="100", description="Room hire", spent_on=dt.date(YEAR, 6, 1)
    )
    with pytest.raises(PermissionDenied):
        services.spend_claim_decide(actor=vrp_officer, claim=claim, approve=True)
    services.spend_claim_decide(actor=supervisor, claim=claim, approve=True)
    assert claim.__class__.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED
    with pytest.raises(ValidationError, match="already been approved"):
        services.spend_claim_decide(actor=supervisor, claim=claim, approve=True)


def test_one_monitoring_return_per_quarter(walsall_partner, care):
    values = {
        "financial_year": YEAR,
        "quarter": 2,
        "young_people_reached": 12,
        "sessions_delivered": 30,
        "outcomes": "Attendance up",
    }
    services.monitoring_return_submit(actor=walsall_partner, allocation=care, **values)
    with pytest.raises(ValidationError) as error:
        services.monitoring_return_submit(actor=walsall_partner, allocation=care, **values)
    assert error.value.message_dict["quarter"] == [
        "A monitoring return for quarter 2 of 2024/25 has already been submitted for this allocation."
    ]


def test_returns_for_a_quarter_not_begun_or_with_negative_counts_are_refused(walsall_partner, care):
    with pytest.raises(ValidationError, match="has not started"):
        services.monitoring_return_submit(
            actor=walsall_partner,
            allocation=care,
            financial_year=2090,
            quarter=1,
            young_people_reached=1,
            sessions_delivered=1,
            outcomes="x",
        )
    with pytest.raises(ValidationError, match="0 or more"):
        services.monitoring_return_submit(
            actor=walsall_partner,
            allocation=care,
            financial_year=YEAR,
            quarter=1,
            young_people_reached=-1,
            sessions_delivered=1,
            outcomes="x",
        )


def test_an_unrelated_organisation_cannot_report_on_an_allocation(school_outsider, care):
    with pytest.raises(PermissionDenied):
        services.spend_claim_submit(
            actor=school_outsider, allocation=care, amount="1", description="x", spent_on=dt.date(YEAR, 6, 1)
        )


# --- Bids and response awards ------------------------------------------------------------------------


def test_a_successful_bid_becomes_a_budget(vrp_officer, walsall, walsall_partner):
    bid = services.bid_create(
        actor=vrp_officer,
        title="Consortium bid",
        funder="A foundation",
        amount_sought="1000000",
        lead=vrp_officer.organisation,
        partners=[walsall_partner.organisation],
        lpa=walsall,
        submitted_on=dt.date(YEAR, 5, 1),
        status=BidStatus.SUBMITTED,
    )
    services.bid_decide(
        actor=vrp_officer,
        bid=bid,
        status=BidStatus.SUCCESSFUL,
        decision_on=dt.date(YEAR, 9, 1),
        amount_awarded="750000",
    )
    budget = Budget.objects.get(from_bid=bid)
    assert (budget.amount, budget.financial_year, budget.lpa) == (Decimal("750000.00"), YEAR, walsall)
    with pytest.raises(ValidationError, match="already has its outcome"):
        services.bid_decide(actor=vrp_officer, bid=bid, status=BidStatus.UNSUCCESSFUL, decision_on=dt.date(YEAR, 9, 2))


def test_a_decision_before_submission_is_refused(vrp_officer):
    bid = services.bid_create(
        actor=vrp_officer,
        title="Bid",
        funder="F",
        amount_sought="10",
        lead=vrp_officer.organisation,
        submitted_on=dt.date(YEAR, 5, 1),
        status=BidStatus.SUBMITTED,
    )
    with pytest.raises(ValidationError) as error:
        services.bid_decide(actor=vrp_officer, bid=bid, status=BidStatus.UNSUCCESSFUL, decision_on=dt.date(YEAR, 4, 30))
    assert error.value.message_dict["decision_on"] == ["The decision cannot come before the bid was submitted."]
    assert Bid.objects.get(pk=bid.pk).status == BidStatus.SUBMITTED


def test_response_awards_come_from_a_response_budget_and_never_overspend_it(
    vrp_officer, walsall, budget, school_outsider
):
    common = {
        "incident_date": dt.date(YEAR, 5, 9),
        "lpa": walsall,
        "incident": "Stabbing near a school",
        "recipients": [school_outsider.organisation],
        "purpose": "Support sessions",
        "awarded_on": dt.date(YEAR, 5, 14),
    }
    with pytest.raises(ValidationError, match="response fund budget"):
        services.response_award_create(actor=vrp_officer, budget=budget, amount="100", **common)
    response = services.budget_create(
        actor=vrp_officer,
        name="Walsall response",
        programme=Programme.RESPONSE,
        financial_year=YEAR,
        lpa=walsall,
        amount="3000",
        source="VRP",
    )
    services.response_award_create(actor=vrp_officer, budget=response, amount="2500", **common)
    with pytest.raises(ValidationError, match="may not exceed the budget"):
        services.response_award_create(actor=vrp_officer, budget=response, amount="500.01", **common)
    assert services.committed_total(response) == Decimal("2500.00")


def test_totals_add_up_to_the_penny(vrp_officer, budget, walsall_partner):
    amounts = ["0.10", "0.20", "7981.29", "333.33", "333.33", "333.34", "1.01"]
    for n, amount in enumerate(amounts):
        _allocate(vrp_officer, budget, amount, lead=walsall_partner.organisation, project=f"P{n}")
    assert services.committed_total(budget) == Decimal("8982.60")
    assert sum(Decimal(a) for a in amounts) == Decimal("8982.60")
