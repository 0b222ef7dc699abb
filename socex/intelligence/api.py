"""Intelligence API: submit a report, search reports, read one report (police only), and the
partner's sanitised copies of reports disseminated to their agency.

The same rules as the pages (``socex.intelligence.access``): a report the token's owner may not
see is a 404, search covers only the reports they may see, and partners reach nothing but the
sanitised text of what was disseminated to them. Every read of a report is audited; every search
is a SEARCH event (terms and result count), and every page of results handed to a script is also
an EXPORT event. Bad input is a 422 naming the field and the rule, in django-ninja's shape:
``[{"loc": ["body", "payload", "obtained_on"], "msg": "...", "type": "value_error"}]``.
"""

# No ``from __future__ import annotations``: django-ninja must see the real types.

import datetime as dt
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as ApiValidationError

from socex.accounts.models import Team
from socex.areas.models import LPA
from socex.audit.models import Action
from socex.audit.services import format_terms, record
from socex.intelligence import services
from socex.intelligence.access import (
    RECORD_TYPE,
    SharedReport,
    can_submit,
    can_use_intelligence,
    get_report_for,
    get_shared_report_for,
)
from socex.intelligence.forms import ReportSearchForm
from socex.intelligence.models import Report
from socex.intelligence.search import SearchHit, search_reports, search_shared_reports

router = Router()

MAX_LIMIT = 100
_TAGS = re.compile(r"</?mark[^>]*>")


# --- What comes back ---------------------------------------------------------------------------


class MentionOut(Schema):
    entity_id: int
    kind: str = Field(examples=["phone"])
    key: str = Field(
        description="The normal form: E.164 phone, registration without spaces, postcode...", examples=["+447700900123"]
    )
    label: str = Field(examples=["07700 900123"])
    text: str = Field(description="As written in the report", examples=["07700 900123"])


class ReportOut(Schema):
    reference: str = Field(examples=["INT-2026-0000123"])
    url: str = Field(examples=["/intelligence/reports/INT-2026-0000123/"])
    status: str = Field(description="submitted, evaluated, sanitised or published", examples=["published"])
    source_type: str = Field(description="officer, partner, public or other", examples=["partner"])
    obtained_on: dt.date
    lpa: str = Field(examples=["Walsall"])
    lpa_code: str = Field(examples=["E08000030"])
    text: str = Field(description="The original text (police only)")
    sanitised_text: str = Field(description="The only text that may be disseminated; blank until written")
    grading_scheme: str = Field(examples=["3x5x2"])
    grade: str = Field(description="As people write it: 2B P, or a legacy grade verbatim", examples=["2B P"])
    source_evaluation: str = Field(examples=["2"])
    intelligence_assessment: str = Field(examples=["B"])
    handling_code: str = Field(examples=["P"])
    handling_conditions: str
    legacy_grading: str = Field(description="A 5x5x5 grade exactly as recorded (legacy scheme only)")
    retention_group: str
    review_date: dt.date | None
    restricted_team: str | None = Field(description="The team the report is restricted to, if any")
    author: str
    evaluated_by: str | None
    created_at: dt.datetime
    mentions: list[MentionOut]


class HitOut(Schema):
    reference: str
    url: str
    position: int | None = Field(description="Place in the ranking (1 is the best match); null without search words")
    status: str
    obtained_on: dt.date
    lpa: str
    grade: str
    snippet: str = Field(description="Where the words were found, as plain text")
    snippet_html: str = Field(description="The same, HTML-escaped, with the words found in <mark>")


class SearchOut(Schema):
    count: int = Field(description="Reports matching (exact up to the count cap)")
    count_capped: bool = Field(description="More reports match than were counted")
    query: str = Field(
        description="The search as understood, after removing anything unsafe", examples=['drugs "county line"']
    )
    messages: list[str] = Field(description="What was changed about the search, or why nothing matched")
    items: list[HitOut]


class SharedReportOut(Schema):
    reference: str
    url: str
    lpa: str
    sanitised_text: str
    shared_by: str
    shared_at: dt.datetime
    until: dt.date
    legal_basis: str
    scope: str
    share_reference: str


class SharedHitOut(SharedReportOut):
    snippet_html: str


class SharedSearchOut(Schema):
    count: int
    query: str
    messages: list[str]
    items: list[SharedHitOut]


def _report(report: Report) -> ReportOut:
    return ReportOut(
        reference=report.reference,
        url=reverse("intelligence:report", args=[report.reference]),
        status=report.status,
        source_type=report.source_type,
        obtained_on=report.obtained_on,
        lpa=report.lpa.name,
        lpa_code=report.lpa.code,
        text=report.text,
        sanitised_text=report.sanitised_text,
        grading_scheme=report.grading_scheme,
        grade=report.grade_text,
        source_evaluation=report.source_evaluation,
        intelligence_assessment=report.intelligence_assessment,
        handling_code=report.handling_code,
        handling_conditions=report.handling_conditions,
        legacy_grading=report.legacy_grading,
        retention_group=report.retention_group,
        review_date=report.review_date,
        restricted_team=report.restricted_team.name if report.restricted_team else None,
        author=report.author.full_name,
        evaluated_by=report.evaluated_by.full_name if report.evaluated_by else None,
        created_at=report.created_at,
        mentions=[
            MentionOut(entity_id=m.entity_id, kind=m.entity.kind, key=m.entity.key, label=m.entity.label, text=m.text)
            for m in report.mentions.select_related("entity").order_by("id")
        ],
    )


def _hit(hit: SearchHit) -> HitOut:
    report = hit.report
    return HitOut(
        reference=report.reference,
        url=reverse("intelligence:report", args=[report.reference]),
        position=int(hit.rank) if hit.rank is not None else None,
        status=report.status,
        obtained_on=report.obtained_on,
        lpa=report.lpa.name,
        grade=report.grade_text,
        snippet=_plain(hit.snippet),
        snippet_html=str(hit.snippet),
    )


def _plain(html: str) -> str:
    from html import unescape

    return unescape(_TAGS.sub("", str(html)))


def _shared(shared: SharedReport) -> dict[str, Any]:
    return {
        "reference": shared.reference,
        "url": reverse("intelligence:shared", args=[shared.reference]),
        "lpa": shared.lpa,
        "sanitised_text": shared.sanitised_text,
        "shared_by": shared.shared_by_organisation,
        "shared_at": shared.shared_at,
        "until": shared.until,
        "legal_basis": shared.legal_basis,
        "scope": shared.scope,
        "share_reference": shared.share_reference,
    }


# --- What is sent ------------------------------------------------------------------------------


class ReportIn(Schema):
    source_type: str = Field(description="officer, partner, public or other", examples=["partner"])
    obtained_on: str = Field(description="The date obtained: 3/7/2024 or 2024-07-03", examples=["2024-07-03"])
    lpa: str = Field(description="The area: its ONS code or its name", examples=["E08000030"])
    text: str = Field(examples=["Source states the deal line for the 'Ky' line is 07700 900123."])
    restricted_team: uuid.UUID | None = Field(None, description="Restrict to this team of your organisation (its id)")


class SearchParams(Schema):
    q: str = Field("", description='Words, "a phrase", -word to leave out, OR, word* (anything else is dropped)')
    obtained_from: str = Field("", description="Reports obtained on or after, e.g. 1/4/2024")
    obtained_to: str = Field("", description="Reports obtained on or before")
    lpa: str = Field("", description="An area: its ONS code or name")
    source_evaluation: str = Field("", description="1, 2 or 3")
    intelligence_assessment: str = Field("", description="A to E")
    handling_code: str = Field("", description="P or C")
    status: str = Field("", description="submitted, evaluated, sanitised or published")
    entity: str = Field("", description="Only reports about this entity (its id)")
    group: str = Field("", description="Only reports about this county line or group (its id)")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000)


class SharedParams(Schema):
    q: str = ""
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=100_000)


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def _error(loc: list[str], message: str) -> dict[str, Any]:
    return {"type": "value_error", "loc": loc, "msg": message}


def _date(raw: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _lpa(raw: str) -> LPA | None:
    raw = raw.strip()
    return LPA.objects.filter(code__iexact=raw).first() or LPA.objects.filter(name__iexact=raw).first()


def _service_errors(error: ValidationError) -> list[dict[str, Any]]:
    if not hasattr(error, "error_dict"):
        return [_error(["body", "payload"], " ".join(error.messages))]
    return [_error(["body", "payload", name], " ".join(messages)) for name, messages in error.message_dict.items()]


# --- Endpoints ---------------------------------------------------------------------------------


@router.post("/reports", response={201: ReportOut}, summary="Submit an intelligence report")
def create_report(request: HttpRequest, payload: ReportIn) -> Status:
    """A new report from your organisation, starting *submitted* (``intel.create``, police only).
    It is graded later by someone else. Bad values are a 422 naming each field and the rule."""
    user = request.auth  # type: ignore[attr-defined]
    if not can_submit(user):
        raise HttpError(403, "You need the intel.create capability, in a police organisation, to submit intelligence.")
    errors = []
    obtained_on = _date(payload.obtained_on)
    if obtained_on is None:
        errors.append(_error(["body", "payload", "obtained_on"], "Give the date obtained like 2024-07-03 or 3/7/2024."))
    lpa = _lpa(payload.lpa)
    if lpa is None:
        errors.append(
            _error(["body", "payload", "lpa"], f"'{payload.lpa[:40]}' is not an area: give its ONS code or name.")
        )
    team = None
    if payload.restricted_team is not None:
        team = Team.objects.filter(pk=payload.restricted_team).first()
        if team is None:
            errors.append(_error(["body", "payload", "restricted_team"], "No team has that id."))
    if errors:
        raise ApiValidationError(errors)
    assert obtained_on is not None
    assert lpa is not None
    try:
        report = services.report_submit(
            actor=user,
            source_type=payload.source_type,
            obtained_on=obtained_on,
            lpa=lpa,
            text=payload.text,
            restricted_team=team,
        )
    except ValidationError as error:
        raise ApiValidationError(_service_errors(error)) from None
    return Status(201, _report(report))


def _search_form_data(params: SearchParams) -> dict[str, str]:
    data = {
        name: str(value) for name, value in params.dict(exclude={"limit", "offset"}).items() if value not in ("", None)
    }
    if "lpa" in data:
        lpa = _lpa(data["lpa"])
        data["lpa"] = str(lpa.pk) if lpa else "unknown"
    return data


@router.get("/reports", response=SearchOut, summary="Search intelligence reports")
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    """Reports you may see, ranked by relevance to ``q`` (newest first without words), with
    highlighted snippets and filters. Any text is accepted in ``q``: quotes, operators and
    symbols are made safe, a long query is shortened and ``messages`` says so. Recorded in the
    audit log as a search, and the page handed over as an export."""
    user = request.auth  # type: ignore[attr-defined]
    if not can_use_intelligence(user):
        raise HttpError(403, "Your roles do not include intelligence.")
    form = ReportSearchForm(data=_search_form_data(params), user=user)
    if not form.is_valid():
        raise ApiValidationError(
            [_error(["query", name], " ".join(str(m) for m in messages)) for name, messages in form.errors.items()]
        )
    results = search_reports(user, form.query(), form.report_filters(), params.limit, params.offset)
    terms = {"Search": results.query.text, **results.filters.terms()} if params.q.strip() else results.filters.terms()
    record(
        Action.EXPORT,
        object_type=RECORD_TYPE,
        export_count=len(results.hits),
        search_terms=format_terms(terms),
        detail={"channel": "api", "offset": params.offset, "limit": params.limit, "total": results.total},
    )
    return SearchOut(
        count=results.total,
        count_capped=results.count_capped,
        query=results.query.text,
        messages=results.messages,
        items=[_hit(hit) for hit in results.hits],
    )


@router.get("/reports/{reference}", response=ReportOut, summary="One intelligence report (police only)")
def get_report(request: HttpRequest, reference: str) -> ReportOut:
    """One report with its original text, grade and entities: 404 if you may not see it. Partners
    never can; they read the sanitised copies under ``/shared``. The read is audited."""
    report = get_report_for(request.auth, reference=reference)  # type: ignore[attr-defined]
    return _report(report)


@router.get("/shared", response=SharedSearchOut, summary="Sanitised reports shared with your organisation")
def shared_reports(request: HttpRequest, params: Query[SharedParams]) -> SharedSearchOut:
    """The published reports disseminated to your agency, as their sanitised text only (never
    the original, the grade or the source), optionally searched with ``q``."""
    results = search_shared_reports(request.auth, params.q, params.limit, params.offset)  # type: ignore[attr-defined]
    if results.hits:
        record(
            Action.EXPORT,
            object_type=RECORD_TYPE,
            export_count=len(results.hits),
            search_terms=format_terms({"Search (shared reports)": results.query.text} if params.q.strip() else {}),
            detail={"channel": "api", "shown": "sanitised copies", "offset": params.offset, "limit": params.limit},
        )
    return SharedSearchOut(
        count=results.total,
        query=results.query.text,
        messages=results.messages,
        items=[SharedHitOut(**_shared(hit.report), snippet_html=str(hit.snippet)) for hit in results.hits],
    )


@router.get("/shared/{reference}", response=SharedReportOut, summary="One sanitised report shared with you")
def shared_report(request: HttpRequest, reference: str) -> SharedReportOut:
    """The sanitised copy of one report disseminated to your agency; 404 otherwise. Audited."""
    shared = get_shared_report_for(request.auth, reference)  # type: ignore[attr-defined]
    return SharedReportOut(**_shared(shared))
