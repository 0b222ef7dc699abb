"""Changes to VRP funding. Each function checks its rules, makes the change and audits it.

Rules (each refusal names the rule):

* amounts are positive pounds and pence: no negatives, no fractions of a penny;
* an allocation sits inside its budget's financial year (its start and end dates), and the
  budget's committed allocations may not add up to more than the budget unless someone with
  ``funding.approve`` overrides it with a reason;
* a response award comes from a response budget, within its year, and never overspends it;
* a spend claim may not exceed what remains of its allocation after approved and pending claims;
* one monitoring return per allocation per quarter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from socex.audit.models import Action
from socex.audit.services import record, record_change, record_create, snapshot
from socex.core.money import money
from socex.funding.access import can_approve, can_manage
from socex.funding.models import (
    COMMITTED_STATUSES,
    ZERO,
    Allocation,
    AllocationStatus,
    Bid,
    BidStatus,
    Budget,
    ClaimStatus,
    InterventionReferral,
    MonitoringReturn,
    Programme,
    ResponseAward,
    SpendClaim,
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
    quarter_bounds,
)

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, User
    from socex.areas.models import LPA
    from socex.cases.models import Case

BUDGET_FIELDS = ("name", "programme", "financial_year", "lpa", "amount", "source", "is_synthetic")
ALLOCATION_FIELDS = (
    "budget", "project", "lead", "amount", "detail", "target_areas", "target_cohort", "start_date", "end_date",
    "status", "takes_case_referrals", "over_budget_reason", "is_synthetic",
)  # fmt: skip
BID_FIELDS = ("title", "funder", "amount_sought", "lead", "programme", "lpa", "submitted_on", "status")


def _check_manager(actor: User) -> None:
    if not can_manage(actor):
        raise PermissionDenied("Only VRP staff with funding.manage can change budgets, allocations, bids and awards.")


def _check_date_in_year(day: dt.date | None, year: int, *, field: str, what: str) -> None:
    if day is None:
        return
    start, end = financial_year_bounds(year)
    if not start <= day <= end:
        raise ValidationError(
            {field: f"{what} must fall within the budget's financial year {financial_year_label(year)} "
                    f"(1 April {year} to 31 March {year + 1})."}
        )  # fmt: skip


# --- Totals ------------------------------------------------------------------------------------


def committed_total(budget: Budget, *, excluding: Allocation | None = None) -> Decimal:
    """Money promised from ``budget``: allocations not withdrawn, plus response awards."""
    allocations = budget.allocations.filter(status__in=COMMITTED_STATUSES)
    if excluding is not None and excluding.pk:
        allocations = allocations.exclude(pk=excluding.pk)
    awards = budget.response_awards.aggregate(total=Sum("amount"))["total"] or ZERO
    return (allocations.aggregate(total=Sum("amount"))["total"] or ZERO) + awards


def claimed_total(allocation: Allocation, *, statuses: Iterable[str]) -> Decimal:
    return allocation.spend_claims.filter(status__in=list(statuses)).aggregate(total=Sum("amount"))["total"] or ZERO


def remaining_to_claim(allocation: Allocation) -> Decimal:
    """What is left of an allocation once approved and pending claims are taken off."""
    return allocation.amount - claimed_total(allocation, statuses=(ClaimStatus.APPROVED, ClaimStatus.SUBMITTED))


# --- Budgets -----------------------------------------------------------------------------------


@transaction.atomic
def budget_create(
    *,
    actor: User | None,
    name: str,
    programme: str,
    financial_year: int,
    amount: Any,
    source: str,
    lpa: LPA | None = None,
    is_synthetic: bool = False,
    from_bid: Bid | None = None,
) -> Budget:
    if actor is not None:
        _check_manager(actor)
    if programme not in Programme.values:
        raise ValidationError({"programme": "Choose local delivery, response fund or other grants."})
    if not 2000 <= int(financial_year) <= 2100:
        raise ValidationError({"financial_year": "Enter the year the financial year starts, like 2024 for 2024/25."})
    if not name.strip():
        raise ValidationError({"name": "Enter a name for the budget."})
    if not source.strip():
        raise ValidationError({"source": "Enter where the money comes from."})
    budget = Budget(
        name=name.strip(),
        programme=programme,
        financial_year=int(financial_year),
        lpa=lpa,
        amount=money(amount, field="amount", label="The budget"),
        source=source.strip(),
        is_synthetic=is_synthetic,
        from_bid=from_bid,
        created_by=actor,
    )
    budget.save(force_insert=True)
    record_create(budget, fields=BUDGET_FIELDS, actor=actor)
    return budget


# --- Allocations -------------------------------------------------------------------------------


def _over_budget_problem(budget: Budget, amount: Decimal, *, excluding: Allocation | None) -> str:
    committed = committed_total(budget, excluding=excluding)
    if committed + amount <= budget.amount:
        return ""
    available = budget.amount - committed
    return (
        f"Allocations may not exceed the budget: {budget.name} has £{available:,.2f} left of £{budget.amount:,.2f}, "
        f"and this allocation is £{amount:,.2f}. A supervisor can approve it with a reason."
    )


def _check_allocation(
    *,
    actor: User | None,
    budget: Budget,
    amount: Decimal,
    start_date: dt.date | None,
    end_date: dt.date | None,
    status: str,
    override_reason: str,
    existing: Allocation | None,
) -> bool:
    """Check the rules; returns True when the allocation goes over budget with an approved override."""
    _check_date_in_year(start_date, budget.financial_year, field="start_date", what="The start date")
    _check_date_in_year(end_date, budget.financial_year, field="end_date", what="The end date")
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": "The end date must be on or after the start date."})
    if status not in AllocationStatus.values:
        raise ValidationError({"status": "Choose a status."})
    if status == AllocationStatus.WITHDRAWN:
        return False
    problem = _over_budget_problem(budget, amount, excluding=existing)
    if not problem:
        return False
    if not override_reason.strip():
        raise ValidationError({"amount": problem})
    if actor is None or not can_approve(actor):
        raise ValidationError(
            {"over_budget_reason": "Only a supervisor (funding.approve) can let an allocation exceed its budget."}
        )
    return True


@transaction.atomic
def allocation_create(
    *,
    actor: User | None,
    budget: Budget,
    project: str,
    lead: Organisation,
    amount: Any,
    detail: str = "",
    target_areas: str = "",
    target_cohort: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    status: str = AllocationStatus.PROPOSED,
    takes_case_referrals: bool = False,
    over_budget_reason: str = "",
    is_synthetic: bool = False,
) -> Allocation:
    """Allocate money from ``budget`` to a project led by ``lead``."""
    if actor is not None:
        _check_manager(actor)
    if not project.strip():
        raise ValidationError({"project": "Enter the project or intervention."})
    value = money(amount, field="amount", label="The allocation")
    Budget.objects.select_for_update().get(pk=budget.pk)  # serialise allocations against one budget
    overridden = _check_allocation(
        actor=actor,
        budget=budget,
        amount=value,
        start_date=start_date,
        end_date=end_date,
        status=status,
        override_reason=over_budget_reason,
        existing=None,
    )
    allocation = Allocation(
        budget=budget,
        project=project.strip(),
        lead=lead,
        amount=value,
        detail=detail.strip(),
        target_areas=target_areas.strip(),
        target_cohort=target_cohort.strip(),
        start_date=start_date,
        end_date=end_date,
        status=status,
        takes_case_referrals=takes_case_referrals,
        over_budget_reason=over_budget_reason.strip() if overridden else "",
        over_budget_approved_by=actor if overridden else None,
        is_synthetic=is_synthetic,
        created_by=actor,
    )
    allocation.save(force_insert=True)
    record_create(allocation, fields=ALLOCATION_FIELDS, actor=actor)
    return allocation


@transaction.atomic
def allocation_update(*, actor: User, allocation: Allocation, version: int, **changes: Any) -> Allocation:
    """Change an allocation. ``version`` is the one the editor saw: a stale version is refused."""
    _check_manager(actor)
    current = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if current.version != version:
        raise ValidationError(
            "Someone else changed this allocation while you were editing it. Reload the page to see their "
            "changes, then make yours again."
        )
    before = snapshot(current, ALLOCATION_FIELDS)
    reason = str(changes.pop("over_budget_reason", "") or "")
    if "amount" in changes:
        changes["amount"] = money(changes["amount"], field="amount", label="The allocation")
    for name, value in changes.items():
        if name not in ALLOCATION_FIELDS or name == "budget":
            raise ValueError(f"allocation_update cannot change {name!r}")
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    overridden = _check_allocation(
        actor=actor,
        budget=current.budget,
        amount=current.amount,
        start_date=current.start_date,
        end_date=current.end_date,
        status=current.status,
        override_reason=reason,
        existing=current,
    )
    if overridden:
        current.over_budget_reason = reason.strip()
        current.over_budget_approved_by = actor
    current.version += 1
    current.save()
    record_change(current, before=before, fields=ALLOCATION_FIELDS)
    return current


# --- Bids ---------------------------------------------------------------------------------------


@transaction.atomic
def bid_create(
    *,
    actor: User | None,
    title: str,
    funder: str,
    amount_sought: Any,
    lead: Organisation,
    partners: Iterable[Organisation] = (),
    programme: str = Programme.OTHER,
    lpa: LPA | None = None,
    submitted_on: dt.date | None = None,
    status: str = BidStatus.DRAFT,
    is_synthetic: bool = False,
) -> Bid:
    if actor is not None:
        _check_manager(actor)
    if not title.strip() or not funder.strip():
        raise ValidationError({"title" if not title.strip() else "funder": "Enter the bid's title and its funder."})
    if status not in (BidStatus.DRAFT, BidStatus.SUBMITTED):
        raise ValidationError({"status": "A new bid is either being written or submitted; record the decision later."})
    if status == BidStatus.SUBMITTED and submitted_on is None:
        raise ValidationError({"submitted_on": "Enter the date the bid was submitted."})
    if submitted_on and submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": "The submission date cannot be in the future."})
    bid = Bid(
        title=title.strip(),
        funder=funder.strip(),
        amount_sought=money(amount_sought, field="amount_sought", label="The amount sought"),
        lead=lead,
        programme=programme,
        lpa=lpa,
        submitted_on=submitted_on,
        status=status,
        is_synthetic=is_synthetic,
        created_by=actor,
    )
    bid.save(force_insert=True)
    bid.partners.set([partner for partner in partners if partner.pk != lead.pk])
    record_create(bid, fields=BID_FIELDS, actor=actor)
    return bid


@transaction.atomic
def bid_decide(
    *,
    actor: User | None,
    bid: Bid,
    status: str,
    decision_on: dt.date,
    outcome: str = "",
    amount_awarded: Any = None,
    budget_name: str = "",
    financial_year: int | None = None,
) -> Bid:
    """Record a funder's decision. A successful bid becomes a budget of the amount awarded."""
    if actor is not None:
        _check_manager(actor)
    current = Bid.objects.select_for_update().get(pk=bid.pk)
    if current.status in (BidStatus.SUCCESSFUL, BidStatus.UNSUCCESSFUL, BidStatus.WITHDRAWN):
        raise ValidationError(f"This bid already has its outcome ({current.get_status_display().lower()}).")
    if status not in (BidStatus.SUCCESSFUL, BidStatus.UNSUCCESSFUL, BidStatus.WITHDRAWN):
        raise ValidationError({"status": "Choose successful, unsuccessful or withdrawn."})
    if decision_on > timezone.localdate():
        raise ValidationError({"decision_on": "The decision date cannot be in the future."})
    if current.submitted_on and decision_on < current.submitted_on:
        raise ValidationError({"decision_on": "The decision cannot come before the bid was submitted."})
    before = snapshot(current, (*BID_FIELDS, "decision_on", "outcome", "amount_awarded"))
    current.status = status
    current.decision_on = decision_on
    current.outcome = outcome.strip()
    if status == BidStatus.SUCCESSFUL:
        awarded = amount_awarded if amount_awarded not in (None, "") else current.amount_sought
        current.amount_awarded = money(awarded, field="amount_awarded", label="The amount awarded")
    current.save()
    record_change(current, before=before, fields=(*BID_FIELDS, "decision_on", "outcome", "amount_awarded"))
    if status == BidStatus.SUCCESSFUL:
        budget_create(
            actor=actor,
            name=budget_name.strip() or f"{current.title} ({current.funder})",
            programme=current.programme,
            financial_year=financial_year or financial_year_of(decision_on),
            amount=current.amount_awarded,
            source=f"Bid to {current.funder}",
            lpa=current.lpa,
            is_synthetic=current.is_synthetic,
            from_bid=current,
        )
    return current


# --- Response awards ----------------------------------------------------------------------------


@transaction.atomic
def response_award_create(
    *,
    actor: User | None,
    budget: Budget,
    incident_date: dt.date,
    lpa: LPA,
    incident: str,
    recipients: Iterable[Organisation],
    amount: Any,
    purpose: str,
    awarded_on: dt.date,
    is_synthetic: bool = False,
) -> ResponseAward:
    """Pay out from a response budget after an incident."""
    if actor is not None:
        _check_manager(actor)
    recipients = list(recipients)
    if budget.programme != Programme.RESPONSE:
        raise ValidationError({"budget": "Response awards are made from a response fund budget."})
    if not recipients:
        raise ValidationError({"recipients": "Choose at least one recipient."})
    if not incident.strip() or not purpose.strip():
        raise ValidationError(
            {"incident" if not incident.strip() else "purpose": "Describe the incident and what the money is for."}
        )
    today = timezone.localdate()
    if incident_date > today or awarded_on > today:
        raise ValidationError(
            {"incident_date" if incident_date > today else "awarded_on": "Dates cannot be in the future."}
        )
    if awarded_on < incident_date:
        raise ValidationError({"awarded_on": "An award cannot be made before the incident it responds to."})
    _check_date_in_year(awarded_on, budget.financial_year, field="awarded_on", what="The award date")
    value = money(amount, field="amount", label="The award")
    Budget.objects.select_for_update().get(pk=budget.pk)
    problem = _over_budget_problem(budget, value, excluding=None)
    if problem:
        raise ValidationError({"amount": problem.replace(" A supervisor can approve it with a reason.", "")})
    award = ResponseAward(
        budget=budget,
        incident_date=incident_date,
        lpa=lpa,
        incident=incident.strip(),
        amount=value,
        purpose=purpose.strip(),
        awarded_on=awarded_on,
        is_synthetic=is_synthetic,
        created_by=actor,
    )
    award.save(force_insert=True)
    award.recipients.set(recipients)
    record_create(
        award, fields=("budget", "incident_date", "lpa", "incident", "amount", "purpose", "awarded_on"), actor=actor
    )
    return award


# --- Spend claims and monitoring returns -------------------------------------------------------


def _check_reporter(actor: User, allocation: Allocation) -> None:
    if not Allocation.objects.reportable_by(actor).filter(pk=allocation.pk).exists():
        raise PermissionDenied("Only the lead organisation or VRP staff can report on this allocation.")


@transaction.atomic
def spend_claim_submit(
    *, actor: User, allocation: Allocation, amount: Any, description: str, spent_on: dt.date
) -> SpendClaim:
    _check_reporter(actor, allocation)
    current = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if current.status == AllocationStatus.WITHDRAWN:
        raise ValidationError("This allocation was withdrawn: no spend can be claimed against it.")
    value = money(amount, field="amount", label="The claim")
    if not description.strip():
        raise ValidationError({"description": "Say what the money was spent on."})
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": "The date of the spending cannot be in the future."})
    remaining = remaining_to_claim(current)
    if value > remaining:
        raise ValidationError(
            {"amount": f"A claim may not exceed what remains of the allocation: £{remaining:,.2f} is left "
                       f"of £{current.amount:,.2f} after approved and pending claims."}
        )  # fmt: skip
    claim = SpendClaim(
        allocation=current, amount=value, description=description.strip(), spent_on=spent_on, submitted_by=actor
    )
    claim.save(force_insert=True)
    record_create(claim, fields=("allocation", "amount", "description", "spent_on", "status"), actor=actor)
    return claim


@transaction.atomic
def spend_claim_decide(*, actor: User, claim: SpendClaim, approve: bool, note: str = "") -> SpendClaim:
    if not can_approve(actor):
        raise PermissionDenied("Only a supervisor with funding.approve can approve or reject spend.")
    current = SpendClaim.objects.select_for_update().get(pk=claim.pk)
    if current.status != ClaimStatus.SUBMITTED:
        raise ValidationError(f"This claim has already been {current.get_status_display().lower()}.")
    if current.submitted_by_id == actor.pk:
        raise ValidationError("You cannot approve or reject a claim you submitted yourself.")
    if not approve and not note.strip():
        raise ValidationError({"note": "Give the reason for rejecting the claim."})
    before = snapshot(current, ("status", "decision_note"))
    current.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.decision_note = note.strip()
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_change(current, before=before, fields=("status", "decision_note"))
    return current


@transaction.atomic
def monitoring_return_submit(
    *,
    actor: User,
    allocation: Allocation,
    financial_year: int,
    quarter: int,
    young_people_reached: int,
    sessions_delivered: int,
    outcomes: str,
) -> MonitoringReturn:
    """The lead organisation's quarterly return. One per allocation per quarter."""
    _check_reporter(actor, allocation)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "Choose quarter 1, 2, 3 or 4."})
    for name, value in (("young_people_reached", young_people_reached), ("sessions_delivered", sessions_delivered)):
        if value is None or int(value) < 0:
            raise ValidationError({name: "Enter a whole number, 0 or more."})
    if not outcomes.strip():
        raise ValidationError({"outcomes": "Describe the outcomes this quarter."})
    if quarter_bounds(financial_year, quarter)[0] > timezone.localdate():
        raise ValidationError({"quarter": "You cannot return figures for a quarter that has not started."})
    label = f"quarter {quarter} of {financial_year_label(financial_year)}"
    if MonitoringReturn.objects.filter(allocation=allocation, financial_year=financial_year, quarter=quarter).exists():
        raise ValidationError(
            {"quarter": f"A monitoring return for {label} has already been submitted for this allocation."}
        )
    entry = MonitoringReturn(
        allocation=allocation,
        financial_year=financial_year,
        quarter=quarter,
        young_people_reached=int(young_people_reached),
        sessions_delivered=int(sessions_delivered),
        outcomes=outcomes.strip(),
        submitted_by=actor,
    )
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"quarter": f"A monitoring return for {label} has already been submitted."}) from None
    record_create(
        entry,
        fields=("allocation", "financial_year", "quarter", "young_people_reached", "sessions_delivered", "outcomes"),
        actor=actor,
    )
    return entry


# --- Case referrals to funded interventions ----------------------------------------------------


@transaction.atomic
def intervention_refer(
    *, actor: User, allocation: Allocation, case: Case, referred_on: dt.date
) -> InterventionReferral:
    """Record that a hub case was referred to a funded intervention (counted only as totals)."""
    from socex.cases.access import get_case_for

    get_case_for(actor, need="edit", pk=case.pk)
    if not allocation.takes_case_referrals:
        raise ValidationError({"allocation": f"{allocation.project} does not take referrals from cases."})
    if allocation.status not in (AllocationStatus.APPROVED, AllocationStatus.ACTIVE):
        raise ValidationError(
            {"allocation": f"{allocation.project} is not running, so cases cannot be referred to it."}
        )
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": "The referral date cannot be in the future."})
    if InterventionReferral.objects.filter(allocation=allocation, case=case).exists():
        raise ValidationError({"allocation": f"{case.reference} has already been referred to {allocation.project}."})
    referral = InterventionReferral(allocation=allocation, case=case, referred_on=referred_on, referred_by=actor)
    referral.save(force_insert=True)
    record(Action.CREATE, obj=referral, actor=actor, detail={"case": case.reference, "allocation": allocation.project})
    from socex.cases.services import chronology_add

    chronology_add(
        case=case,
        category="referral",
        summary=f"Referred to {allocation.project} ({allocation.lead.name})",
        actor=actor,
        source=referral,
    )
    return referral
