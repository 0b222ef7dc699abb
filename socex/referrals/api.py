"""Referrals API (mounted at /api/v1/referrals/): a council or school system sends a referral and
reads back its status and the hub's outcome.

The same rules as the pages (``socex.referrals.access``) and the same service
(``services.referral_create``), so a referral sent here is checked, screened and numbered
exactly as one typed into the form. Bad input is a 422 whose ``detail`` names each field, in
django-ninja's own shape: ``[{"loc": ["body", "payload", "lpa"], "msg": "...", "type":
"value_error"}]``; nothing is written unless everything is valid.
"""

# No ``from __future__ import annotations`` here: django-ninja must see ``Query[...]`` as a real type.

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as ApiValidationError
from ninja.pagination import paginate

from socex.areas.models import LPA
from socex.audit.listing import ApiExport, AuditedApiPagination
from socex.people import normalise
from socex.people.forms import date_or_year
from socex.people.models import Person
from socex.referrals.access import RECORD_TYPE, can_refer, can_use_referrals, get_referral_for
from socex.referrals.forms import MineFilterForm
from socex.referrals.models import Referral
from socex.referrals.screening import tool_for
from socex.referrals.services import SubjectDetails, referral_create

router = Router()

# --- What comes back ---------------------------------------------------------------------------


class SubjectOut(Schema):
    name: str = Field(examples=["Kieran Smith"])
    person_reference: str | None = Field(description="The person index reference, once they are in the index")

    @staticmethod
    def resolve_person_reference(subject: Any) -> str | None:
        return subject.person.reference if subject.person else None


class ReferralOut(Schema):
    id: uuid.UUID
    reference: str | None = Field(description="REF-YYYY-NNNNNN; none while a draft", examples=["REF-2026-000123"])
    url: str = Field(description="The referral's page in the web app")
    status: str = Field(description="draft, submitted (awaiting triage) or triaged", examples=["submitted"])
    referrer: str
    referrer_agency: str
    lpa: str | None = Field(description="ONS code of the local policing area", examples=["E08000030"])
    subjects: list[SubjectOut]
    exploitation_types: list[str] = Field(examples=[["cce", "county_lines"]])
    tool_version: str = Field(description="The screening tool version used", examples=["1"])
    suggested_level: str = Field(description="none, at_risk or significant", examples=["significant"])
    confirmed_level: str = Field(examples=["significant"])
    override_reason: str
    submitted_at: dt.datetime | None
    triage_outcome: str = Field(
        description="new_case, existing_case, signposted or no_further_action; blank until triaged",
        examples=["new_case"],
    )
    triage_outcome_label: str = Field(examples=["Accepted into a new case"])
    triage_reason: str
    signposted_to: str
    triaged_at: dt.datetime | None
    case_reference: str | None = Field(examples=["CASE-2026-000045"])

    @staticmethod
    def resolve_url(referral: Referral) -> str:
        return referral.get_absolute_url()

    @staticmethod
    def resolve_referrer(referral: Referral) -> str:
        return referral.referrer.full_name

    @staticmethod
    def resolve_referrer_agency(referral: Referral) -> str:
        return referral.referrer_agency.name

    @staticmethod
    def resolve_lpa(referral: Referral) -> str | None:
        return referral.lpa.code if referral.lpa else None

    @staticmethod
    def resolve_subjects(referral: Referral) -> list[Any]:
        return list(referral.subjects.all())

    @staticmethod
    def resolve_triage_outcome_label(referral: Referral) -> str:
        return str(referral.get_triage_outcome_display()) if referral.triage_outcome else ""

    @staticmethod
    def resolve_case_reference(referral: Referral) -> str | None:
        return referral.case.reference if referral.case else None


def _out(referral: Referral) -> ReferralOut:
    return ReferralOut.from_orm(referral)


# --- What is sent ------------------------------------------------------------------------------


class SubjectIn(Schema):
    """Either ``person_id`` (someone in the index you can see, e.g. from /api/v1/people/match) or
    their details; at least a first or last name."""

    person_id: int | None = Field(None, examples=[123])
    given_name: str = Field("", examples=["Kieran"])
    family_name: str = Field("", examples=["Smith"])
    date_of_birth: str = Field("", description="03/02/2011, or just the year: 2011", examples=["03/02/2011"])
    postcode: str = Field("", examples=["WS2 8AA"])


class ReferralIn(Schema):
    subjects: list[SubjectIn] = Field(description="The children or adults referred (at least one)")
    lpa: str = Field(description="ONS code of the local policing area where they live", examples=["E08000030"])
    exploitation_types: list[str] = Field(
        description="cce, county_lines, cse, adult_criminal, adult_labour, adult_sexual, domestic_servitude, "
        "trafficking, other",
        examples=[["cce"]],
    )
    concern_summary: str = Field(description="What you are worried about")
    screening_answers: dict[str, str] = Field(
        description="Every indicator of the current screening tool (GET /screening-tool) answered current, "
        "earlier or not_present",
        examples=[{"missing_episodes": "current", "drug_misuse": "not_present"}],
    )
    confirmed_level: str = Field(
        "", description="none, at_risk or significant; blank to accept the tool's suggestion", examples=[""]
    )
    override_reason: str = Field("", description="Needed when confirmed_level differs from the suggestion")
    child_aware: str = Field(description="yes, no or not_known", examples=["yes"])
    family_aware: str = Field(description="yes, no or not_known", examples=["no"])
    awareness_detail: str = ""
    immediate_risks: str = Field(description="Any immediate risks, or 'None known'", examples=["None known"])


class ReferralFilters(Schema):
    status: str = Field("", description="draft, submitted or triaged")


class IndicatorOut(Schema):
    code: str
    text: str
    hint: str


class GroupOut(Schema):
    code: str
    title: str
    description: str
    indicators: list[IndicatorOut]


class ToolOut(Schema):
    version: str
    title: str
    timings: dict[str, str] = Field(description="Answer code -> what it means")
    groups: list[GroupOut]


# --- Checking what was sent --------------------------------------------------------------------


def _error(loc: list[str | int], message: str) -> dict[str, Any]:
    return {"type": "value_error", "loc": ["body", "payload", *loc], "msg": message}


def _subject(index: int, subject: SubjectIn, user: Any, errors: list[dict[str, Any]]) -> Person | SubjectDetails:
    loc: list[str | int] = ["subjects", index]
    if subject.person_id is not None:
        person = Person.objects.visible_to(user).filter(pk=subject.person_id).first()
        if person is None:
            errors.append(_error([*loc, "person_id"], f"There is no person {subject.person_id} that you can see."))
        return person or SubjectDetails()
    values: dict[str, Any] = {}
    before = len(errors)
    for name, clean in (
        ("given_name", lambda v: normalise.clean_name(v, label="given_name")),
        ("family_name", lambda v: normalise.clean_name(v, label="family_name")),
        ("postcode", normalise.clean_postcode),
        ("date_of_birth", date_or_year),
    ):
        try:
            values[name] = clean(getattr(subject, name))
        except ValidationError as error:
            errors.append(_error([*loc, name], " ".join(error.messages)))
    if len(errors) == before and not (values.get("given_name") or values.get("family_name")):
        errors.append(_error(loc, "Give the person's first or last name, or the person_id of someone in the index."))
    dob, precision = values.get("date_of_birth") or (None, "")
    return SubjectDetails(
        given_name=values.get("given_name", ""),
        family_name=values.get("family_name", ""),
        date_of_birth=dob,
        dob_precision=precision,
        postcode=values.get("postcode", ""),
    )


def _service_errors(error: ValidationError) -> list[dict[str, Any]]:
    if not hasattr(error, "error_dict"):
        return [_error([], " ".join(error.messages))]
    items = []
    for name, messages in error.message_dict.items():
        loc: list[str | int] = [*name.split(".")] if name.startswith("screening_answers.") else [name]
        items.append(_error(loc, " ".join(messages)))
    return items


# --- Endpoints ---------------------------------------------------------------------------------


@router.post("/", response={201: ReferralOut}, summary="Send a referral to the hub")
def submit_referral(request: HttpRequest, payload: ReferralIn) -> Status:
    """A complete referral, screened and numbered as the web form does, from you and your
    organisation. Subjects not in the index are added to it, held by your organisation. Each
    problem is a 422 naming the field and the rule; without ``referral.create``, 403."""
    user = request.auth  # type: ignore[attr-defined]
    if not can_refer(user):
        raise HttpError(403, "Your roles do not include making referrals.")
    errors: list[dict[str, Any]] = []
    if not payload.subjects:
        errors.append(_error(["subjects"], "Give at least one person you are referring."))
    subjects = [_subject(index, subject, user, errors) for index, subject in enumerate(payload.subjects)]
    lpa = LPA.objects.filter(code=payload.lpa.strip()).first()
    if lpa is None:
        errors.append(_error(["lpa"], f"There is no local policing area with the ONS code {payload.lpa!r}."))
    if errors:
        raise ApiValidationError(errors)
    try:
        referral = referral_create(
            actor=user,
            subjects=subjects,
            lpa=lpa,
            exploitation_types=payload.exploitation_types,
            concern_summary=payload.concern_summary,
            screening_answers=payload.screening_answers,
            confirmed_level=payload.confirmed_level or None,
            override_reason=payload.override_reason,
            child_aware=payload.child_aware,
            family_aware=payload.family_aware,
            awareness_detail=payload.awareness_detail,
            immediate_risks=payload.immediate_risks,
        )
    except ValidationError as error:
        raise ApiValidationError(_service_errors(error)) from None
    return Status(201, _out(referral))


@router.get("/", response=list[ReferralOut], summary="Your organisation's referrals")
@paginate(AuditedApiPagination)
def list_referrals(request: HttpRequest, filters: Query[ReferralFilters]) -> ApiExport:
    """The referrals your organisation has made, newest first, with each one's status and the hub's
    outcome and reason. Every page is recorded in the audit log as an export."""
    user = request.auth  # type: ignore[attr-defined]
    if not can_use_referrals(user):
        raise HttpError(403, "Your roles do not include referrals.")
    form = MineFilterForm(data={k: v for k, v in filters.dict().items() if v}, user=user)
    if not form.is_valid():
        raise HttpError(422, form.error_text())
    rows = form.filter(
        Referral.objects.visible_to(user)
        .filter(referrer_agency_id=user.organisation_id)
        .select_related("referrer", "referrer_agency", "lpa", "case")
        .prefetch_related("subjects__person")
        .order_by("-created_at")
    )
    return ApiExport(rows=rows, record_type=RECORD_TYPE, filters=form.terms())


@router.get("/screening-tool", response=ToolOut, summary="The current screening tool")
def screening_tool(request: HttpRequest) -> ToolOut:
    """The indicators to answer in ``screening_answers`` and what each answer means."""
    if not can_use_referrals(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "Your roles do not include referrals.")
    tool = tool_for()
    return ToolOut(
        version=tool.version,
        title=tool.title,
        timings=dict(tool.timings),
        groups=[
            GroupOut(
                code=g.code,
                title=g.title,
                description=g.description,
                indicators=[IndicatorOut(code=i.code, text=i.text, hint=i.hint) for i in g.indicators],
            )
            for g in tool.groups
        ],
    )


@router.get("/{referral_id}", response=ReferralOut, summary="One referral's status and outcome")
def get_referral(request: HttpRequest, referral_id: uuid.UUID) -> ReferralOut:
    """404 if you may not see it. Reading it is recorded in the audit log."""
    referral = get_referral_for(request.auth, pk=referral_id)  # type: ignore[attr-defined]
    return _out(referral)
