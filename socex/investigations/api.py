"""Investigations API (police only): read and create investigations and disruptions.

The same access rules and services as the pages. Bad input is a 422 naming the field and the
rule (an officer without the needed role, a disruption dated in the future...); every list page
is recorded in the audit log as an export.
"""

# No ``from __future__ import annotations``: django-ninja must see real types.

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as ApiValidationError
from ninja.pagination import paginate

from socex.accounts.models import User
from socex.areas.models import LPA
from socex.audit.listing import ApiExport, AuditedApiPagination
from socex.investigations import access, services
from socex.investigations.models import Disruption, Investigation, Operation

router = Router()


class InvestigationOut(Schema):
    reference: str
    title: str
    status: str
    crime_references: list[str]
    offences: list[str]
    officer_in_case: str
    lpa: str
    operation: str | None
    opened_on: dt.date
    closed_on: dt.date | None

    @staticmethod
    def resolve_officer_in_case(investigation: Investigation) -> str:
        return investigation.officer_in_case.full_name

    @staticmethod
    def resolve_lpa(investigation: Investigation) -> str:
        return investigation.lpa.code

    @staticmethod
    def resolve_operation(investigation: Investigation) -> str | None:
        return investigation.operation.name if investigation.operation else None


class InvestigationIn(Schema):
    title: str
    offences: list[str]
    officer_in_case: uuid.UUID
    lpa: str
    opened_on: dt.date
    crime_references: list[str] = []
    operation: str | None = None
    summary: str = ""


class DisruptionOut(Schema):
    id: int
    kind: str
    occurred_on: dt.date
    lpa: str
    quantity: int
    cash_amount: Decimal | None
    drugs_description: str
    operation: str | None
    investigation: str | None

    @staticmethod
    def resolve_lpa(disruption: Disruption) -> str:
        return disruption.lpa.code

    @staticmethod
    def resolve_operation(disruption: Disruption) -> str | None:
        return disruption.operation.name if disruption.operation else None

    @staticmethod
    def resolve_investigation(disruption: Disruption) -> str | None:
        return disruption.investigation.reference if disruption.investigation else None


class DisruptionIn(Schema):
    kind: str
    occurred_on: dt.date
    lpa: str
    quantity: int = 1
    cash_amount: str | None = None
    drugs_description: str = ""
    operation: str | None = None
    investigation: str | None = None
    notes: str = ""


def _require_read(request: HttpRequest) -> None:
    if not access.can_read(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "Investigations are for police hub staff.")


def _errors(error: ValidationError) -> list[dict[str, Any]]:
    if not hasattr(error, "error_dict"):
        return [{"type": "value_error", "loc": ["body", "payload"], "msg": " ".join(error.messages)}]
    return [
        {"type": "value_error", "loc": ["body", "payload", name], "msg": " ".join(messages)}
        for name, messages in error.message_dict.items()
    ]


def _lookup(model: Any, field: str, value: str | None, loc: str) -> Any:
    if value in (None, ""):
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise ApiValidationError(
            [{"type": "value_error", "loc": ["body", "payload", loc], "msg": f"Unknown {loc}: {value}."}]
        )
    return found


def _call(service: Any, **kwargs: Any) -> Any:
    try:
        return service(**kwargs)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except ValidationError as error:
        raise ApiValidationError(_errors(error)) from None


@router.get("/", response=list[InvestigationOut], summary="Investigations (police only)")
@paginate(AuditedApiPagination)
def list_investigations(request: HttpRequest, status: str = "") -> ApiExport:
    _require_read(request)
    rows = Investigation.objects.visible_to(request.auth).select_related("officer_in_case", "lpa", "operation")  # type: ignore[attr-defined]
    if status:
        rows = rows.filter(status=status)
    return ApiExport(rows=rows, record_type=access.RECORD_TYPE, filters={"Status": status} if status else {})


@router.post("/", response={201: InvestigationOut}, summary="Open an investigation")
def create_investigation(request: HttpRequest, payload: InvestigationIn) -> Status:
    _require_read(request)
    officer = _lookup(User, "pk", str(payload.officer_in_case), "officer_in_case")
    investigation = _call(
        services.investigation_create,
        actor=request.auth,  # type: ignore[attr-defined]
        title=payload.title,
        offences=payload.offences,
        officer_in_case=officer,
        lpa=_lookup(LPA, "code", payload.lpa, "lpa"),
        opened_on=payload.opened_on,
        crime_references=payload.crime_references,
        operation=_lookup(Operation, "name", payload.operation, "operation"),
        summary=payload.summary,
    )
    return Status(201, investigation)


@router.get("/disruptions", response=list[DisruptionOut], summary="The disruption log (police only)")
@paginate(AuditedApiPagination)
def list_disruptions(request: HttpRequest) -> ApiExport:
    _require_read(request)
    rows = Disruption.objects.visible_to(request.auth).select_related("lpa", "operation", "investigation")  # type: ignore[attr-defined]
    return ApiExport(rows=rows, record_type="investigations.disruption", filters={})


@router.post("/disruptions", response={201: DisruptionOut}, summary="Record a disruption")
def create_disruption(request: HttpRequest, payload: DisruptionIn) -> Status:
    _require_read(request)
    investigation = None
    if payload.investigation:
        investigation = access.get_investigation_for(request.auth, reference=payload.investigation)  # type: ignore[attr-defined]
    disruption = _call(
        services.disruption_record,
        actor=request.auth,  # type: ignore[attr-defined]
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        lpa=_lookup(LPA, "code", payload.lpa, "lpa"),
        quantity=payload.quantity,
        cash_amount=payload.cash_amount,
        drugs_description=payload.drugs_description,
        operation=_lookup(Operation, "name", payload.operation, "operation"),
        investigation=investigation,
        notes=payload.notes,
    )
    return Status(201, disruption)


@router.get("/{reference}", response=InvestigationOut, summary="One investigation")
def get_investigation(request: HttpRequest, reference: str) -> Investigation:
    return access.get_investigation_for(request.auth, reference=reference)  # type: ignore[attr-defined]
