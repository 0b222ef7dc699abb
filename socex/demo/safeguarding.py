"""The demo's partnership safeguarding: plans with actions (some overdue), one past MACE meeting
with final minutes, locations of concern in Walsall and Birmingham, and a peer group.

It runs after the cases demo and finds its cases with ``Case.objects``: without cases it still
records the locations and the peer group, and says so in the summary. Everything is created
through ``socex.safeguarding.services`` by the demo personas, so it is audited like any other
change. It is idempotent: a case that already has actions gets none, and the meeting, places and
group are found again by their names.

All of it is synthetic. The places are public landmarks (a bus station, a park) or a point with
no address; nothing says any real address is a trap house.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from socex.accounts.models import Organisation, User
from socex.areas.models import LPA
from socex.cases.models import Case, CaseStatus
from socex.people.models import Person
from socex.safeguarding import services
from socex.safeguarding.access import agencies_on_case
from socex.safeguarding.models import Action, Location, LocationKind, Meeting, PeerGroup
from socex.sharing.models import LegalBasis
from socex.sharing.services import is_shared_with, share_grant

if TYPE_CHECKING:
    from socex.demo.seed import SeedSummary

SEED = 2026
HUB_OFFICER = "hub.officer.wolverhampton@demo.socex.example"
HUB_DETECTIVE = "hub.detective@demo.socex.example"
EARLY_HELP_USER = "earlyhelp.walsall@demo.socex.example"
MACE_CHAIR = "mace.sandwell@demo.socex.example"
EARLY_HELP = "Walsall Council Early Help"
MEETING_TITLE = "Black Country MACE (demo)"
GROUP_NAME = "Caldmore Green group (demo)"
CASES_WITH_PLANS = 12
AGENDA_CASES = 3
WALSALL, BIRMINGHAM = "E08000030", "E08000025"

ACTION_TEXTS = (
    "Home visit with the family to talk through the safety plan",
    "Return home interview after the latest missing episode",
    "Check school attendance every day for four weeks and report absences to the hub",
    "Refer to the CARE Project for intensive Early Help keyworker support",
    "Disruption visit to the address where the child was found",
    "Strategy discussion with children's social care",
    "Share the latest intelligence picture with the MACE chair",
    "Arrange a mentor through the youth service",
)

# (name, type, LPA code, point or None, postcode, notes)
PLACES = (
    ("Walsall bus station (demo)", LocationKind.TRANSPORT_HUB, WALSALL, ("52.584300", "-1.984500"), "",
     "Older males seen meeting children after school."),
    ("Walsall Arboretum, lake end (demo)", LocationKind.PARK, WALSALL, ("52.589600", "-1.975000"), "",
     "Groups gathering after dark; cannabis smell reported by park staff."),
    ("Takeaway on Caldmore Road (demo)", LocationKind.TAKEAWAY, WALSALL, None, "WS1 3RH",
     "Children given free food; staff thought to pass on phones."),
    ("House near Pleck Park (demo)", LocationKind.TRAP_HOUSE, WALSALL, ("52.575500", "-2.000800"), "",
     "Suspected: several reports of children coming and going late at night. Not confirmed."),
    ("Digbeth coach station (demo)", LocationKind.TRANSPORT_HUB, BIRMINGHAM, ("52.475700", "-1.886400"), "",
     "Used to send children out of area on county lines."),
    ("Small Heath Park (demo)", LocationKind.PARK, BIRMINGHAM, ("52.470600", "-1.855900"), "",
     "Robberies of younger children by an older group."),
    ("School gates, Aston (demo)", LocationKind.SCHOOL, BIRMINGHAM, ("52.503000", "-1.883000"), "",
     "Pupils approached at home time."),
)  # fmt: skip


def _user(email: str) -> User | None:
    return User.objects.filter(email=email, is_active=True).select_related("organisation").first()


def _count(summary: SeedSummary, kind: str, created: bool) -> None:
    summary.created.setdefault(kind, 0)
    summary.existing.setdefault(kind, 0)
    (summary.created if created else summary.existing)[kind] += 1


def _demo_cases() -> list[Case]:
    """Open cases, Walsall and Birmingham first, oldest first (a stable choice run after run)."""
    cases = list(Case.objects.exclude(status=CaseStatus.CLOSED).select_related("lpa", "lead_agency").order_by("id"))
    return sorted(cases, key=lambda case: (case.lpa.code not in (WALSALL, BIRMINGHAM), case.pk))


def _owner_agency(case: Case, rng: random.Random) -> Organisation:
    agencies = list(agencies_on_case(case).order_by("name"))
    partners = [agency for agency in agencies if not agency.is_police]
    early_help = [agency for agency in partners if agency.name == EARLY_HELP]
    if early_help and rng.random() < 0.6:
        return early_help[0]
    return rng.choice(partners or agencies)


def _plan(case: Case, actor: User, rng: random.Random, summary: SeedSummary) -> None:
    if case.safeguarding_actions.exists():
        _count(summary, "safeguarding actions", created=False)
        return
    agreed = timezone.now() - dt.timedelta(days=rng.randint(20, 60))
    for number in range(rng.randint(2, 3)):
        agency = _owner_agency(case, rng)
        people = list(User.objects.filter(organisation=agency, is_active=True).order_by("email"))
        visible = [u for u in people if Case.objects.visible_to(u).filter(pk=case.pk).exists()]
        due = timezone.localdate(agreed) + dt.timedelta(days=rng.choice((7, 14, 21, 35, 50, 70)))
        action = services.action_create(
            actor=actor,
            case=case,
            description=ACTION_TEXTS[(case.pk + number) % len(ACTION_TEXTS)],
            owner_agency=agency,
            owner=visible[0] if visible and rng.random() < 0.7 else None,
            due_date=due,
            created_at=agreed,
        )
        if rng.random() < 0.25:
            services.action_complete(
                actor=actor, action=action, version=action.version, note="Done; see the case notes for the outcome."
            )
        _count(summary, "safeguarding actions", created=True)


def _share_for_meeting(case: Case, sharer: User, chair: User) -> None:
    if chair.organisation is None or is_shared_with(case, chair.organisation):
        return
    if case.lead_agency_id == chair.organisation_id:
        return
    share_grant(
        actor=sharer,
        obj=case,
        organisation=chair.organisation,
        legal_basis=LegalBasis.objects.get(code="children-act-2004-s11"),
        scope="Case summary, risk history and safeguarding plan, for the Black Country MACE meeting",
        until=timezone.localdate() + dt.timedelta(days=90),
    )


def _meeting(cases: list[Case], sharer: User, chair: User, summary: SeedSummary) -> None:
    if Meeting.objects.filter(title=MEETING_TITLE).exists():
        _count(summary, "MACE meetings", created=False)
        return
    agenda = cases[:AGENDA_CASES]
    for case in agenda:
        _share_for_meeting(case, sharer, chair)
    agencies = {agency.pk: agency for case in agenda for agency in agencies_on_case(case)}
    meeting = services.meeting_create(
        actor=chair,
        title=MEETING_TITLE,
        meeting_date=timezone.localdate() - dt.timedelta(days=14),
        chair=chair,
        agencies=list(agencies.values())[:8],
        lpa=LPA.objects.filter(code=WALSALL).first(),
    )
    attendees = [chair]
    for agency in meeting.agencies.all():
        if agency.pk == chair.organisation_id:
            continue
        person = User.objects.filter(organisation=agency, is_active=True).order_by("email").first()
        if person is not None:
            attendees.append(person)
    services.meeting_set_attendees(actor=chair, meeting=meeting, attendees=attendees)
    rng = random.Random(f"{SEED}:mace")  # noqa: S311 - reproducible synthetic data, not secrets
    held = timezone.make_aware(dt.datetime.combine(meeting.meeting_date, dt.time(10)))
    for case in agenda:
        item = services.agenda_item_add(actor=chair, meeting=meeting, case=case)
        services.agenda_item_record(
            actor=chair,
            item=item,
            discussion="School reported two missing episodes since the last meeting. Early Help has met mum, "
            "who is worried about older friends with cars. Police shared that the child was stopped with cash.",
            decisions="Risk level stays the same. Review at the next meeting in four weeks.",
        )
        services.action_create(
            actor=chair,
            case=case,
            agenda_item=item,
            description="Return home interview after the latest missing episode, and share it with the hub",
            owner_agency=_owner_agency(case, rng),
            due_date=meeting.meeting_date + dt.timedelta(days=7),  # now overdue unless done
            created_at=held,
        )
    if agenda:
        services.meeting_finalise(actor=chair, meeting=meeting, version=meeting.version)
    _count(summary, "MACE meetings", created=True)


def _places(cases: list[Case], actors: dict[str, User], summary: SeedSummary) -> None:
    lpas = {lpa.code: lpa for lpa in LPA.objects.filter(code__in=(WALSALL, BIRMINGHAM))}
    for name, kind, code, point, postcode, notes in PLACES:
        if code not in lpas:
            continue
        if Location.objects.filter(name=name).exists():
            _count(summary, "locations of concern", created=False)
            continue
        actor = actors["walsall"] if code == WALSALL else actors["police"]
        linked = [
            case
            for case in cases
            if case.lpa.code == code and Case.objects.visible_to(actor).filter(pk=case.pk).exists()
        ][:1]
        services.location_create(
            actor=actor,
            name=name,
            kind=kind,
            lpa=lpas[code],
            postcode=postcode,
            latitude=Decimal(point[0]) if point else None,
            longitude=Decimal(point[1]) if point else None,
            notes=notes,
            cases=linked,
        )
        _count(summary, "locations of concern", created=True)


def _peer_group(cases: list[Case], early_help: User, summary: SeedSummary) -> None:
    if PeerGroup.objects.filter(name=GROUP_NAME).exists():
        _count(summary, "peer groups", created=False)
        return
    members = list(
        Person.objects.visible_to(early_help)
        .filter(merged_into__isnull=True, date_of_birth__gte=dt.date(2007, 1, 1))
        .order_by("id")[:4]
    )
    linked = [
        case
        for case in cases
        if case.lpa.code == WALSALL and Case.objects.visible_to(early_help).filter(pk=case.pk).exists()
    ][:1]
    services.peer_group_create(
        actor=early_help,
        name=GROUP_NAME,
        lpa=LPA.objects.filter(code=WALSALL).first(),
        notes="Five or six young people seen together near the Caldmore Road shops most evenings, some of them "
        "reported missing. Two have been found with unexplained cash.",
        members=members,
        cases=linked,
    )
    _count(summary, "peer groups", created=True)


def seed_demo_safeguarding(*, organisations: dict[str, Organisation], summary: SeedSummary) -> None:
    """Create whichever demo safeguarding records are missing (see the module's docstring)."""
    officer, detective = _user(HUB_OFFICER), _user(HUB_DETECTIVE)
    early_help, chair = _user(EARLY_HELP_USER), _user(MACE_CHAIR)
    if officer is None or detective is None or early_help is None or chair is None:
        summary.existing.setdefault("safeguarding (no demo personas: skipped)", 0)
        return
    cases = _demo_cases()
    rng = random.Random(SEED)  # noqa: S311 - reproducible synthetic data, not secrets
    for case in cases[:CASES_WITH_PLANS]:
        _plan(case, officer, rng, summary)
    if cases:
        _meeting(cases, officer, chair, summary)
    else:
        summary.existing.setdefault("safeguarding actions and MACE meeting (no cases yet: skipped)", 0)
    _places(cases, {"walsall": early_help, "police": detective}, summary)
    _peer_group(cases, early_help, summary)


def demo_counts() -> dict[str, int]:
    """What the demo holds, for checks and the README."""
    return {
        "actions": Action.objects.count(),
        "overdue": Action.objects.overdue().count(),
        "meetings": Meeting.objects.filter(title=MEETING_TITLE).count(),
        "locations": Location.objects.count(),
        "peer groups": PeerGroup.objects.count(),
    }
