"""People API: search and match against the person index, add a person, read one person.

The same rules as the pages (``socex.people.access``): only people the token's owner may see are
searched or returned, a person they may not see is a 404, and reading one is recorded in the
audit log. Every search and match is recorded as a SEARCH event with what was asked and how many
candidates came back. Search results are ranked candidates (at most ``limit``, most likely
first), not a list to page through, so they are not paged.

Bad input is a 422 whose ``detail`` names each field, in the same shape as django-ninja's own
validation errors: ``[{"loc": ["body", "payload", "date_of_birth"], "msg": "...", "type":
"value_error"}]``. The messages are the ones the pages show.
"""

# No ``from __future__ import annotations`` here: django-ninja must see ``Query[...]`` as a
# real type when the module is imported.

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as ApiValidationError

from socex.audit.services import record_search
from socex.people import normalise, services
from socex.people.access import RECORD_TYPE, can_create, can_use_index, get_person_for, markers_visible_to
from socex.people.details import PersonDetails
from socex.people.forms import PersonSearchForm
from socex.people.matching import Candidate, match_person
from socex.people.models import DobPrecision, Person

router = Router()

MAX_LIMIT = 50

# --- What comes back ---------------------------------------------------------------------------


class PersonSummaryOut(Schema):
    id: int = Field(examples=[123])
    reference: str = Field(examples=["P-0000123"])
    url: str = Field(description="The person's page in the web app", examples=["/people/123/"])
    display_name: str = Field(examples=["Kieran Smith"])
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: dt.date | None = Field(
        description="Exact, or the middle of the range when only a year or an age is known"
    )
    dob_precision: str = Field(description="exact, year or age; blank if not known", examples=["exact"])
    postcodes: list[str] = Field(description="Current address first", examples=[["WS2 8AA"]])


class ReasonOut(Schema):
    field: str = Field(examples=["family_name"])
    outcome: str = Field(description="agree, partial, disagree or missing", examples=["partial"])
    text: str = Field(examples=["surname sounds alike (Smyth/Smith)"])


class CandidateOut(Schema):
    person: PersonSummaryOut
    probability: float = Field(description="Match probability, 0 to 1", examples=[0.9987])
    percent: int = Field(description="The probability as a whole percentage, at most 99", examples=[99])
    band: str = Field(description="Very likely, Likely or Possible", examples=["Very likely"])
    match_weight: float = Field(description="Fellegi-Sunter match weight (log2 odds)", examples=[9.8])
    summary: str = Field(
        examples=["First name is a known variant (Kiernan/Kieran); surname sounds alike (Smyth/Smith)."]
    )
    reasons: list[ReasonOut]


class CandidatesOut(Schema):
    count: int
    items: list[CandidateOut]


class AliasOut(Schema):
    kind: str = Field(examples=["nickname"])
    given_name: str = Field(examples=["Ky"])
    family_name: str


class IdentifierOut(Schema):
    kind: str = Field(examples=["nhs"])
    value: str = Field(examples=["9434765919"])
    issued_by: str


class AddressOut(Schema):
    line_1: str
    line_2: str
    town: str
    postcode: str = Field(examples=["WS2 8AA"])
    date_from: dt.date | None
    date_to: dt.date | None
    current: bool


class PhoneOut(Schema):
    number: str = Field(description="E.164", examples=["+447700900123"])
    display: str = Field(examples=["07700 900123"])
    label: str


class MarkerOut(Schema):
    kind: str = Field(examples=["missing"])
    label: str = Field(examples=["Goes missing"])
    detail: str
    date_from: dt.date
    date_to: dt.date | None
    current: bool


class HoldingOut(Schema):
    organisation: str = Field(examples=["Walsall Council Early Help"])
    local_reference: str


class PersonOut(PersonSummaryOut):
    middle_names: str
    gender: str = Field(examples=["male"])
    gender_self_described: str
    ethnicity: str = Field(description="ONS 2021 code", examples=["W1"])
    ethnicity_label: str
    ethnicity_self_described: str
    nationality: str
    notes: str
    owner: str = Field(description="The organisation that created the record")
    merged_into: str | None = Field(description="The reference of the record this one was merged into")
    aliases: list[AliasOut]
    identifiers: list[IdentifierOut]
    addresses: list[AddressOut]
    phones: list[PhoneOut]
    emails: list[str]
    markers: list[MarkerOut]
    holdings: list[HoldingOut]
    created_at: dt.datetime


def _summary(person: Person, postcodes: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": person.pk,
        "reference": person.reference,
        "url": reverse("people:person", args=[person.pk]),
        "display_name": person.display_name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "date_of_birth": person.date_of_birth,
        "dob_precision": person.dob_precision,
        "postcodes": postcodes
        if postcodes is not None
        else [address.postcode for address in person.addresses.all() if address.postcode],
    }


def _candidate(candidate: Candidate) -> CandidateOut:
    return CandidateOut(
        person=PersonSummaryOut(**_summary(candidate.person, candidate.postcodes)),
        probability=round(candidate.probability, 6),
        percent=candidate.percent,
        band=candidate.band,
        match_weight=round(candidate.match_weight, 3),
        summary=candidate.summary,
        reasons=[ReasonOut(field=r.field, outcome=r.outcome, text=r.text) for r in candidate.reasons],
    )


def _person(person: Person, user: Any) -> PersonOut:
    return PersonOut(
        **_summary(person),
        middle_names=person.middle_names,
        gender=person.gender,
        gender_self_described=person.gender_self_described,
        ethnicity=person.ethnicity,
        ethnicity_label=person.get_ethnicity_display(),
        ethnicity_self_described=person.ethnicity_self_described,
        nationality=person.nationality,
        notes=person.notes,
        owner=person.owner.name,
        merged_into=person.merged_into.reference if person.merged_into else None,
        aliases=[
            AliasOut(kind=a.kind, given_name=a.given_name, family_name=a.family_name) for a in person.aliases.all()
        ],
        identifiers=[
            IdentifierOut(kind=i.kind, value=i.value, issued_by=i.issued_by) for i in person.identifiers.all()
        ],
        addresses=[
            AddressOut(
                line_1=a.line_1,
                line_2=a.line_2,
                town=a.town,
                postcode=a.postcode,
                date_from=a.date_from,
                date_to=a.date_to,
                current=a.is_current,
            )
            for a in person.addresses.all()
        ],
        phones=[
            PhoneOut(number=p.number, display=normalise.display_phone(p.number), label=p.label)
            for p in person.phones.all()
        ],
        emails=[e.address for e in person.emails.all()],
        markers=[
            MarkerOut(
                kind=m.kind,
                label=m.get_kind_display(),
                detail=m.detail,
                date_from=m.date_from,
                date_to=m.date_to,
                current=m.is_current,
            )
            for m in markers_visible_to(user, person)
        ],
        holdings=[
            HoldingOut(organisation=h.organisation.name, local_reference=h.local_reference)
            for h in person.holdings.select_related("organisation")
        ],
        created_at=person.created_at,
    )


# --- What is sent ------------------------------------------------------------------------------


class NameIn(Schema):
    given_name: str = ""
    family_name: str = ""


class IdentifierIn(Schema):
    kind: str = Field(description="pnc, nhs, upn, la, passport or other", examples=["nhs"])
    value: str = Field(examples=["943 476 5919"])


class DetailsIn(Schema):
    """A person's identifying details. Every field is optional; give as many as you know."""

    given_name: str = Field("", examples=["Kiernan"])
    family_name: str = Field("", examples=["Smyth"])
    middle_names: str = ""
    preferred_name: str = ""
    aliases: list[NameIn] = Field(default_factory=list, description="Other names, street names, nicknames")
    date_of_birth: str = Field(
        "",
        description="03/02/2011 or 2011-02-03; with dob_precision 'year', just the year (2011)",
        examples=["03/02/2011"],
    )
    dob_precision: str = Field("", description="exact (the default), year, or age (then give age)")
    age: int | None = Field(None, description="With dob_precision 'age': their age in years", examples=[15])
    age_on: str = Field("", description="The date they were that age (today if blank)")
    gender: str = Field("", description="female, male, self or unknown")
    postcodes: list[str] = Field(default_factory=list, description="Current first", examples=[["WS2 8AA"]])
    phones: list[str] = Field(default_factory=list, examples=[["07700 900123"]])
    emails: list[str] = Field(default_factory=list, examples=[["kieran@family.example"]])
    identifiers: list[IdentifierIn] = Field(default_factory=list)


class MatchIn(DetailsIn):
    limit: int = Field(10, ge=1, le=MAX_LIMIT, description="At most this many candidates")


class AddressIn(Schema):
    line_1: str = Field("", examples=["12 Park Road"])
    line_2: str = ""
    town: str = Field("", examples=["Walsall"])
    postcode: str = Field(examples=["WS2 8AA"])
    date_from: str = Field("", description="When they moved in, e.g. 01/09/2023")
    date_to: str = Field("", description="When they left; blank if they still live there")


class PersonIn(DetailsIn):
    gender_self_described: str = ""
    ethnicity: str = Field("", description="ONS 2021 code, e.g. W1, B2; NS for not stated", examples=["W1"])
    ethnicity_self_described: str = ""
    nationality: str = Field("", examples=["British"])
    notes: str = ""
    addresses: list[AddressIn] = Field(
        default_factory=list, description="With lines and dates; replaces 'postcodes' when given"
    )
    holding_reference: str = Field("", description="Your organisation's own reference for this person")


class SearchParams(Schema):
    q: str = Field("", description="A name as typed: 'Kieran Smith' (the last word is the surname)")
    given_name: str = ""
    family_name: str = ""
    date_of_birth: str = Field("", description="03/02/2011, or a year: 2011")
    postcode: str = ""
    phone: str = ""
    identifier_kind: str = Field("", description="pnc, nhs, upn, la, passport or other")
    identifier: str = ""
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


# --- Checking what was sent --------------------------------------------------------------------


class _Errors:
    """Field-level messages in django-ninja's 422 shape."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.items: list[dict[str, Any]] = []

    def add(self, loc: list[str | int], message: str) -> None:
        self.items.append({"type": "value_error", "loc": [*self.where.split("."), *loc], "msg": message})

    def check[T](self, loc: list[str | int], default: T, clean: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``clean(*args, **kwargs)``, or ``default`` with the message recorded at ``loc``."""
        try:
            return clean(*args, **kwargs)
        except ValidationError as error:
            self.add(loc, " ".join(error.messages))
            return default

    def raise_if_any(self) -> None:
        if self.items:
            raise ApiValidationError(self.items)


def _date_of_birth(payload: DetailsIn, errors: _Errors) -> tuple[dt.date | None, str]:
    precision = payload.dob_precision or DobPrecision.EXACT
    if precision not in DobPrecision.values:
        errors.add(["dob_precision"], "dob_precision must be exact, year or age.")
        return None, ""
    if precision == DobPrecision.AGE:
        if payload.age is None:
            return None, ""
        on = errors.check(["age_on"], None, normalise.parse_date, payload.age_on, label="age_on")
        dob = errors.check(["age"], None, normalise.date_from_age, payload.age, on)
        return dob, DobPrecision.AGE if dob else ""
    raw = payload.date_of_birth.strip()
    if not raw:
        return None, ""
    if precision == DobPrecision.YEAR:
        if not re.fullmatch(r"\d{4}", raw):
            errors.add(["date_of_birth"], "With dob_precision 'year', give the year of birth as 4 digits, like 2011.")
            return None, ""
        return errors.check(["date_of_birth"], None, normalise.date_from_year, int(raw)), DobPrecision.YEAR
    return errors.check(["date_of_birth"], None, normalise.parse_date, raw), DobPrecision.EXACT


def _cleaned_list(values: list[str], name: str, clean: Callable[[str], str], errors: _Errors) -> list[str]:
    cleaned = [errors.check([name, index], "", clean, value) for index, value in enumerate(values)]
    return [value for value in cleaned if value]


def details_from(payload: DetailsIn, errors: _Errors) -> PersonDetails:
    """The payload as clean ``PersonDetails``; every bad value is added to ``errors``."""
    names = {
        name: errors.check([name], "", normalise.clean_name, getattr(payload, name))
        for name in ("given_name", "family_name", "middle_names", "preferred_name")
    }
    aliases = []
    for index, alias in enumerate(payload.aliases):
        given = errors.check(["aliases", index, "given_name"], "", normalise.clean_name, alias.given_name)
        family = errors.check(["aliases", index, "family_name"], "", normalise.clean_name, alias.family_name)
        if given or family:
            aliases.append((given, family))
    identifiers = []
    for index, identifier in enumerate(payload.identifiers):
        value = errors.check(
            ["identifiers", index, "value"], "", normalise.clean_identifier, identifier.kind, identifier.value
        )
        if value:
            identifiers.append((identifier.kind, value))
    dob, precision = _date_of_birth(payload, errors)
    return PersonDetails(
        **names,
        aliases=aliases,
        date_of_birth=dob,
        dob_precision=precision,
        gender=payload.gender,
        postcodes=_cleaned_list(payload.postcodes, "postcodes", normalise.clean_postcode, errors),
        phones=_cleaned_list(payload.phones, "phones", normalise.clean_phone, errors),
        emails=_cleaned_list(payload.emails, "emails", normalise.clean_email, errors),
        identifiers=identifiers,
    )


SEARCH_LABELS = {
    "given_name": "First name",
    "family_name": "Last name",
    "middle_names": "Middle names",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
    "age": "Age",
    "postcodes": "Postcode",
    "phones": "Phone number",
    "emails": "Email address",
    "identifiers": "Identifier",
    "aliases": "Also known as",
}


def _terms(payload: DetailsIn) -> dict[str, str]:
    """What was asked, as the audit log records a search: ``{label: value as sent}``."""
    terms = {}
    for name, label in SEARCH_LABELS.items():
        value = getattr(payload, name)
        if isinstance(value, list):
            value = ", ".join(
                " ".join(str(v) for v in item.dict().values() if v) if isinstance(item, Schema) else str(item)
                for item in value
            )
        if value not in ("", None):
            terms[label] = str(value)
    return terms


def _require_index(request: HttpRequest) -> None:
    if not can_use_index(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "Your roles do not include the person index.")


def _candidates(request: HttpRequest, details: PersonDetails, terms: dict[str, str], limit: int) -> CandidatesOut:
    candidates = match_person(details, user=request.auth, limit=limit)  # type: ignore[attr-defined]
    record_search(record_type=RECORD_TYPE, terms=terms, results=len(candidates))
    return CandidatesOut(count=len(candidates), items=[_candidate(c) for c in candidates])


# --- Endpoints ---------------------------------------------------------------------------------


@router.get("/", response=CandidatesOut, summary="Search the person index")
def search_people(request: HttpRequest, params: Query[SearchParams]) -> CandidatesOut:
    """People who may match the details given, most likely first, with the reasons for each.

    Give a name as ``q`` ('Kieran Smith') or as ``given_name`` and ``family_name``, and any of
    ``date_of_birth``, ``postcode``, ``phone``, ``identifier_kind`` with ``identifier``. Only
    people you may see are searched. At least one detail is needed (422 otherwise). The search
    is recorded in the audit log.
    """
    _require_index(request)
    data = params.dict(exclude={"q", "limit"})
    if params.q.strip():
        *given, family = params.q.split()
        data["given_name"] = data["given_name"] or " ".join(given)
        data["family_name"] = data["family_name"] or family
    form = PersonSearchForm(data={k: v for k, v in data.items() if v})
    if not form.has_terms():
        raise ApiValidationError(
            [{"type": "value_error", "loc": ["query"], "msg": "Give at least one detail to search for."}]
        )
    if not form.is_valid():
        raise ApiValidationError(
            [
                {"type": "value_error", "loc": ["query", name], "msg": " ".join(str(m) for m in messages)}
                for name, messages in form.errors.items()
            ]
        )
    return _candidates(request, form.details(), form.terms(), params.limit)


@router.post("/match", response=CandidatesOut, summary="Who in the index might this person be?")
def match(request: HttpRequest, payload: MatchIn) -> CandidatesOut:
    """Live matching, as the person forms use it: the details of someone you are about to record,
    and the people already in the index who may be them, with a probability and a plain-English
    reason per field. Only people you may see are considered. Recorded in the audit log as a search.
    """
    _require_index(request)
    errors = _Errors("body.payload")
    details = details_from(payload, errors)
    errors.raise_if_any()
    if details.is_empty():
        raise ApiValidationError(
            [{"type": "value_error", "loc": ["body", "payload"], "msg": "Give at least one detail to match on."}]
        )
    return _candidates(request, details, _terms(payload), payload.limit)


@router.post("/", response={201: PersonOut}, summary="Add a person to the index")
def create_person(request: HttpRequest, payload: PersonIn) -> Status:
    """A new person, held by your organisation. Check ``/match`` first: this does not stop you
    adding someone who is already known. Bad values are a 422 naming each field; nothing is
    written unless everything is valid."""
    _require_index(request)
    if not can_create(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "You need to belong to an organisation to add people.")
    errors = _Errors("body.payload")
    details = details_from(payload, errors)
    addresses = [_address(index, address, errors) for index, address in enumerate(payload.addresses)]
    errors.raise_if_any()
    profile = {
        name: getattr(payload, name)
        for name in ("gender", "gender_self_described", "ethnicity", "ethnicity_self_described", "nationality", "notes")
    }
    try:
        person = services.person_create(
            actor=request.auth,  # type: ignore[attr-defined]
            details=details,
            profile=profile,
            holding_reference=payload.holding_reference,
            addresses=addresses or None,
        )
    except ValidationError as error:
        raise ApiValidationError(_service_errors(error)) from None
    return Status(201, _person(person, request.auth))  # type: ignore[attr-defined]


def _address(index: int, address: AddressIn, errors: _Errors) -> dict[str, Any]:
    loc: list[str | int] = ["addresses", index]
    return {
        "line_1": address.line_1,
        "line_2": address.line_2,
        "town": address.town,
        "postcode": errors.check([*loc, "postcode"], "", normalise.clean_postcode, address.postcode),
        "date_from": errors.check(
            [*loc, "date_from"], None, normalise.parse_date, address.date_from, label="date_from"
        ),
        "date_to": errors.check([*loc, "date_to"], None, normalise.parse_date, address.date_to, label="date_to"),
    }


def _service_errors(error: ValidationError) -> list[dict[str, Any]]:
    if not hasattr(error, "error_dict"):
        return [{"type": "value_error", "loc": ["body", "payload"], "msg": " ".join(error.messages)}]
    return [
        {"type": "value_error", "loc": ["body", "payload", name], "msg": " ".join(messages)}
        for name, messages in error.message_dict.items()
    ]


@router.get("/{person_id}", response=PersonOut, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> PersonOut:
    """One person with every detail; 404 if you may not see them. Reading it is recorded in the audit log."""
    person = get_person_for(request.auth, person_id)  # type: ignore[attr-defined]
    return _person(person, request.auth)  # type: ignore[attr-defined]
