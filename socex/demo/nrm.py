"""The demo's NRM work: referrals at every stage, a Duty to Notify report and the published UK figures.

Made through the NRM services by the Coventry hub officer persona (West Midlands Police, a first
responder), about children and adults from the demo person index, with dates relative to today so
the clocks always show something: a draft; a reasonable grounds decision overdue (submitted more
than five working days ago); one within the target; one awaiting a conclusive decision past the
end of its recovery period, with a support referral; a negative decision with a reconsideration
awaited; a concluded one; and an adult who refused, reported by Duty to Notify instead. The first
responder list is applied to the demo organisations first.

Idempotent: a referral is made only for a person who has none yet, the Duty to Notify report only
if no report with its account exists, and the published figures only if none are loaded. The
narratives are made up; the published figures are the real UK headline figures of the Home Office
bulletins (OGL v3; see ``socex/nrm/reference/published``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from socex.accounts.models import Organisation, User
from socex.areas.models import LPA
from socex.core.context import acting_as
from socex.nrm import services
from socex.nrm.conf import REFERENCE_DIR
from socex.nrm.models import DutyToNotify, NrmReferral, PublishedFigure
from socex.people.models import Person

if TYPE_CHECKING:
    from socex.demo.seed import SeedSummary

OFFICER = "hub.officer.coventry@demo.socex.example"
PUBLISHED = REFERENCE_DIR / "published" / "uk_headlines.csv"


@dataclass(frozen=True)
class Decided:
    stage: str
    outcome: str
    days_ago: int
    maker: str = "sca"


@dataclass(frozen=True)
class Stage:
    label: str
    adult: bool
    started_days_ago: int
    submitted_days_ago: int | None
    types: tuple[str, ...]
    narrative: str
    county_lines: bool = False
    under_18: str = "yes"
    decisions: tuple[Decided, ...] = ()
    support: tuple[tuple[str, int, str], ...] = field(default=())  # (provider, days ago, status)
    reconsider_days_ago: int | None = None


STAGES: tuple[Stage, ...] = (
    Stage(
        "draft",
        adult=False,
        started_days_ago=2,
        submitted_days_ago=None,
        under_18="not-sure",
        types=("forced-to-commit-crime",),
        county_lines=True,
        narrative="Stopped at a railway station far from home with cash and two phones; gave a false age.",
    ),
    Stage(
        "reasonable grounds overdue",
        adult=False,
        started_days_ago=16,
        submitted_days_ago=15,
        types=("forced-to-commit-crime",),
        county_lines=True,
        narrative="Found in a flat used to deal drugs; said he owed money to the older boys who sent him there.",
    ),
    Stage(
        "awaiting reasonable grounds",
        adult=False,
        started_days_ago=2,
        submitted_days_ago=1,
        types=("child-exploitation",),
        narrative="Disclosed being taken to parties and given alcohol and gifts by adult men.",
    ),
    Stage(
        "awaiting conclusive grounds",
        adult=False,
        started_days_ago=122,
        submitted_days_ago=120,
        types=("forced-to-commit-crime", "wages-taken"),
        county_lines=True,
        narrative="Held bank cards for others and carried drugs between towns for several months.",
        decisions=(Decided("rg", "positive", 114),),
        support=(("la_childrens_services", 119, "accepted"), ("ictg", 113, "requested")),
    ),
    Stage(
        "negative, reconsideration requested",
        adult=True,
        started_days_ago=70,
        submitted_days_ago=68,
        under_18="no",
        types=("forced-to-work",),
        narrative="Worked long hours at a hand car wash for little or no pay; lived in a room above it.",
        decisions=(Decided("rg", "negative", 60),),
        reconsider_days_ago=55,
    ),
    Stage(
        "concluded",
        adult=True,
        started_days_ago=402,
        submitted_days_ago=400,
        under_18="no",
        types=("unpaid-household-work",),
        narrative="Kept in a family home to cook and clean, passport held by the family.",
        decisions=(Decided("rg", "positive", 395), Decided("cg", "positive", 30)),
        support=(("msvcc", 394, "ended"),),
    ),
)
DTN_NARRATIVE = "Worked in a nail bar for a man who kept her wages; did not want to be referred."


def _age(person: Person, today: dt.date) -> int | None:
    if person.date_of_birth is None:
        return None
    born = person.date_of_birth
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _candidates(today: dt.date) -> tuple[list[Person], list[Person]]:
    """Police-held demo people with an exact date of birth and no NRM referral: children, adults."""
    people = (
        Person.objects.filter(
            merged_into__isnull=True,
            holdings__local_reference__startswith="DEMO-P-",
            owner__name="West Midlands Police",
            dob_precision="exact",
            lpa__isnull=False,
        )
        .exclude(nrm_referrals__isnull=False)
        .distinct()
        .order_by("id")
    )
    children, adults = [], []
    for person in people:
        age = _age(person, today)
        if age is None:
            continue
        if 12 <= age <= 16:
            children.append(person)
        elif 20 <= age <= 60:
            adults.append(person)
    return children, adults


def seed_demo_nrm(*, organisations: dict[str, Organisation], summary: SeedSummary) -> None:
    """Create whichever demo NRM records are missing, through the NRM services (audited)."""
    for key in ("NRM referrals", "Duty to Notify reports", "published NRM figures"):
        summary.created.setdefault(key, 0)
        summary.existing.setdefault(key, 0)
    officer = User.objects.filter(email=OFFICER, is_active=True).first()
    if officer is None:
        return
    with acting_as(officer, channel="command"):
        services.first_responders_sync(actor=None)
        _referrals(officer, summary)
        _duty_to_notify(officer, summary)
        _published(officer, summary)


def _referrals(officer: User, summary: SeedSummary) -> None:
    today = timezone.localdate()
    demo_referrals = NrmReferral.objects.filter(officer=officer)
    if demo_referrals.count() >= len(STAGES):
        summary.existing["NRM referrals"] += demo_referrals.count()
        return
    children, adults = _candidates(today)
    for stage in STAGES[demo_referrals.count() :]:
        pool = adults if stage.adult else children
        if not pool:
            continue
        person = pool.pop(0)
        _make(officer, person, stage, today)
        summary.created["NRM referrals"] += 1


def _make(officer: User, person: Person, stage: Stage, today: dt.date) -> None:
    from socex.cases.models import Case

    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    started = ago(stage.started_days_ago)
    case = Case.objects.filter(case_subjects__person=person).order_by("opened_at").first()
    facts = services.ExploitationFacts(
        lpa=person.lpa or LPA.objects.order_by("name").first(),  # type: ignore[arg-type]
        exploitation_types=list(stage.types),
        location="uk",
        uk_locations=[person.lpa.name if person.lpa else "Birmingham"],
        county_lines=stage.county_lines,
        narrative=stage.narrative,
        officer_role=officer.job_title,
    )
    referral = services.nrm_referral_create(
        actor=officer,
        person=person,
        under_18=stage.under_18,
        facts=facts,
        consent="given" if stage.adult else "",
        consent_on=started if stage.adult else None,
        case=case,
        indicators="Signs of control by others; unexplained money; fear of the people involved.",
        referred_on=started,
    )
    if stage.submitted_days_ago is None:
        return
    services.nrm_referral_submit(
        actor=officer,
        referral=referral,
        submitted_on=ago(stage.submitted_days_ago),
        ho_reference=f"DEMO-{referral.reference[-6:]}",
    )
    for provider, days, status in stage.support:
        support = services.support_referral_add(
            actor=officer, referral=referral, provider=provider, referred_on=ago(days)
        )
        if status != "requested":
            services.support_referral_update(
                actor=officer, support=support, status=status, status_on=ago(max(days - 2, 0))
            )
    for decided in stage.decisions:
        decision = services.decision_record(
            actor=officer,
            referral=referral,
            stage=decided.stage,
            outcome=decided.outcome,
            decided_on=ago(decided.days_ago),
            decision_maker=decided.maker,
        )
        if stage.reconsider_days_ago is not None and decided.outcome == "negative":
            services.reconsideration_request(
                actor=officer,
                decision=decision,
                requested_on=ago(stage.reconsider_days_ago),
                requested_by=officer.organisation,  # type: ignore[arg-type]
                reasons="New evidence from the employer's premises search.",
            )


def _duty_to_notify(officer: User, summary: SeedSummary) -> None:
    if DutyToNotify.objects.filter(narrative=DTN_NARRATIVE).exists():
        summary.existing["Duty to Notify reports"] += 1
        return
    today = timezone.localdate()
    report = services.dtn_create(
        actor=officer,
        facts=services.ExploitationFacts(
            lpa=LPA.objects.filter(name="Coventry").first() or LPA.objects.order_by("name").first(),  # type: ignore[arg-type]
            exploitation_types=["forced-to-work", "wages-taken"],
            location="uk",
            uk_locations=["Coventry"],
            narrative=DTN_NARRATIVE,
            gender="female",
            nationality="Vietnamese",
        ),
        refusal_reason="Afraid of what would happen to her family at home.",
        reported_on=today - dt.timedelta(days=9),
    )
    services.dtn_submit(actor=officer, report=report, submitted_on=today - dt.timedelta(days=8))
    summary.created["Duty to Notify reports"] += 1


def _published(officer: User, summary: SeedSummary) -> None:
    if PublishedFigure.objects.exists():
        summary.existing["published NRM figures"] += PublishedFigure.objects.count()
        return
    batch = services.published_import(actor=officer, file_name=PUBLISHED.name, data=PUBLISHED.read_bytes())
    summary.created["published NRM figures"] += batch.rows
