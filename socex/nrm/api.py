"""NRM API (mounted at /api/v1/nrm/): start a referral, record its submission and decisions, read its status.

The same rules as the pages: ``socex.nrm.access`` decides who sees what (a record you may not see
is a 404; one you may see but not change, a 403) and every change goes through ``socex.nrm.services``,
so a broken rule is a 422 whose message names the rule, at the field it concerns:
``{"detail": [{"loc": ["body", "payload", "decided_on"], "msg": "Minimum recovery period: ...",
"type": "value_error"}]}``. Reading a record is recorded in the audit log; the list is paged and
each page is recorded as an export.
"""

# No ``from __future__ import annotations``: django-ninja must see the real types.

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as ApiValidationError
from ninja.pagination import paginate

from socex.areas.models import LPA
from socex.audit.listing import ApiExport, AuditedApiPagination
from socex.nrm import rules, services
from socex.nrm.access import REFERRAL_RECORD, can_use_nrm, get_dtn_for, get_referral_for
from socex.nrm.clocks import clock_for, with_decisions
from socex.nrm.models import Decision, DutyToNotify, NrmReferral

router = Router()


# --- What comes back -------------------------------------------------------------------------


class DecisionOut(Schema):
    stage: str = Field(examples=["rg"])
    outcome: str = Field(examples=["positive"])
    decided_on: dt.date
    decision_maker: str = Field(examples=["sca"])
    decision_maker_label: str = Field(examples=["Single Competent Authority"])
    guidance_version: str = Field(examples=["3.11"])
    on_reconsideration: bool


class SupportOut(Schema):
    provider: str
    provider_label: str
    referred_on: dt.date
    status: str
    status_on: dt.date


class ReferralSummaryOut(Schema):
    id: UUID
    reference: str = Field(examples=["NRM-2025-000012"])
    url: str
    status: str = Field(examples=["awaiting_rg"])
    status_label: str
    lpa: str
    referred_on: dt.date
    submitted_on: dt.date | None


class ReferralListItemOut(ReferralSummaryOut):
    """A referral in the list (read from the record itself)."""

    @staticmethod
    def resolve_url(obj: NrmReferral) -> str:
        return reverse("nrm:referral", args=[obj.pk])

    @staticmethod
    def resolve_status_label(obj: NrmReferral) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_lpa(obj: NrmReferral) -> str:
        return obj.lpa.name


class ReferralStatusOut(ReferralSummaryOut):
    person_id: int
    case_id: int | None
    first_responder: str
    age_group: str = Field(examples=["child"])
    consent: str = Field(examples=["not_needed"])
    exploitation_types: list[str] = Field(examples=[["forced-to-commit-crime"]])
    county_lines: bool
    ho_reference: str
    guidance_version: str
    rg_due: dt.date | None = Field(description="Target date of the reasonable grounds decision (working days)")
    rg_overdue: bool = Field(description="Awaited longer than the target number of working days")
    rg_working_days: int | None = Field(description="Working days from submission to the decision, or to today")
    recovery_period_end: dt.date | None = Field(description="Earliest date of a conclusive decision")
    recovery_period_passed: bool
    cg_days_waiting: int | None = Field(description="Days since the positive reasonable grounds decision")
    decisions: list[DecisionOut]
    support: list[SupportOut]


class DtnOut(Schema):
    id: UUID
    reference: str = Field(examples=["DTN-2025-000003"])
    url: str
    lpa: str
    reported_on: dt.date
    submitted_on: dt.date | None
    gender: str
    nationality: str
    exploitation_types: list[str]
    county_lines: bool
    location: str
    ho_reference: str


class StartedOut(Schema):
    kind: str = Field(description="referral, or dtn when an adult refused consent", examples=["referral"])
    id: UUID
    reference: str
    url: str


def _decision(decision: Decision) -> DecisionOut:
    return DecisionOut(
        stage=decision.stage,
        outcome=decision.outcome,
        decided_on=decision.decided_on,
        decision_maker=decision.decision_maker,
        decision_maker_label=rules.decision_maker_label(decision.decision_maker),
        guidance_version=decision.guidance_version,
        on_reconsideration=decision.on_reconsideration_id is not None,
    )


def _summary(referral: NrmReferral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "reference": referral.reference,
        "url": reverse("nrm:referral", args=[referral.pk]),
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "lpa": referral.lpa.name,
        "referred_on": referral.referred_on,
        "submitted_on": referral.submitted_on,
    }


def _status(referral: NrmReferral) -> ReferralStatusOut:
    referral = with_decisions(NrmReferral.objects.filter(pk=referral.pk)).get()
    clock = clock_for(referral)
    return ReferralStatusOut(
        **_summary(referral),
        person_id=referral.person_id,
        case_id=referral.case_id,
        first_responder=referral.first_responder.name,
        age_group=referral.age_group,
        consent=referral.consent,
        exploitation_types=list(referral.exploitation_types),
        county_lines=referral.county_lines,
        ho_reference=referral.ho_reference,
        guidance_version=referral.guidance_version,
        rg_due=clock.rg_due,
        rg_overdue=clock.rg_overdue,
        rg_working_days=clock.rg_working_days,
        recovery_period_end=clock.recovery_period_end,
        recovery_period_passed=clock.recovery_period_passed,
        cg_days_waiting=clock.cg_days_waiting,
        decisions=[_decision(d) for d in clock.decisions],
        support=[
            SupportOut(
                provider=s.provider,
                provider_label=s.provider_label,
                referred_on=s.referred_on,
                status=s.status,
                status_on=s.status_on,
            )
            for s in referral.support_referrals.all()
        ],
    )


def _dtn(report: DutyToNotify) -> DtnOut:
    return DtnOut(
        id=report.pk,
        reference=report.reference,
        url=reverse("nrm:dtn", args=[report.pk]),
        lpa=report.lpa.name,
        reported_on=report.reported_on,
        submitted_on=report.submitted_on,
        gender=report.gender,
        nationality=report.nationality,
        exploitation_types=list(report.exploitation_types),
        county_lines=report.county_lines,
        location=report.location,
        ho_reference=report.ho_reference,
    )


# --- What is sent ------------------------------------------------------------------------------


class ReferralIn(Schema):
    person_id: int = Field(description="The potential victim, a person in the index you may see", examples=[123])
    case_id: int | None = Field(None, description="The case it is made from, if any (the person must be a subject)")
    under_18: str = Field(description="yes, no or not-sure (not sure: treated as a child)", examples=["not-sure"])
    consent: str = Field("", description="Adults: given (with consent_on) or refused (a DtN report is made instead)")
    consent_on: dt.date | None = None
    refusal_reason: str = ""
    lpa: str = Field(description="The LPA's ONS code or name", examples=["E08000030"])
    exploitation_types: list[str] = Field(
        description="Codes of the label set: forced-to-work, wages-taken, forced-to-commit-fraud, prostitution, "
        "child-exploitation, taken-somewhere, forced-to-commit-crime, organs-removed, unpaid-household-work, other",
        examples=[["forced-to-commit-crime"]],
    )
    other_exploitation: str = ""
    county_lines: bool = False
    location: str = Field("unknown", description="uk, overseas, uk-and-overseas or unknown")
    uk_locations: list[str] = Field(default_factory=list, examples=[["Walsall"]])
    countries: list[str] = Field(default_factory=list)
    narrative: str = ""
    indicators: str = ""
    gender: str = Field("", description="female, male, other or unknown; blank: from the person index")
    nationality: str = Field("", description="Blank: from the person index")
    officer_role: str = ""
    officer_phone: str = ""
    referred_on: dt.date | None = Field(None, description="The date the referral was started (default today)")


class SubmissionIn(Schema):
    submitted_on: dt.date
    ho_reference: str = ""


class DecisionIn(Schema):
    stage: str = Field(description="rg or cg", examples=["rg"])
    outcome: str = Field(description="positive, negative or withdrawn", examples=["positive"])
    decided_on: dt.date
    decision_maker: str = Field(description="sca, ieca or devolved_panel", examples=["sca"])
    notes: str = ""


# --- Helpers -----------------------------------------------------------------------------------


def _require_nrm(request: HttpRequest) -> None:
    if not can_use_nrm(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "Your roles do not include NRM referrals.")


def _unprocessable(error: ValidationError) -> ApiValidationError:
    if not hasattr(error, "error_dict"):
        return ApiValidationError(
            [{"type": "value_error", "loc": ["body", "payload"], "msg": " ".join(error.messages)}]
        )
    return ApiValidationError(
        [
            {"type": "value_error", "loc": ["body", "payload", name], "msg": " ".join(messages)}
            for name, messages in error.message_dict.items()
        ]
    )


def _lpa(value: str) -> LPA:
    lpa = LPA.objects.filter(Q(code__iexact=value.strip()) | Q(name__iexact=value.strip())).first()
    if lpa is None:
        raise ApiValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["body", "payload", "lpa"],
                    "msg": f"No LPA with the code or name {value!r}.",
                }
            ]
        )
    return lpa


def _edit(request: HttpRequest, referral_id: UUID) -> NrmReferral:
    try:
        return get_referral_for(request.auth, need="edit", pk=referral_id)  # type: ignore[attr-defined]
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from None


# --- Endpoints ---------------------------------------------------------------------------------


@router.post("/referrals", response={201: StartedOut}, summary="Start an NRM referral")
def create_referral(request: HttpRequest, payload: ReferralIn) -> Status:
    """Start a referral for a person, made by your organisation (which must be on the first responder
    list). An adult needs consent (``consent: given`` with ``consent_on``); an adult who refused
    (``consent: refused``) is not referred: a Duty to Notify report is made instead (``kind: dtn``),
    which keeps no name or link to the person."""
    _require_nrm(request)
    from socex.cases.access import get_case_for
    from socex.people.models import Person

    user = request.auth  # type: ignore[attr-defined]
    person = Person.objects.visible_to(user).filter(pk=payload.person_id).first()
    if person is None:
        raise HttpError(404, "No person with that id that you may see.")
    case = get_case_for(user, pk=payload.case_id) if payload.case_id is not None else None
    facts = services.ExploitationFacts(
        lpa=_lpa(payload.lpa),
        exploitation_types=payload.exploitation_types,
        location=payload.location,
        uk_locations=payload.uk_locations,
        countries=payload.countries,
        other_exploitation=payload.other_exploitation,
        county_lines=payload.county_lines,
        narrative=payload.narrative,
        gender=payload.gender,
        nationality=payload.nationality,
        officer_role=payload.officer_role,
        officer_phone=payload.officer_phone,
    )
    try:
        record = services.nrm_start(
            actor=user,
            person=person,
            under_18=payload.under_18,
            facts=facts,
            consent=payload.consent,
            consent_on=payload.consent_on,
            refusal_reason=payload.refusal_reason,
            case=case,
            indicators=payload.indicators,
            referred_on=payload.referred_on,
        )
    except ValidationError as error:
        raise _unprocessable(error) from None
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from None
    if isinstance(record, DutyToNotify):
        return Status(
            201,
            StartedOut(kind="dtn", id=record.pk, reference=record.reference, url=reverse("nrm:dtn", args=[record.pk])),
        )
    return Status(
        201,
        StartedOut(
            kind="referral", id=record.pk, reference=record.reference, url=reverse("nrm:referral", args=[record.pk])
        ),
    )


@router.get("/referrals", response=list[ReferralListItemOut], summary="NRM referrals you may see")
@paginate(AuditedApiPagination)
def list_referrals(request: HttpRequest, status: str = "") -> ApiExport:
    """Every referral you may see, latest started first; ``status`` narrows it (e.g. ``awaiting_rg``).
    Each page is recorded in the audit log as an export."""
    _require_nrm(request)
    rows = NrmReferral.objects.visible_to(request.auth).select_related("lpa").order_by("-referred_on", "reference")  # type: ignore[attr-defined]
    filters = {}
    if status:
        rows = rows.filter(status=status)
        filters["Status"] = status
    return ApiExport(rows=rows, record_type=REFERRAL_RECORD, filters=filters)  # type: ignore[return-value]


@router.get("/referrals/{referral_id}", response=ReferralStatusOut, summary="A referral's status and clocks")
def referral_status(request: HttpRequest, referral_id: UUID) -> ReferralStatusOut:
    """Where the referral stands: its decisions, the reasonable grounds clock (working days, England
    and Wales bank holidays excluded), the recovery period and the conclusive grounds wait. 404 if
    you may not see it; the read is recorded in the audit log."""
    referral = get_referral_for(request.auth, pk=referral_id)  # type: ignore[attr-defined]
    return _status(referral)


@router.post("/referrals/{referral_id}/submission", response=ReferralStatusOut, summary="Record the submission")
def submit_referral(request: HttpRequest, referral_id: UUID, payload: SubmissionIn) -> ReferralStatusOut:
    """Record that the referral was sent to the Home Office, with its reference."""
    referral = _edit(request, referral_id)
    try:
        services.nrm_referral_submit(
            actor=request.auth,  # type: ignore[attr-defined]
            referral=referral,
            submitted_on=payload.submitted_on,
            ho_reference=payload.ho_reference,
        )
    except ValidationError as error:
        raise _unprocessable(error) from None
    return _status(referral)


@router.post("/referrals/{referral_id}/decisions", response={201: ReferralStatusOut}, summary="Record a decision")
def record_decision(request: HttpRequest, referral_id: UUID, payload: DecisionIn) -> Status:
    """Record a reasonable or conclusive grounds decision. Refused (422, naming the rule) if it is
    dated in the future or before the submission, a conclusive decision comes before its positive
    reasonable grounds decision or before the end of the minimum recovery period, or the decision
    maker may not decide for this person."""
    referral = _edit(request, referral_id)
    try:
        services.decision_record(actor=request.auth, referral=referral, **payload.dict())  # type: ignore[attr-defined]
    except ValidationError as error:
        raise _unprocessable(error) from None
    return Status(201, _status(referral))


@router.get("/dtn/{report_id}", response=DtnOut, summary="A Duty to Notify report")
def dtn_report(request: HttpRequest, report_id: UUID) -> DtnOut:
    """One anonymous Duty to Notify report; 404 if you may not see it. The read is audited."""
    return _dtn(get_dtn_for(request.auth, pk=report_id))  # type: ignore[attr-defined]
