"""The demo's cases: several exploitation cases across the LPAs, worked by the hub and its partners.

Each case is opened about children (or, once, an adult) from the demo person index, then worked
through ``socex.cases.services`` by the demo personas, so every step is audited and in the
chronology: shares to partner agencies (Walsall Council Early Help takes part in two, and leads
a third), risk reviews giving a risk history, flags, practitioner entries, a safety-plan PDF,
one closure waiting for the supervisor and one case already closed. One case's risk review is
overdue, so the home page has something to chase.

It is idempotent: a demo case is recognised by its summary (each is unique) and made only if
missing. Everything is synthetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from socex.accounts.models import Organisation, User
from socex.cases.models import Case, CaseSubject
from socex.cases.services import (
    case_closure_approve,
    case_closure_request,
    case_create,
    case_flag,
    chronology_note_add,
    document_add,
    risk_review_add,
)
from socex.core.pdf import PdfReport
from socex.people.models import Person
from socex.sharing.models import LegalBasis
from socex.sharing.services import share_grant

if TYPE_CHECKING:
    from socex.demo.seed import SeedSummary

POLICE = "West Midlands Police"
EARLY_HELP_WALSALL = "Walsall Council Early Help"
OFFICERS = {
    "wolverhampton": "hub.officer.wolverhampton@demo.socex.example",
    "coventry": "hub.officer.coventry@demo.socex.example",
    "detective": "hub.detective@demo.socex.example",
}
EARLY_HELP_USER = "earlyhelp.walsall@demo.socex.example"
SUPERVISOR = "supervisor@demo.socex.example"
SHARE_BASIS = "children-act-2004-s11"
CHILD_BORN_AFTER = dt.date(2007, 1, 1)
ADULT_BORN_BEFORE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Review:
    days_ago: int
    level: str
    reason: str


@dataclass(frozen=True)
class Note:
    days_ago: int
    category: str
    summary: str
    detail: str = ""
    by_partner: bool = False


@dataclass(frozen=True)
class DemoCase:
    summary: str
    lpa: str
    officer: str
    opened_days_ago: int
    risk: str
    types: tuple[str, ...]
    shared_with: tuple[str, ...] = ()
    led_by_partner: bool = False
    adult: bool = False
    subjects: int = 1
    flags: tuple[str, ...] = ()
    reviews: tuple[Review, ...] = ()
    notes: tuple[Note, ...] = ()
    document: bool = False
    closure: str = ""  # "", "requested" or "closed"
    extra: dict[str, str] = field(default_factory=dict)


DEMO_CASES: tuple[DemoCase, ...] = (
    DemoCase(
        summary="Seen at Walsall bus station late at night with older teenagers; found in a flat in Caldmore "
        "used to deal drugs. Missing three times in the last month.",
        lpa="Walsall",
        officer="wolverhampton",
        opened_days_ago=75,
        risk="at_risk",
        types=("cce", "county_lines"),
        shared_with=(EARLY_HELP_WALSALL, "Walsall Children's Services"),
        flags=("missing", "not_in_education"),
        reviews=(
            Review(
                60, "significant", "Found in a known trap house; new phone and cash. Two overnight missing episodes."
            ),
            Review(20, "significant", "Still going missing at weekends; mum reports threats to the family."),
        ),
        notes=(
            Note(70, "home_visit", "Home visit with Early Help: mum worried about new friends and late nights"),
            Note(
                45, "missing_episode", "Missing overnight; found by police in Wolverhampton", "Return interview booked."
            ),
            Note(12, "contact", "Attended the youth club session with his mentor", by_partner=True),
        ),
        document=True,
    ),
    DemoCase(
        summary="Older boyfriend (19) collecting her from school; unexplained gifts and a second phone.",
        lpa="Walsall",
        officer="wolverhampton",
        opened_days_ago=40,
        risk="at_risk",
        types=("cse",),
        led_by_partner=True,
        reviews=(Review(10, "at_risk", "Engaging with the keyworker; school attendance improving."),),
        notes=(Note(30, "meeting", "Met her at school with the designated safeguarding lead", by_partner=True),),
    ),
    DemoCase(
        summary="Two sisters seen at hotels in the city centre with adult men; one disclosed being moved "
        "between addresses in Birmingham and Coventry.",
        lpa="Birmingham",
        officer="detective",
        opened_days_ago=50,
        risk="significant",
        types=("cse", "trafficking"),
        shared_with=("Birmingham Children's Services",),
        subjects=2,
        flags=("looked_after", "cp_plan"),
        reviews=(Review(35, "significant", "Disclosure of being moved between addresses; NRM referral considered."),),
        notes=(Note(48, "disclosure", "Disclosure to her social worker about being taken to hotels"),),
    ),
    DemoCase(
        summary="Carrying drugs for an older group in Foleshill; arrested twice, now engaging with a mentor.",
        lpa="Coventry",
        officer="coventry",
        opened_days_ago=150,
        risk="significant",
        types=("cce",),
        shared_with=("Coventry Council Early Help",),
        reviews=(
            Review(120, "significant", "Arrested in possession; debt bondage suspected."),
            Review(30, "at_risk", "No missing episodes for two months; back in school full time."),
        ),
        notes=(Note(25, "meeting", "Professionals' meeting agreed the plan is working"),),
        closure="requested",
    ),
    DemoCase(
        summary="Referred by school for unexplained money; assessed and supported by the family.",
        lpa="Wolverhampton",
        officer="wolverhampton",
        opened_days_ago=200,
        risk="at_risk",
        types=("other",),
        reviews=(Review(100, "none", "No indicators now: the money came from a relative; family engaged."),),
        closure="closed",
    ),
    DemoCase(
        summary="Known to run errands for a county line out of Sandwell; peer group under review at MACE.",
        lpa="Sandwell",
        officer="detective",
        opened_days_ago=130,
        risk="at_risk",
        types=("county_lines", "cce"),
        shared_with=("Sandwell Children's Trust",),
        reviews=(Review(110, "at_risk", "Peer group of concern identified; disruption planned."),),
        notes=(Note(100, "concern", "Seen with the same group at the Lye bus stop"),),
    ),
    DemoCase(
        summary="Adult working long hours at a car wash for no pay; passport held by the employer.",
        lpa="Dudley",
        officer="detective",
        opened_days_ago=20,
        risk="significant",
        types=("adult_labour", "trafficking"),
        adult=True,
        flags=("interpreter",),
        notes=(Note(18, "phone_call", "Spoke through an interpreter; he wants support but fears losing his job"),),
    ),
)


def _users() -> dict[str, User | None]:
    emails = {**OFFICERS, "early_help": EARLY_HELP_USER, "supervisor": SUPERVISOR}
    found = {user.email: user for user in User.objects.filter(email__in=emails.values())}
    return {key: found.get(email) for key, email in emails.items()}


def _subjects(spec: DemoCase, used: set[int]) -> list[Person]:
    """Demo people in the case's LPA of the right age, not yet on another demo case, the same on every run."""
    people = Person.objects.current().filter(lpa__name=spec.lpa, holdings__local_reference__startswith="DEMO-P-")
    people = (
        people.filter(date_of_birth__lt=ADULT_BORN_BEFORE)
        if spec.adult
        else people.filter(date_of_birth__gte=CHILD_BORN_AFTER)
    )
    chosen = []
    for person in people.exclude(pk__in=used).order_by("holdings__local_reference").distinct():
        if person.pk not in used and not CaseSubject.objects.filter(person=person).exists():
            chosen.append(person)
            used.add(person.pk)
        if len(chosen) == spec.subjects:
            break
    return chosen


def _safety_plan(case: Case) -> SimpleUploadedFile:
    report = PdfReport(f"Safety plan: {case.reference}", subtitle="Synthetic demonstration document")
    report.heading("Agreed actions")
    report.table(
        ["Action", "Who", "By"],
        [
            ["Weekly mentoring session", "Lantern Youth Trust", "Every Thursday"],
            ["Return interview after each missing episode", "Walsall Council Early Help", "Within 72 hours"],
            ["Disruption visits to the address of concern", "West Midlands Police", "Fortnightly"],
        ],
    )
    return SimpleUploadedFile("safety-plan.pdf", report.output(), content_type="application/pdf")


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _make(
    spec: DemoCase, users: dict[str, User | None], organisations: dict[str, Organisation], used: set[int]
) -> bool:
    officer, early_help = users[spec.officer], users["early_help"]
    subjects = _subjects(spec, used)
    if officer is None or not subjects or (spec.led_by_partner and early_help is None):
        return False
    police = organisations[POLICE]
    lead, keyworker = (organisations[EARLY_HELP_WALSALL], early_help) if spec.led_by_partner else (police, officer)
    case = case_create(
        actor=officer,
        subjects=subjects,
        lead_agency=lead,
        lpa=subjects[0].lpa,  # type: ignore[arg-type]
        risk_level=spec.risk,
        exploitation_types=spec.types,
        summary=spec.summary,
        keyworker=keyworker,
        opened_at=_ago(spec.opened_days_ago),
    )
    basis = LegalBasis.objects.get(code=SHARE_BASIS)
    for name in spec.shared_with:
        if name in organisations:
            share_grant(
                actor=officer,
                obj=case,
                organisation=organisations[name],
                legal_basis=basis,
                scope="Case summary, risk reviews and chronology, for the multi-agency plan and MACE",
                until=timezone.localdate() + dt.timedelta(days=180),
            )
    for flag in spec.flags:
        case_flag(actor=officer, case=case, flag=flag, on=True, reason="Recorded when the case opened")
    for review in spec.reviews:
        reviewed_on = timezone.localdate() - dt.timedelta(days=review.days_ago)
        risk_review_add(actor=officer, case=case, level=review.level, reviewed_on=reviewed_on, reason=review.reason)
    for note in spec.notes:
        author = early_help if note.by_partner and early_help is not None else officer
        chronology_note_add(
            actor=author,
            case=case,
            category=note.category,
            occurred_at=_ago(note.days_ago),
            summary=note.summary,
            detail=note.detail,
        )
    if spec.document:
        document_add(
            actor=officer, case=case, upload=_safety_plan(case), title="Safety plan agreed at the strategy meeting"
        )
    if spec.closure:
        closure = case_closure_request(
            actor=officer, case=case, reason=spec.summary.split(";")[-1].strip() or "Risk reduced"
        )
        supervisor = users["supervisor"]
        if spec.closure == "closed" and supervisor is not None and supervisor.has_cap("case.approve_closure"):
            case_closure_approve(actor=supervisor, closure=closure, note="Agreed: no indicators for three months.")
    return True


@transaction.atomic
def seed_demo_cases(*, organisations: dict[str, Organisation], summary: SeedSummary) -> None:
    """Create whichever demo cases are missing, through the case services (audited, in the chronology)."""
    summary.created.setdefault("cases", 0)
    summary.existing.setdefault("cases", 0)
    users = _users()
    existing = set(
        Case.objects.filter(summary__in=[spec.summary for spec in DEMO_CASES]).values_list("summary", flat=True)
    )
    used: set[int] = set()
    for spec in DEMO_CASES:
        if spec.summary in existing:
            summary.existing["cases"] += 1
            continue
        if _make(spec, users, organisations, used):
            summary.created["cases"] += 1
