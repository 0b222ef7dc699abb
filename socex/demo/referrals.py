"""The demo's referrals: a triage queue with something in breach, decisions of every kind, and
drafts, from the partner personas about the demo's people.

Each referral is made and triaged through ``socex.referrals.services`` by the demo personas (so
each is screened, numbered, audited and, once accepted, written into its case's chronology), then
its dates are moved back so the queue has referrals over their target time and the dashboard
has weeks of history. It runs after the people demo: each referrer refers children their
organisation holds in the index, or types in a child the index does not know.

It is idempotent: a referral is recognised by its referrer and its first words of concern, and
made only if missing. Everything is synthetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from socex.accounts.models import Organisation, User
from socex.areas.models import LPA
from socex.cases.models import ChronologyEntry
from socex.people.models import Person
from socex.referrals.models import Referral, TriageOutcome
from socex.referrals.screening import tool_for
from socex.referrals.services import SubjectDetails, referral_create, referral_triage

if TYPE_CHECKING:
    from socex.demo.seed import SeedSummary

EARLY_HELP = "earlyhelp.walsall@demo.socex.example"
SCHOOL = "dsl.dudley@demo.socex.example"
MACE_CHAIR = "mace.sandwell@demo.socex.example"
HUB_OFFICER = "hub.officer.wolverhampton@demo.socex.example"
TRIAGER = "hub.officer.coventry@demo.socex.example"
POLICE = "West Midlands Police"


@dataclass(frozen=True)
class Triage:
    outcome: str
    reason: str
    hours_after: float
    signposted_to: str = ""
    into: str = ""
    """For 'existing_case': the concern of the referral whose case this one joins."""


@dataclass(frozen=True)
class DemoReferral:
    referrer: str
    concern: str
    types: tuple[str, ...]
    indicators: dict[str, str]
    hours_ago: float
    subject: str = ""
    """A name to find among the people the referrer's organisation holds (blank: the next child it holds)."""
    typed: SubjectDetails | None = None
    override: tuple[str, str] | None = None
    triage: Triage | None = None
    draft: bool = False
    awareness: tuple[str, str] = ("yes", "no")
    risks: str = "None known."
    lpa_code: str = ""
    """The area, when the referrer's organisation has none (the police)."""


REFERRALS: tuple[DemoReferral, ...] = (
    DemoReferral(
        EARLY_HELP,
        "Ky has been seen at Walsall bus station late at night with older teenagers, has a new phone "
        "and has been missing twice this month.",
        ("cce", "county_lines"),
        {"missing_episodes": "current", "unexplained_money": "current", "not_in_education": "current"},
        hours_ago=6,
        subject="Kiernan",
        risks="He told his keyworker he has 'a job' this weekend in another town.",
    ),
    DemoReferral(
        EARLY_HELP,
        "School report she is collected by different adults in cars most days; she has stopped seeing her old friends.",
        ("cse",),
        {"unknown_vehicles": "current", "controlling_relationship": "current", "self_harm": "earlier"},
        hours_ago=24 * 40,
        triage=Triage(
            TriageOutcome.NEW_CASE,
            "Two significant indicators, both current. Opened a case; strategy discussion with children's "
            "social care booked for tomorrow.",
            hours_after=2,
        ),
    ),
    DemoReferral(
        EARLY_HELP,
        "Low mood and self-harm since his parents separated; no sign of anyone exploiting him.",
        ("other",),
        {"self_harm": "current"},
        hours_ago=24 * 25,
        triage=Triage(
            TriageOutcome.SIGNPOSTED,
            "No exploitation indicators. His needs are emotional wellbeing: signposted to CAMHS, with "
            "Early Help to support the referral.",
            hours_after=30,
            signposted_to="CAMHS (Black Country Healthcare)",
        ),
    ),
    DemoReferral(
        EARLY_HELP,
        "Occasional truancy, and mum worries about a new friendship group.",
        ("cce",),
        {"not_in_education": "earlier"},
        hours_ago=80,
        awareness=("no", "yes"),
    ),
    DemoReferral(
        EARLY_HELP,
        "Started a referral after a home visit: older cousin may be involved.",
        ("cce",),
        {},
        hours_ago=3,
        draft=True,
        typed=SubjectDetails(given_name="Tyler", family_name="Brennan", postcode="WS3 1AA"),
    ),
    DemoReferral(
        SCHOOL,
        "Year 9 pupil with cash and a second phone he will not explain; attendance down to 70%.",
        ("cce",),
        {"not_in_education": "current", "unknown_contacts": "current", "unexplained_money": "earlier"},
        hours_ago=30,
        typed=SubjectDetails(
            given_name="Callum", family_name="Hughes", date_of_birth=dt.date(2011, 9, 14), postcode="DY1 4QF"
        ),
    ),
    DemoReferral(
        SCHOOL,
        "A pupil said a friend is 'running for someone'. On checking, the friend moved school last term.",
        ("cce",),
        {"whereabouts_unclear": "earlier"},
        hours_ago=24 * 55,
        typed=SubjectDetails(given_name="Jayden", family_name="Price", date_of_birth=dt.date(2010, 3, 2)),
        triage=Triage(
            TriageOutcome.NO_FURTHER_ACTION,
            "The child now lives in Shropshire and West Mercia Police have the information; nothing for "
            "this hub to do. Thank you for passing it on.",
            hours_after=50,
        ),
    ),
    DemoReferral(
        MACE_CHAIR,
        "Found in a flat in Smethwick with two adults after being reported missing; had cannabis and £300 in cash.",
        ("cce", "county_lines", "trafficking"),
        {"missing_episodes": "current", "risky_places": "current", "drug_misuse": "current"},
        hours_ago=1,
        typed=SubjectDetails(
            given_name="Reece", family_name="Walters", date_of_birth=dt.date(2009, 11, 30), postcode="B66 3AA"
        ),
        risks="The adults know where he lives; he has been told he 'owes' them.",
    ),
    DemoReferral(
        MACE_CHAIR,
        "Her sister's boyfriend gives her alcohol and lifts; she has been found at a hotel in West Bromwich.",
        ("cse",),
        {"hotels_taxis_takeaways": "current", "alcohol_misuse": "current", "unknown_vehicles": "earlier"},
        hours_ago=24 * 20,
        typed=SubjectDetails(given_name="Amira", family_name="Khan", date_of_birth=dt.date(2010, 7, 8)),
        triage=Triage(
            TriageOutcome.NEW_CASE,
            "Significant risk of sexual exploitation: case opened and the hotel referred for a disruption visit.",
            hours_after=3,
        ),
    ),
    DemoReferral(
        MACE_CHAIR,
        "Amira's friend was with her at the hotel and has the same older contacts.",
        ("cse",),
        {"hotels_taxis_takeaways": "earlier", "unknown_contacts": "current", "alcohol_misuse": "current"},
        hours_ago=24 * 18,
        typed=SubjectDetails(given_name="Chloe", family_name="Parry", date_of_birth=dt.date(2010, 5, 19)),
        override=("significant", "Same adults and same hotel as Amira's case: we treat it as significant."),
        triage=Triage(
            TriageOutcome.EXISTING_CASE,
            "Same adults and places as Amira's case: added to that case so both are planned together.",
            hours_after=5,
            into="Her sister's boyfriend gives her alcohol",
        ),
    ),
    DemoReferral(
        HUB_OFFICER,
        "Stopped in Wolverhampton city centre with a bag of wraps; gave a false name at first.",
        ("cce", "county_lines"),
        {"risky_places": "earlier", "drug_misuse": "current", "whereabouts_unclear": "current"},
        hours_ago=3,
        lpa_code="E08000031",
        typed=SubjectDetails(
            given_name="Kyle", family_name="Bennett", date_of_birth=dt.date(2008, 12, 1), postcode="WV1 1AA"
        ),
    ),
)


def _answers(indicators: dict[str, str]) -> dict[str, str]:
    return {code: indicators.get(code, "not_present") for code in tool_for().indicators}


def _subject(spec: DemoReferral, referrer: User, used: set[int]) -> Person | SubjectDetails:
    if spec.typed is not None:
        return spec.typed
    held = Person.objects.visible_to(referrer).current().filter(date_of_birth__year__gte=2006).order_by("pk")
    if spec.subject:
        named = held.filter(given_name=spec.subject).first()
        if named is not None:
            used.add(named.pk)
            return named
    person = held.exclude(pk__in=used).first()
    if person is None:
        return SubjectDetails(given_name="Demo", family_name="Child")
    used.add(person.pk)
    return person


def _backdate(referral: Referral, hours_ago: float, triage: Triage | None) -> None:
    """Move a demo referral's times into the past, so the queue and dashboard have history. Demo data
    only: a real referral's times are set by the services and never changed."""
    submitted = timezone.now() - dt.timedelta(hours=hours_ago)
    Referral.objects.filter(pk=referral.pk).update(created_at=submitted - dt.timedelta(minutes=40))
    if referral.submitted_at is None:
        return
    Referral.objects.filter(pk=referral.pk).update(submitted_at=submitted)
    entries = ChronologyEntry.objects.filter(source_type="referrals.referral", source_id=str(referral.pk))
    entries.filter(category="referral").update(occurred_at=submitted)
    if triage is not None:
        triaged = submitted + dt.timedelta(hours=triage.hours_after)
        Referral.objects.filter(pk=referral.pk).update(triaged_at=triaged)
        entries.exclude(category="referral").update(occurred_at=triaged)


def _make(
    spec: DemoReferral, users: dict[str, User], used: set[int], made: dict[str, Referral], police: Organisation
) -> Referral:
    referrer = users[spec.referrer]
    agency = referrer.organisation
    lpa = LPA.objects.get(code=spec.lpa_code) if spec.lpa_code else (agency.lpa if agency else None)
    referral = referral_create(
        actor=referrer,
        subjects=[_subject(spec, referrer, used)],
        lpa=lpa,
        exploitation_types=spec.types,
        concern_summary=spec.concern,
        screening_answers=_answers(spec.indicators),
        confirmed_level=spec.override[0] if spec.override else None,
        override_reason=spec.override[1] if spec.override else "",
        child_aware=spec.awareness[0],
        family_aware=spec.awareness[1],
        immediate_risks=spec.risks,
        submit=not spec.draft,
    )
    if spec.triage is not None:
        into = next((r for c, r in made.items() if c.startswith(spec.triage.into)), None) if spec.triage.into else None
        triager = users[TRIAGER]
        referral = referral_triage(
            actor=triager,
            referral=referral,
            outcome=spec.triage.outcome,
            reason=spec.triage.reason,
            case=into.case if into else None,
            lead_agency=police,
            keyworker=triager if spec.triage.outcome == TriageOutcome.NEW_CASE else None,
            signposted_to=spec.triage.signposted_to,
        )
    _backdate(referral, spec.hours_ago, spec.triage)
    return referral


@transaction.atomic
def seed_demo_referrals(*, organisations: dict[str, Organisation], summary: SeedSummary) -> None:
    """Make whichever demo referrals are missing, through the referral services (audited)."""
    summary.created.setdefault("referrals", 0)
    summary.existing.setdefault("referrals", 0)
    emails = {spec.referrer for spec in REFERRALS} | {TRIAGER}
    users = {user.email: user for user in User.objects.filter(email__in=emails).select_related("organisation")}
    missing_users = sorted(emails - set(users))
    if missing_users:
        raise ValueError(f"The demo personas are missing ({', '.join(missing_users)}): seed the accounts first.")
    made: dict[str, Referral] = {}
    used: set[int] = set()
    for spec in REFERRALS:
        existing = Referral.objects.filter(referrer=users[spec.referrer], concern_summary=spec.concern).first()
        if existing is not None:
            summary.existing["referrals"] += 1
            made[spec.concern] = existing
            continue
        made[spec.concern] = _make(spec, users, used, made, organisations[POLICE])
        summary.created["referrals"] += 1
