# ruff: noqa: E501 - the demo reports are data: one line of text each reads better than wrapped strings
"""The demo's intelligence: about forty synthetic reports that sketch two county lines between
Birmingham and Walsall, the people who run them and the children they recruit.

Everything is made up. The nominals are new people in the person index (names from Faker en_GB
with a fixed seed, street names fixed), phone numbers come from Ofcom's drama range (07700 900xxx),
and the vehicles and addresses belong to no one in the story's world. Every record is made
through the intelligence and people services, so each is audited like real work: hub staff
submit, the analyst evaluates, sanitises and publishes, entities are confirmed from the text and
linked, and one sanitised report is disseminated to Walsall Council Early Help.

It is idempotent: people are found by their holding reference (``DEMO-INT-P-...``), reports by
their text, groups by name, entities by key and links by their ends, type and report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from faker import Faker

from socex.accounts.models import Organisation, Team, User
from socex.areas.models import LPA
from socex.intelligence import rules, services
from socex.intelligence.models import Entity, EntityKind, Group, GroupKind, Link, Report
from socex.intelligence.suggest import suggest_entities
from socex.people.details import PersonDetails
from socex.people.models import Holding, Person
from socex.people.services import person_create
from socex.sharing.models import LegalBasis

if TYPE_CHECKING:
    from socex.demo.seed import SeedSummary

SEED = 2026
POLICE = "West Midlands Police"
DOMAIN = "demo.socex.example"
DETECTIVE = f"hub.detective@{DOMAIN}"
OFFICER = f"hub.officer.wolverhampton@{DOMAIN}"
ANALYST = f"analyst@{DOMAIN}"
DISSEMINATE_TO = "Walsall Council Early Help"
DISSEMINATION_BASIS = "children-act-2004-s11"
RESTRICTED_TEAM = "Birmingham SOCEX Hub"
HOLDING_PREFIX = "DEMO-INT-P-"


@dataclass(frozen=True)
class Nominal:
    key: str
    street_name: str
    age: int
    gender: str
    lpa: str
    postcode: str
    phone: str = ""
    given_name: str = ""
    """Fixed where the reports call them by their first name; otherwise from Faker."""


NOMINALS = (
    Nominal("tiny", "Tiny", 24, "male", "Birmingham", "B10 0QX", "07700 900201"),
    Nominal("deano", "Deano", 22, "male", "Walsall", "WS2 8NT", "07700 900202"),
    Nominal("smudge", "Smudge", 19, "male", "Walsall", "WS1 4NN", "07700 900203"),
    Nominal("mouse", "Mouse", 17, "male", "Walsall", "WS3 2JQ", "07700 900204"),
    Nominal("littlet", "Little T", 16, "male", "Birmingham", "B9 4AA"),
    Nominal("blade", "Blade", 18, "male", "Birmingham", "B11 1AA"),
    Nominal("jayden", "", 14, "male", "Walsall", "WS2 9QP", given_name="Jayden"),
    Nominal("amelia", "", 15, "female", "Walsall", "WS5 4NE", given_name="Amelia"),
    Nominal("adult", "", 52, "male", "Walsall", "WS1 3LP"),
)

GROUPS = {
    "ace": ("Ace line", GroupKind.COUNTY_LINE, "07700 900123", ("Walsall",), "Shrewsbury, Telford"),
    "bando": ("Bando line", GroupKind.COUNTY_LINE, "07700 900456", ("Birmingham", "Walsall"), ""),
    "crew": ("Small Heath crew", GroupKind.OCG, "", ("Birmingham",), ""),
}

# An entity a link names: a nominal ("p:tiny"), a group ("g:ace") or a typed value ("phone:07700 900123").
P_GRADE = rules.Grade(scheme="3x5x2", source_evaluation="2", intelligence_assessment="B", handling_code="P")


@dataclass(frozen=True)
class DemoReport:
    days_ago: int
    lpa: str
    source: str
    author: str
    text: str
    people: tuple[str, ...] = ()
    links: tuple[tuple[str, str, str], ...] = ()
    stage: str = "published"
    grade: rules.Grade = P_GRADE
    sanitised: str = ""
    restricted: bool = False
    disseminate: bool = False


def _grade(source: str, assessment: str, handling: str = "P", conditions: str = "") -> rules.Grade:
    return rules.Grade(
        scheme="3x5x2",
        source_evaluation=source,
        intelligence_assessment=assessment,
        handling_code=handling,
        handling_conditions=conditions,
    )


REPORTS: tuple[DemoReport, ...] = (
    DemoReport(
        540,
        "Walsall",
        "public",
        OFFICER,
        "Neighbour reports young people going in and out of Flat 3, 22 Moat Road, WS1 3LP at all hours. The man who lives there is vulnerable and is rarely seen.",
        ("adult",),
        (("p:adult", "lives_at", "location:WS1 3LP"),),
        sanitised="Concerns about young people visiting an address in central Walsall where a vulnerable adult lives.",
    ),
    DemoReport(
        520,
        "Walsall",
        "officer",
        OFFICER,
        "Deano was stopped driving a silver Ford Focus, FG67 HJK, on the Pleck with two younger boys in the car. He gave his address as WS2 8NT.",
        ("deano",),
        (("p:deano", "drives", "vehicle:FG67 HJK"), ("p:deano", "lives_at", "location:WS2 8NT")),
    ),
    DemoReport(
        500,
        "Walsall",
        "partner",
        OFFICER,
        "Source states that the deal line for the Ace line is 07700 900123 and that Deano runs it from Walsall, sending runners to Shrewsbury.",
        ("deano",),
        (("p:deano", "runs_line", "g:ace"), ("g:ace", "uses_phone", "phone:07700 900123")),
        grade=_grade("2", "C"),
    ),
    DemoReport(
        480,
        "Birmingham",
        "officer",
        DETECTIVE,
        "Tiny is seen most evenings in a black Audi A3, AB12 CDE, around Small Heath. He is believed to be a senior member of the Small Heath crew.",
        ("tiny",),
        (("p:tiny", "drives", "vehicle:AB12 CDE"), ("p:tiny", "associate", "g:crew")),
    ),
    DemoReport(
        470,
        "Birmingham",
        "partner",
        DETECTIVE,
        "Information from a partner: the Bando line sells crack cocaine and heroin in Birmingham and Walsall. The deal line is 07700 900456 and Tiny holds it.",
        ("tiny",),
        (("p:tiny", "runs_line", "g:bando"), ("g:bando", "uses_phone", "phone:07700 900456")),
        grade=_grade("2", "B"),
    ),
    DemoReport(
        455,
        "Walsall",
        "officer",
        OFFICER,
        "Smudge was seen handing a package to a boy outside the chip shop on Stafford Street. Smudge uses the phone 07700 900203.",
        ("smudge",),
        (("p:smudge", "uses_phone", "phone:07700 900203"),),
    ),
    DemoReport(
        440,
        "Walsall",
        "public",
        OFFICER,
        "Caller says a young man called Smudge drives a white Transit, MA65 TRV, and picks up children after school near WS1 4NN.",
        ("smudge",),
        (("p:smudge", "drives", "vehicle:MA65 TRV"), ("p:smudge", "lives_at", "location:WS1 4NN")),
        grade=_grade("3", "C"),
    ),
    DemoReport(
        430,
        "Birmingham",
        "officer",
        DETECTIVE,
        "Intelligence suggests Smudge was recruited by Tiny about two years ago and now recruits younger children for the Bando line in Walsall.",
        ("smudge", "tiny"),
        (("p:smudge", "recruited_by", "p:tiny"),),
        grade=_grade("2", "C"),
    ),
    DemoReport(
        410,
        "Walsall",
        "partner",
        OFFICER,
        "A school reports that a pupil, Mouse, has been seen with large amounts of cash and a new phone, 07700 900204. He has missed 20 days since September.",
        ("mouse",),
        (("p:mouse", "uses_phone", "phone:07700 900204"),),
        sanitised="A school has concerns about a pupil in Walsall with unexplained cash and a new phone, and poor attendance.",
    ),
    DemoReport(
        400,
        "Walsall",
        "partner",
        OFFICER,
        "Youth worker heard Mouse say that Smudge got him into 'going OT' for the line. Mouse lives near WS3 2JQ.",
        ("mouse", "smudge"),
        (("p:mouse", "recruited_by", "p:smudge"), ("p:mouse", "lives_at", "location:WS3 2JQ")),
        grade=_grade("2", "B"),
    ),
    DemoReport(
        390,
        "Walsall",
        "public",
        OFFICER,
        "Mouse and Smudge are seen going into Flat 3, 22 Moat Road, WS1 3LP several times a day. Packages are taken out in sports bags.",
        ("mouse", "smudge"),
        (("p:mouse", "frequents", "location:WS1 3LP"), ("p:smudge", "frequents", "location:WS1 3LP")),
        sanitised="Young people are seen visiting an address in central Walsall several times a day.",
        disseminate=True,
    ),
    DemoReport(
        370,
        "Birmingham",
        "officer",
        DETECTIVE,
        "Little T, aged 16, was stopped in Small Heath with £600 in cash. He said he works for Tiny. He lives near B9 4AA.",
        ("littlet", "tiny"),
        (("p:littlet", "recruited_by", "p:tiny"), ("p:littlet", "lives_at", "location:B9 4AA")),
    ),
    DemoReport(
        360,
        "Birmingham",
        "officer",
        DETECTIVE,
        "Blade and Little T are close associates and were seen together at the Small Heath address of Tiny, B10 0QX.",
        ("blade", "littlet", "tiny"),
        (
            ("p:blade", "associate", "p:littlet"),
            ("p:tiny", "lives_at", "location:B10 0QX"),
            ("p:blade", "frequents", "location:B10 0QX"),
        ),
    ),
    DemoReport(
        350,
        "Birmingham",
        "partner",
        DETECTIVE,
        "Blade carries a knife and acts as muscle for the Bando line. He is said to have threatened a runner who lost a package.",
        ("blade",),
        (("p:blade", "associate", "g:bando"),),
        grade=_grade("2", "C", "C", "Not to be shared with the family; partners to act only through the MACE chair"),
    ),
    DemoReport(
        340,
        "Walsall",
        "officer",
        OFFICER,
        "Deano rings Tiny on 07700 900201 from his own phone, 07700 900202, several times a week. The two lines share runners.",
        ("deano", "tiny"),
        (
            ("p:deano", "associate", "p:tiny"),
            ("p:tiny", "uses_phone", "phone:07700 900201"),
            ("p:deano", "uses_phone", "phone:07700 900202"),
        ),
    ),
    DemoReport(
        320,
        "Walsall",
        "partner",
        OFFICER,
        "Snapchat account @smudge_wsl posts images of cash and knives and follows many local pupils. Smudge is believed to run it.",
        ("smudge",),
        (("p:smudge", "uses_account", "handle:smudge_wsl"),),
    ),
    DemoReport(
        310,
        "Walsall",
        "partner",
        OFFICER,
        "Early Help report that a 14 year old boy says 'Smudge' gives him £50 to carry bags to Walsall bus station. The boy lives near WS2 9QP.",
        ("jayden", "smudge"),
        (("p:jayden", "recruited_by", "p:smudge"), ("p:jayden", "lives_at", "location:WS2 9QP")),
        sanitised="A 14 year old in Walsall is reported to be paid to carry bags for an older young man.",
    ),
    DemoReport(
        300,
        "Walsall",
        "partner",
        OFFICER,
        "A 15 year old girl near WS5 4NE is being given gifts by Mouse and was seen at Flat 3, 22 Moat Road, WS1 3LP late at night.",
        ("amelia", "mouse"),
        (("p:amelia", "recruited_by", "p:mouse"), ("p:amelia", "frequents", "location:WS1 3LP")),
        grade=_grade("2", "B", "C", "Early Help and the school only; not to be discussed with the girl's family"),
    ),
    DemoReport(
        290,
        "Birmingham",
        "officer",
        DETECTIVE,
        "The Small Heath crew supplies the Bando line. Cash is counted at B10 0QX and moved by car.",
        (),
        (("g:crew", "associate", "g:bando"), ("g:crew", "frequents", "location:B10 0QX")),
    ),
    DemoReport(
        280,
        "Walsall",
        "officer",
        OFFICER,
        "Runners for the Ace line are collected in FG67 HJK from Walsall bus station each morning and driven to Shrewsbury.",
        (),
        (("g:ace", "drives", "vehicle:FG67 HJK"),),
        grade=_grade("1", "A"),
    ),
    DemoReport(
        270,
        "Walsall",
        "public",
        OFFICER,
        "Anonymous report: 'the Ace line number 07700 900123 sends texts every morning offering food and white'.",
        (),
        (),
        grade=_grade("3", "D"),
    ),
    DemoReport(
        260,
        "Birmingham",
        "partner",
        DETECTIVE,
        "Hotel staff report rooms booked with the email tiny.b99@mail.example for teenagers travelling to Walsall.",
        ("tiny",),
        (("p:tiny", "uses_account", "email:tiny.b99@mail.example"),),
    ),
    DemoReport(
        250,
        "Walsall",
        "officer",
        OFFICER,
        "Mouse was arrested in Shrewsbury with 20 wraps. His phone, 07700 900204, held messages from 07700 900123.",
        ("mouse",),
        (("p:mouse", "associate", "g:ace"),),
        grade=_grade("1", "A"),
    ),
    DemoReport(
        240,
        "Walsall",
        "partner",
        OFFICER,
        "The mother of a boy near WS2 9QP says Mouse and Smudge come to the door asking for her son.",
        ("jayden", "mouse", "smudge"),
        (("p:jayden", "associate", "p:mouse"),),
    ),
    DemoReport(
        230,
        "Birmingham",
        "officer",
        DETECTIVE,
        "Tiny was seen passing a bag to Blade from AB12 CDE outside a gym in Small Heath.",
        ("tiny", "blade"),
        (("p:blade", "associate", "p:tiny"),),
    ),
    DemoReport(
        220,
        "Walsall",
        "partner",
        OFFICER,
        "Amelia's cousin is Mouse. Her school says she is frightened of him but spends weekends at his address near WS3 2JQ.",
        ("amelia", "mouse"),
        (("p:amelia", "family", "p:mouse"), ("p:amelia", "frequents", "location:WS3 2JQ")),
    ),
    DemoReport(
        200,
        "Walsall",
        "officer",
        OFFICER,
        "Deano now drives a red Vauxhall Corsa, BD19 XYZ. The Ford Focus FG67 HJK has been sold.",
        ("deano",),
        (("p:deano", "drives", "vehicle:BD19 XYZ"),),
    ),
    DemoReport(
        180,
        "Birmingham",
        "partner",
        DETECTIVE,
        "A taxi driver reports regular fares from Small Heath to Walsall paid by a man known as Tiny who rings from 07700 900201.",
        ("tiny",),
        (),
    ),
    DemoReport(
        160,
        "Walsall",
        "public",
        OFFICER,
        "The flat at WS1 3LP has had its door kicked in. The man who lives there says he owes money to 'the lads'.",
        ("adult",),
        (),
    ),
    DemoReport(
        150,
        "Walsall",
        "officer",
        OFFICER,
        "Smudge and Deano seen together in BD19 XYZ at the retail park. Smudge appears to answer to Deano now.",
        ("smudge", "deano"),
        (("p:smudge", "associate", "p:deano"),),
    ),
    DemoReport(
        140,
        "Birmingham",
        "partner",
        DETECTIVE,
        "A school reports Little T is recruiting Year 9 pupils through Snapchat, account littlet_0121.",
        ("littlet",),
        (("p:littlet", "uses_account", "handle:littlet_0121"),),
    ),
    DemoReport(
        120,
        "Walsall",
        "partner",
        OFFICER,
        "Early Help have seen Jayden with a second phone he will not explain. He was missing overnight twice this month.",
        ("jayden",),
        (),
        stage="evaluated",
    ),
    DemoReport(
        100,
        "Walsall",
        "officer",
        OFFICER,
        "The Ace line deal line 07700 900123 is now answered by Mouse on some days, according to test purchases.",
        ("mouse",),
        (("p:mouse", "runs_line", "g:ace"),),
        stage="evaluated",
    ),
    DemoReport(
        90,
        "Birmingham",
        "officer",
        DETECTIVE,
        "Legacy record transferred from the old system: Tiny linked to supply of Class A in Small Heath.",
        ("tiny",),
        (),
        stage="evaluated",
        grade=rules.Grade(scheme="5x5x5", legacy_grading="B24"),
    ),
    DemoReport(
        75,
        "Walsall",
        "partner",
        OFFICER,
        "A new runner, about 13, is seen with Smudge at Walsall bus station most mornings.",
        ("smudge",),
        (),
        stage="evaluated",
        grade=_grade("2", "C"),
    ),
    DemoReport(
        60,
        "Birmingham",
        "officer",
        DETECTIVE,
        "Covert source: the Small Heath crew plans to move the Bando line deal line to a new number next month.",
        (),
        (),
        stage="submitted",
        restricted=True,
    ),
    DemoReport(
        45,
        "Walsall",
        "public",
        OFFICER,
        "Neighbour reports a black Audi, AB12 CDE, parked outside WS1 3LP for an hour on Friday night.",
        (),
        (),
        stage="sanitised",
    ),
    DemoReport(
        30,
        "Walsall",
        "partner",
        OFFICER,
        "The school says Amelia has been given a new phone and talks about a man called Deano.",
        ("amelia", "deano"),
        (("p:amelia", "associate", "p:deano"),),
        stage="evaluated",
    ),
    DemoReport(
        14,
        "Walsall",
        "officer",
        OFFICER,
        "Mouse was stopped on the train to Shrewsbury with £900 and two phones. He would not give the numbers.",
        ("mouse",),
        (),
        stage="submitted",
    ),
    DemoReport(
        5,
        "Birmingham",
        "partner",
        DETECTIVE,
        "Blade has been seen in Walsall with Smudge. It may be that the two lines are merging.",
        ("blade", "smudge"),
        (),
        stage="submitted",
    ),
)


def seed_demo_intelligence(*, organisations: dict[str, Organisation], summary: SeedSummary) -> None:
    """Create whichever demo intelligence is missing, through the services (audited)."""
    for kind in ("intelligence reports", "intelligence links"):
        summary.created.setdefault(kind, 0)
        summary.existing.setdefault(kind, 0)
    users = {user.email: user for user in User.objects.filter(email__in=[DETECTIVE, OFFICER, ANALYST])}
    if len(users) < 3:
        return  # the personas come first (seed_demo); nothing to do without them
    with transaction.atomic():
        people = _nominals(organisations[POLICE], users[ANALYST])
        groups = _groups(users[ANALYST])
        lpas = {lpa.name: lpa for lpa in LPA.objects.filter(name__in=("Birmingham", "Walsall"))}
        for spec in REPORTS:
            _report(spec, users, people, groups, lpas, organisations, summary)


def _nominals(police: Organisation, actor: User) -> dict[str, Person]:
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    lpas = {lpa.name: lpa for lpa in LPA.objects.all()}
    today = timezone.localdate()
    existing = {
        holding.local_reference: holding.person
        for holding in Holding.objects.filter(local_reference__startswith=HOLDING_PREFIX).select_related("person")
    }
    people = {}
    for index, nominal in enumerate(NOMINALS, start=1):
        given = fake.first_name_male() if nominal.gender == "male" else fake.first_name_female()
        family = fake.last_name()
        reference = f"{HOLDING_PREFIX}{index:02d}"
        if reference in existing:
            people[nominal.key] = existing[reference]
            continue
        born = today.replace(year=today.year - nominal.age) - dt.timedelta(days=fake.random_int(30, 330))
        people[nominal.key] = person_create(
            actor=actor,
            details=PersonDetails(
                given_name=nominal.given_name or given,
                family_name=family,
                date_of_birth=born,
                dob_precision="exact",
                gender=nominal.gender,
                aliases=[(nominal.street_name, "")] if nominal.street_name else [],
                postcodes=[nominal.postcode],
                phones=[nominal.phone] if nominal.phone else [],
            ),
            owner=police,
            lpa=lpas.get(nominal.lpa),
            profile={"gender": nominal.gender},
            holding_reference=reference,
        )
    return people


def _groups(actor: User) -> dict[str, Group]:
    groups = {}
    for key, (name, kind, deal_line, areas, notes) in GROUPS.items():
        group = Group.objects.filter(kind=kind, name=name).first()
        if group is None:
            group = services.group_create(
                actor=actor,
                kind=kind,
                name=name,
                deal_line=deal_line,
                areas_supplied=LPA.objects.filter(name__in=areas),
                area_notes=notes,
            )
        groups[key] = group
    return groups


def _entity(ref: str, actor: User, people: dict[str, Person], groups: dict[str, Group]) -> Entity:
    kind, _, value = ref.partition(":")
    if kind == "p":
        return services.person_entity(actor=actor, person=people[value])
    if kind == "g":
        return services.group_entity(actor=actor, group=groups[value])
    return services.entity_get_or_create(actor=actor, kind=kind, value=value)


def _report(
    spec: DemoReport,
    users: dict[str, User],
    people: dict[str, Person],
    groups: dict[str, Group],
    lpas: dict[str, LPA],
    organisations: dict[str, Organisation],
    summary: SeedSummary,
) -> None:
    existing = Report.objects.filter(text=spec.text).first()
    if existing is not None:
        summary.existing["intelligence reports"] += 1
        return
    author, analyst, detective = users[spec.author], users[ANALYST], users[DETECTIVE]
    team = (
        Team.objects.filter(organisation=author.organisation, name=RESTRICTED_TEAM).first() if spec.restricted else None
    )
    report = services.report_submit(
        actor=author,
        source_type=spec.source,
        obtained_on=timezone.localdate() - dt.timedelta(days=spec.days_ago),
        lpa=lpas[spec.lpa],
        text=spec.text,
        restricted_team=team if team is not None and author.team_id == team.pk else None,
    )
    summary.created["intelligence reports"] += 1
    annotator = detective if report.restricted_team_id else analyst
    _confirm_entities(report, annotator, people)
    for key in spec.people:
        services.mention_add(
            actor=annotator, report=report, entity=services.person_entity(actor=annotator, person=people[key])
        )
    for source, link_type, target in spec.links:
        _link(
            report,
            annotator,
            _entity(source, annotator, people, groups),
            link_type,
            _entity(target, annotator, people, groups),
            summary,
        )
    if spec.stage == "submitted":
        return
    report = services.report_evaluate(actor=analyst, report=report, grade=spec.grade)
    if spec.stage == "evaluated":
        return
    sanitised = spec.sanitised or _sanitised(spec)
    report = services.report_sanitise(actor=analyst, report=report, sanitised_text=sanitised)
    if spec.stage == "sanitised":
        return
    report = services.report_publish(actor=analyst, report=report)
    if spec.disseminate:
        services.report_disseminate(
            actor=detective,
            report=report,
            organisation=organisations[DISSEMINATE_TO],
            legal_basis=LegalBasis.objects.get(code=DISSEMINATION_BASIS),
            scope=f"Sanitised intelligence report {report.reference}, for Early Help's work with young people at the address",
            until=timezone.localdate() + dt.timedelta(days=180),
        )
        summary.created["shares"] = summary.created.get("shares", 0) + 1


def _confirm_entities(report: Report, actor: User, people: dict[str, Person]) -> None:
    """Tick every suggestion from the text, as an officer would after reading it."""
    tokens = [s.token for s in suggest_entities(report.text, actor) if s.kind != EntityKind.PERSON]
    wanted = {str(person.pk) for person in people.values()}
    tokens += [s.token for s in suggest_entities(report.text, actor) if s.kind == EntityKind.PERSON and s.key in wanted]
    if tokens:
        services.mentions_confirm(actor=actor, report=report, tokens=tokens)


def _link(report: Report, actor: User, source: Entity, link_type: str, target: Entity, summary: SeedSummary) -> None:
    if Link.objects.filter(report=report, source=source, target=target, link_type=link_type).exists():
        summary.existing["intelligence links"] += 1
        return
    services.link_create(
        actor=actor,
        report=report,
        source=source,
        target=target,
        link_type=link_type,
        valid_from=report.obtained_on,
    )
    summary.created["intelligence links"] += 1


def _sanitised(spec: DemoReport) -> str:
    """A sanitised summary: the area and the kind of concern, without names, numbers or vehicles."""
    return f"Intelligence about criminal exploitation linked to county lines in {spec.lpa}. Details are held by the police."
