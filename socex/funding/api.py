"""Funding API: read budgets, allocations and response awards; submit a monitoring return.

The same access rules as the pages (socex.funding.access): VRP staff read everything; a lead
organisation reads its own allocations and reports on them. Amounts are strings of pounds and
pence ("7981.29") so no client turns them into floating point. Bad input is a 422 naming the
field and the rule; every list page is recorded in the audit log as an export.
"""

# No ``from __future__ import annotations``: django-ninja must see real types.

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as ApiValidationError
from ninja.pagination import paginate

from socex.audit.listing import ApiExport, AuditedApiPagination
from socex.funding import access, services
from socex.funding.models import Allocation, Budget, ResponseAward

router = Router()


class BudgetOut(Schema):
    id: int
    name: str
    programme: str
    financial_year: str
    lpa: str | None
    amount: Decimal
    source: str
    is_synthetic: bool

    @staticmethod
    def resolve_financial_year(budget: Budget) -> str:
        return budget.year_label

    @staticmethod
    def resolve_lpa(budget: Budget) -> str | None:
        return budget.lpa.name if budget.lpa else None


class AllocationOut(Schema):
    id: int
    budget_id: int
    financial_year: str
    project: str
    lead: str
    amount: Decimal
    detail: str
    target_areas: str
    target_cohort: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    is_synthetic: bool

    @staticmethod
    def resolve_financial_year(allocation: Allocation) -> str:
        return allocation.budget.year_label

    @staticmethod
    def resolve_lead(allocation: Allocation) -> str:
        return allocation.lead.name


class AwardOut(Schema):
    id: int
    budget_id: int
    incident_date: dt.date
    lpa: str
    incident: str
    recipients: list[str]
    amount: Decimal
    purpose: str
    awarded_on: dt.date
    is_synthetic: bool

    @staticmethod
    def resolve_lpa(award: ResponseAward) -> str:
        return award.lpa.name

    @staticmethod
    def resolve_recipients(award: ResponseAward) -> list[str]:
        return [organisation.name for organisation in award.recipients.all()]


class YearFilter(Schema):
    financial_year: int | None = None


class ReturnIn(Schema):
    financial_year: int
    quarter: int
    young_people_reached: int
    sessions_delivered: int
    outcomes: str


class ReturnOut(Schema):
    id: int
    allocation_id: int
    financial_year: int
    quarter: int
    young_people_reached: int
    sessions_delivered: int
    outcomes: str
    submitted_at: dt.datetime


def _terms(filters: YearFilter) -> dict[str, str]:
    return {"Financial year": str(filters.financial_year)} if filters.financial_year else {}


def _require_funding(request: HttpRequest) -> None:
    if not access.can_use_funding(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "Your roles do not include VRP funding, and your organisation leads no funded project.")


@router.get("/budgets", response=list[BudgetOut], summary="VRP budgets (VRP staff)")
@paginate(AuditedApiPagination)
def list_budgets(request: HttpRequest, filters: Query[YearFilter]) -> ApiExport:
    _require_funding(request)
    budgets = Budget.objects.visible_to(request.auth).select_related("lpa")  # type: ignore[attr-defined]
    if filters.financial_year:
        budgets = budgets.filter(financial_year=filters.financial_year)
    return ApiExport(rows=budgets, record_type="funding.budget", filters=_terms(filters))


@router.get("/allocations", response=list[AllocationOut], summary="Allocations you may see")
@paginate(AuditedApiPagination)
def list_allocations(request: HttpRequest, filters: Query[YearFilter]) -> ApiExport:
    """Every allocation for VRP staff; your organisation's own for a lead organisation."""
    _require_funding(request)
    allocations = Allocation.objects.visible_to(request.auth).select_related("budget", "lead")  # type: ignore[attr-defined]
    if filters.financial_year:
        allocations = allocations.filter(budget__financial_year=filters.financial_year)
    return ApiExport(rows=allocations, record_type="funding.allocation", filters=_terms(filters))


@router.get("/allocations/{allocation_id}", response=AllocationOut, summary="One allocation")
def get_allocation(request: HttpRequest, allocation_id: int) -> Allocation:
    return access.get_allocation_for(request.auth, pk=allocation_id)  # type: ignore[attr-defined]


@router.get("/response-awards", response=list[AwardOut], summary="Response awards (VRP staff)")
@paginate(AuditedApiPagination)
def list_awards(request: HttpRequest, filters: Query[YearFilter]) -> ApiExport:
    _require_funding(request)
    awards = ResponseAward.objects.visible_to(request.auth).select_related("lpa").prefetch_related("recipients")  # type: ignore[attr-defined]
    if filters.financial_year:
        awards = awards.filter(budget__financial_year=filters.financial_year)
    return ApiExport(rows=awards, record_type="funding.responseaward", filters=_terms(filters))


def _service_errors(error: ValidationError) -> list[dict[str, Any]]:
    if not hasattr(error, "error_dict"):
        return [{"type": "value_error", "loc": ["body", "payload"], "msg": " ".join(error.messages)}]
    return [
        {"type": "value_error", "loc": ["body", "payload", name], "msg": " ".join(messages)}
        for name, messages in error.message_dict.items()
    ]


@router.post(
    "/allocations/{allocation_id}/monitoring-returns",
    response={201: ReturnOut},
    summary="Submit a quarterly monitoring return",
)
def submit_return(request: HttpRequest, allocation_id: int, payload: ReturnIn) -> Status:
    """The lead organisation's return for one quarter (1 = April to June). One per quarter: a
    second return for the same quarter is a 422, as are negative counts or a quarter not yet begun."""
    allocation = access.get_allocation_for(request.auth, pk=allocation_id)  # type: ignore[attr-defined]
    try:
        entry = services.monitoring_return_submit(actor=request.auth, allocation=allocation, **payload.dict())  # type: ignore[attr-defined]
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except ValidationError as error:
        raise ApiValidationError(_service_errors(error)) from None
    return Status(201, entry)
