"""The cases endpoints of the API (mounted at /api/v1/cases/).

Read-only: the cases the token holder's agency may see (every case for police with
``case.view_all``; for a partner, the cases their agency leads or has an active share of), with
the same rules as the pages (``socex.cases.access``). Reading one case is recorded in the audit
log, and every page of a list is recorded as an export with its filters.
"""

# No ``from __future__ import annotations`` here: django-ninja must see ``Query[...]`` as a
# real type when the module is imported.

import datetime as dt
import uuid

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from socex.audit.listing import ApiExport, AuditedApiPagination
from socex.cases import conf
from socex.cases.access import CHRONOLOGY_RECORD_TYPE, RECORD_TYPE, can_use_cases, get_case_for
from socex.cases.forms import CaseFilterForm, ChronologyFilterForm
from socex.cases.models import Case, ChronologyEntry
from socex.cases.vocab import category_label
from socex.sharing.services import shares_for

router = Router()

DETAIL_CHRONOLOGY = 100


class OrganisationRef(Schema):
    id: uuid.UUID
    name: str


class SubjectOut(Schema):
    person_id: int = Field(examples=[123])
    reference: str = Field(examples=["P-0000123"])
    display_name: str = Field(examples=["Kieran Smith"])
    date_of_birth: dt.date | None


class CaseOut(Schema):
    id: int = Field(examples=[42])
    reference: str = Field(examples=["CASE-2026-000042"])
    url: str = Field(description="The case page in the web app", examples=["/cases/42/"])
    status: str = Field(description="open, closure_requested or closed", examples=["open"])
    risk_level: str = Field(description="none, at_risk or significant", examples=["significant"])
    exploitation_types: list[str] = Field(examples=[["cce", "county_lines"]])
    lpa: str = Field(examples=["Walsall"])
    lead_agency: OrganisationRef
    keyworker: str | None = Field(examples=["Sam Whitfield"])
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    review_due: dt.date | None
    version: int = Field(description="Raised on every change to the case record")
    subjects: list[SubjectOut]


class ParticipantOut(Schema):
    organisation: OrganisationRef
    legal_basis: str
    scope: str = Field(description="What the share covers")
    until: dt.date


class RiskReviewOut(Schema):
    level: str
    previous_level: str
    reviewed_on: dt.date
    reason: str
    reviewer: str
    next_review_due: dt.date


class ChronologyOut(Schema):
    id: int
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    kind: str = Field(description="system or practitioner")
    category: str = Field(examples=["risk_review"])
    category_label: str = Field(examples=["Risk review"])
    agency: str | None
    author: str | None
    summary: str
    detail: str


class CaseDetailOut(CaseOut):
    summary: str
    flags: list[str]
    participants: list[ParticipantOut]
    risk_reviews: list[RiskReviewOut]
    chronology: list[ChronologyOut] = Field(description=f"The latest {DETAIL_CHRONOLOGY} entries, newest first")


class CaseFilters(Schema):
    reference: str = ""
    status: str = Field("", description="open, closure_requested, closed or all (default: not closed)")
    risk_level: str = ""
    exploitation_type: str = ""
    lpa: int | None = None
    mine: bool = Field(False, description="Only cases where you are the keyworker")
    review_overdue: bool = False


class ChronologyFilters(Schema):
    kind: str = ""
    category: str = ""
    agency: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _org(organisation: object) -> OrganisationRef:
    return OrganisationRef(id=organisation.pk, name=organisation.name)  # type: ignore[attr-defined]


def _case_out(case: Case) -> dict[str, object]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "url": reverse("cases:detail", args=[case.pk]),
        "status": case.status,
        "risk_level": case.risk_level,
        "exploitation_types": list(case.exploitation_types),
        "lpa": case.lpa.name,
        "lead_agency": _org(case.lead_agency),
        "keyworker": case.keyworker.full_name if case.keyworker else None,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "review_due": case.review_due,
        "version": case.version,
        "subjects": [
            SubjectOut(
                person_id=s.person_id,
                reference=s.person.reference,
                display_name=s.person.display_name,
                date_of_birth=s.person.date_of_birth,
            )
            for s in case.case_subjects.all()
        ],
    }


def _entry_out(entry: ChronologyEntry) -> ChronologyOut:
    return ChronologyOut(
        id=entry.pk,
        occurred_at=entry.occurred_at,
        recorded_at=entry.recorded_at,
        kind=entry.kind,
        category=entry.category,
        category_label=category_label(entry.category),
        agency=entry.agency.name if entry.agency else None,
        author=entry.author.full_name if entry.author else None,
        summary=entry.summary,
        detail=entry.detail,
    )


class _CaseRow(CaseOut):
    @staticmethod
    def resolve_url(case: Case) -> str:
        return reverse("cases:detail", args=[case.pk])

    @staticmethod
    def resolve_lpa(case: Case) -> str:
        return case.lpa.name

    @staticmethod
    def resolve_lead_agency(case: Case) -> OrganisationRef:
        return _org(case.lead_agency)

    @staticmethod
    def resolve_keyworker(case: Case) -> str | None:
        return case.keyworker.full_name if case.keyworker else None

    @staticmethod
    def resolve_subjects(case: Case) -> list[SubjectOut]:
        return _case_out(case)["subjects"]  # type: ignore[return-value]


class _EntryRow(ChronologyOut):
    @staticmethod
    def resolve_category_label(entry: ChronologyEntry) -> str:
        return category_label(entry.category)

    @staticmethod
    def resolve_agency(entry: ChronologyEntry) -> str | None:
        return entry.agency.name if entry.agency else None

    @staticmethod
    def resolve_author(entry: ChronologyEntry) -> str | None:
        return entry.author.full_name if entry.author else None


def _require_cases(request: HttpRequest) -> None:
    if not can_use_cases(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "Your roles do not include cases.")


@router.get("/", response=list[_CaseRow], summary="List the cases you can see")
@paginate(AuditedApiPagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> ApiExport:
    """Cases your agency may see, newest first (open and awaiting closure unless ``status`` says otherwise).

    A bad filter is a 422 naming it; without a cases role, 403. Every page returned is recorded
    in the audit log as an export, with the filters.
    """
    _require_cases(request)
    data: dict[str, str] = {}
    for name, value in filters.dict().items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value not in ("", None):
            data[name] = str(value)
    form = CaseFilterForm(data=data, user=request.auth)  # type: ignore[attr-defined]
    if not form.is_valid():
        raise HttpError(422, form.error_text())
    cases = form.filter(
        Case.objects.visible_to(request.auth)  # type: ignore[attr-defined]
        .select_related("lpa", "lead_agency", "keyworker")
        .prefetch_related("case_subjects__person")
        .order_by("-opened_at", "-id")
    )
    return ApiExport(rows=cases, record_type=RECORD_TYPE, filters=form.terms())


@router.get("/{case_id}", response=CaseDetailOut, summary="One case, with its subjects and latest chronology")
def get_case(request: HttpRequest, case_id: int) -> dict[str, object]:
    """One case; 404 if your agency may not see it. Reading it is recorded in the audit log."""
    case = get_case_for(request.auth, case_id)  # type: ignore[attr-defined]
    entries = case.chronology.select_related("agency", "author")[:DETAIL_CHRONOLOGY]
    flag_labels = conf.flag_labels()
    return {
        **_case_out(case),
        "summary": case.summary,
        "flags": [flag_labels.get(code, code) for code in case.flags],
        "participants": [
            ParticipantOut(
                organisation=_org(share.organisation),
                legal_basis=share.legal_basis.title,
                scope=share.scope,
                until=share.until,
            )
            for share in shares_for(case).active().select_related("organisation", "legal_basis")
        ],
        "risk_reviews": [
            RiskReviewOut(
                level=review.level,
                previous_level=review.previous_level,
                reviewed_on=review.reviewed_on,
                reason=review.reason,
                reviewer=review.reviewer.full_name,
                next_review_due=review.next_review_due,
            )
            for review in case.risk_reviews.select_related("reviewer")
        ],
        "chronology": [_entry_out(entry) for entry in entries],
    }


@router.get("/{case_id}/chronology", response=list[_EntryRow], summary="A case's chronology")
@paginate(AuditedApiPagination)
def list_chronology(request: HttpRequest, case_id: int, filters: Query[ChronologyFilters]) -> ApiExport:
    """Every entry of a case's chronology, newest first, with the page's filters (``date_from``
    and ``date_to`` as YYYY-MM-DD). 404 if your agency may not see the case."""
    case = get_case_for(request.auth, case_id)  # type: ignore[attr-defined]
    data = {k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in filters.dict().items() if v}
    form = ChronologyFilterForm(data=data, entries=ChronologyEntry.objects.filter(case=case))
    if not form.is_valid():
        raise HttpError(422, form.error_text())
    entries = form.filter(
        ChronologyEntry.objects.visible_to(request.auth).filter(case=case).select_related("agency", "author")  # type: ignore[attr-defined]
    )
    terms = form.terms()
    return ApiExport(rows=entries, record_type=CHRONOLOGY_RECORD_TYPE, filters={"Case": case.reference, **terms})
