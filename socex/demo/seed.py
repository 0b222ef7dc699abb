"""A believable, wholly synthetic West Midlands for demonstrations and manual testing.

``seed_demo`` builds on the reference geography (``manage.py load_reference``): West Midlands
Police with its three hub teams, each council's Early Help and children's services, schools,
charities, health, probation, the Violence Reduction Partnership, a user for each persona and
about thirty further staff. Every person is made up. Organisations, teams and users are created
through the accounts services, so each one is audited like any other change.

It is idempotent: everything is looked up by its natural key (organisation name, team name
within its organisation, user email) and only what is missing is created. Generated names come
from Faker with a fixed seed, so every run generates the same ones.

Phone numbers are from Ofcom's range reserved for drama (0121 496 0000 to 0999), so none
belongs to anyone. Email addresses use the reserved ``.example`` top-level domain.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from socex.accounts.models import Organisation, OrganisationType, Role, Team, User
from socex.accounts.services import organisation_create, team_create, user_create
from socex.areas.models import LPA, Hub
from socex.demo.analytics_crime import seed_demo_analytics_crime
from socex.demo.cases import seed_demo_cases
from socex.demo.funding import seed_demo_funding
from socex.demo.intelligence import seed_demo_intelligence
from socex.demo.investigations import seed_demo_investigations
from socex.demo.nrm import seed_demo_nrm
from socex.demo.people import seed_demo_people
from socex.demo.referrals import seed_demo_referrals
from socex.demo.safeguarding import seed_demo_safeguarding
from socex.sharing.models import LegalBasis
from socex.sharing.services import share_grant, shares_for

DEMO_DOMAIN = "demo.socex.example"
# Demo only: every demo account shares it. Override with SOCEX_DEMO_PASSWORD.
DEFAULT_DEMO_PASSWORD = "demo-socex-2026"  # noqa: S105 - a published demo password, never a real one
SEED = 2026
WMP = "West Midlands Police"
VRP = "West Midlands Violence Reduction Partnership"
PROBATION = "Midlands Regional Probation Service (demo)"

# ONS code -> borough name, for the seven LPAs the demo needs in the reference data.
BOROUGHS = {
    "E08000025": "Birmingham",
    "E08000026": "Coventry",
    "E08000027": "Dudley",
    "E08000028": "Sandwell",
    "E08000029": "Solihull",
    "E08000030": "Walsall",
    "E08000031": "Wolverhampton",
}
HUB_TEAMS = {
    "birmingham": "Birmingham SOCEX Hub",
    "coventry": "Coventry SOCEX Hub",
    "wolverhampton": "Wolverhampton SOCEX Hub",
}
POLICE_TEAMS = ("Force Intelligence Bureau", "Information Management", "Public Protection Unit")
CHARITIES = {
    "Lantern Youth Trust (demo)": "E08000025",
    "Northway Mentoring Project (demo)": "E08000026",
    "Keystone Young Carers (demo)": "E08000027",
    "Brightpath Youth Outreach (demo)": "E08000028",
    "Canalside Families Network (demo)": "E08000030",
}
PERSONA_SCHOOL = "Dudley Park Academy"
SCHOOLS_PER_BOROUGH = 3
SCHOOL_PLACES = ("Park", "Hill", "Vale", "Green", "Fields", "Brook", "Lane", "Grange")
SCHOOL_KINDS = ("Academy", "High School", "Community School", "Primary School", "College")
# Faker locales and weights, so names reflect the region's many communities.
# Each person's first and last names come from the same locale.
NAME_LOCALES = OrderedDict(
    [("en_GB", 6), ("en_PK", 2), ("en_IN", 1), ("pl_PL", 1), ("en_NG", 1), ("tw_GH", 1), ("en_IE", 1)]
)


class SeedRefused(Exception):
    """The demo cannot be seeded here; the message says why and what to do."""


@dataclass(frozen=True)
class Persona:
    label: str
    email: str
    full_name: str
    job_title: str
    organisation: str
    roles: tuple[str, ...]
    team: str | None = None


def _email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "Hub detective (Birmingham hub)",
        _email("hub.detective"),
        "DC Priya Sandhu",
        "Detective Constable",
        WMP,
        ("hub-detective",),
        "Birmingham SOCEX Hub",
    ),
    Persona(
        "Hub officer (Coventry hub)",
        _email("hub.officer.coventry"),
        "Sam Whitfield",
        "Exploitation Hub Officer",
        WMP,
        ("hub-officer",),
        "Coventry SOCEX Hub",
    ),
    Persona(
        "Hub officer (Wolverhampton hub)",
        _email("hub.officer.wolverhampton"),
        "Kemi Adebayo",
        "Exploitation Hub Officer",
        WMP,
        ("hub-officer",),
        "Wolverhampton SOCEX Hub",
    ),
    Persona(
        "Intelligence analyst",
        _email("analyst"),
        "Tomasz Nowicki",
        "Intelligence Analyst",
        WMP,
        ("intelligence-analyst",),
        "Force Intelligence Bureau",
    ),
    Persona(
        "Partner practitioner (Walsall Early Help)",
        _email("earlyhelp.walsall"),
        "Jo Bennett",
        "Early Help Practitioner",
        "Walsall Council Early Help",
        ("partner-practitioner",),
    ),
    Persona(
        "School safeguarding lead, Dudley (outsider)",
        _email("dsl.dudley"),
        "Alex Morgan",
        "Designated Safeguarding Lead",
        PERSONA_SCHOOL,
        ("partner-practitioner",),
    ),
    Persona(
        "MACE chair (Sandwell)",
        _email("mace.sandwell"),
        "Ruth Adeyemi",
        "MACE Chair, Exploitation Service Manager",
        "Sandwell Children's Trust",
        ("mace-chair",),
    ),
    Persona("VRP officer", _email("vrp"), "Imran Hussain", "VRP Commissioning Officer", VRP, ("vrp-officer",)),
    Persona(
        "Supervisor (Birmingham hub)",
        _email("supervisor"),
        "DS Helen Clarke",
        "Detective Sergeant",
        WMP,
        ("supervisor",),
        "Birmingham SOCEX Hub",
    ),
    Persona(
        "Auditor",
        _email("auditor"),
        "Grace Liu",
        "Information Manager",
        WMP,
        ("auditor",),
        "Information Management",
    ),
    Persona("Administrator", _email("admin"), "Chris Evans", "System Administrator", WMP, ("administrator",)),
)


@dataclass(frozen=True)
class OrgSpec:
    name: str
    org_type: str
    lpa_code: str | None = None


@dataclass(frozen=True)
class StaffSpec:
    organisation: str
    team: str | None
    roles: tuple[str, ...]
    job_title: str
    count: int


# About thirty further staff, spread across the partnership.
STAFF: tuple[StaffSpec, ...] = (
    StaffSpec(WMP, "Birmingham SOCEX Hub", ("hub-detective",), "Detective Constable", 3),
    StaffSpec(WMP, "Birmingham SOCEX Hub", ("hub-officer",), "Exploitation Hub Officer", 2),
    StaffSpec(WMP, "Coventry SOCEX Hub", ("hub-detective",), "Detective Constable", 2),
    StaffSpec(WMP, "Coventry SOCEX Hub", ("hub-officer",), "Exploitation Hub Officer", 1),
    StaffSpec(WMP, "Wolverhampton SOCEX Hub", ("hub-detective",), "Detective Constable", 2),
    StaffSpec(WMP, "Wolverhampton SOCEX Hub", ("hub-officer",), "Exploitation Hub Officer", 2),
    StaffSpec(WMP, "Force Intelligence Bureau", ("intelligence-analyst",), "Intelligence Analyst", 2),
    StaffSpec(WMP, "Public Protection Unit", ("hub-detective",), "Detective Constable", 2),
    StaffSpec("Birmingham Council Early Help", None, ("partner-practitioner",), "Early Help Practitioner", 2),
    StaffSpec("Coventry Council Early Help", None, ("partner-practitioner",), "Early Help Practitioner", 1),
    StaffSpec("Wolverhampton Council Early Help", None, ("partner-practitioner",), "Family Support Worker", 1),
    StaffSpec("Walsall Council Early Help", None, ("partner-practitioner",), "Family Support Worker", 1),
    StaffSpec("Birmingham Children's Services", None, ("mace-chair",), "Exploitation Team Manager", 1),
    StaffSpec("Coventry Children's Services", None, ("partner-practitioner",), "Social Worker", 1),
    StaffSpec("Dudley Children's Services", None, ("partner-practitioner",), "Social Worker", 1),
    StaffSpec("Solihull Children's Services", None, ("partner-practitioner",), "Social Worker", 1),
    StaffSpec("Lantern Youth Trust (demo)", None, ("partner-practitioner",), "Youth Worker", 1),
    StaffSpec("Canalside Families Network (demo)", None, ("partner-practitioner",), "Family Mentor", 1),
    StaffSpec("Birmingham Community Health (demo)", None, ("partner-practitioner",), "School Nurse", 1),
    StaffSpec("Sandwell Community Health (demo)", None, ("partner-practitioner",), "Safeguarding Nurse", 1),
    StaffSpec(PROBATION, None, ("partner-practitioner",), "Probation Officer", 1),
    StaffSpec(VRP, None, ("vrp-officer",), "VRP Analyst", 1),
)


@dataclass
class SeedSummary:
    created: dict[str, int] = field(default_factory=lambda: {"organisations": 0, "teams": 0, "users": 0, "shares": 0})
    existing: dict[str, int] = field(default_factory=lambda: {"organisations": 0, "teams": 0, "users": 0, "shares": 0})

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    def lines(self) -> list[str]:
        return [
            f"{kind.capitalize()}: {self.created[kind]} created, {self.existing[kind]} already there"
            for kind in self.created
        ]


def demo_password() -> str:
    return os.environ.get("SOCEX_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def check_can_seed() -> dict[str, LPA]:
    """Refuse in production and without the reference data; return the LPAs by ONS code."""
    if settings.MODE == "production":
        raise SeedRefused(
            "seed_demo creates synthetic people who share one published password, so it never runs in "
            "production (SOCEX_MODE=production). Use SOCEX_MODE=demo for a demonstration."
        )
    lpas = {lpa.code: lpa for lpa in LPA.objects.filter(code__in=BOROUGHS)}
    hubs = set(Hub.objects.filter(code__in=HUB_TEAMS).values_list("code", flat=True))
    if len(lpas) < len(BOROUGHS) or len(hubs) < len(HUB_TEAMS):
        raise SeedRefused(
            "The West Midlands reference data is not loaded (the demo needs its 7 LPAs and 3 hubs). "
            "Run `manage.py load_reference` first, then `manage.py seed_demo` again."
        )
    missing_roles = {role for persona in PERSONAS for role in persona.roles} - set(
        Role.objects.values_list("code", flat=True)
    )
    if missing_roles:
        raise SeedRefused(
            f"The default roles are missing ({', '.join(sorted(missing_roles))}). Run `manage.py migrate` first."
        )
    return lpas


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", ".", plain).strip(".")


def _school_names() -> dict[str, list[str]]:
    """Generated, fictional school names, the same on every run."""
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    used = {PERSONA_SCHOOL}
    schools: dict[str, list[str]] = {code: [] for code in BOROUGHS}
    schools["E08000027"].append(PERSONA_SCHOOL)
    for code in BOROUGHS:
        while len(schools[code]) < SCHOOLS_PER_BOROUGH:
            name = f"{fake.last_name()} {fake.random_element(SCHOOL_PLACES)} {fake.random_element(SCHOOL_KINDS)}"
            if name not in used:
                used.add(name)
                schools[code].append(name)
    return schools


def organisation_specs() -> list[OrgSpec]:
    specs = [OrgSpec(WMP, OrganisationType.POLICE)]
    for code, borough in BOROUGHS.items():
        specs.append(OrgSpec(f"{borough} Council Early Help", OrganisationType.EARLY_HELP, code))
        childrens = "Sandwell Children's Trust" if borough == "Sandwell" else f"{borough} Children's Services"
        specs.append(OrgSpec(childrens, OrganisationType.CHILDRENS_SERVICES, code))
        specs.append(OrgSpec(f"{borough} Community Health (demo)", OrganisationType.HEALTH, code))
    for code, names in _school_names().items():
        specs.extend(OrgSpec(name, OrganisationType.EDUCATION, code) for name in names)
    specs.extend(OrgSpec(name, OrganisationType.VOLUNTARY_SECTOR, code) for name, code in CHARITIES.items())
    specs.append(OrgSpec(PROBATION, OrganisationType.PROBATION))
    specs.append(OrgSpec(VRP, OrganisationType.VRP))
    return specs


def _staff_people() -> Iterator[tuple[StaffSpec, str, str]]:
    """(spec, full name, email) for the further staff, the same on every run."""
    fake = Faker(list(NAME_LOCALES))
    fake.seed_instance(SEED)
    taken = {persona.email for persona in PERSONAS}
    for spec in STAFF:
        for _ in range(spec.count):
            person = fake[fake["en_GB"].random_element(NAME_LOCALES)]
            full_name = f"{person.first_name()} {person.last_name()}"
            local = _slug(full_name)
            email, n = _email(local), 1
            while email in taken:
                n += 1
                email = _email(f"{local}{n}")
            taken.add(email)
            yield spec, full_name, email


def _organisation(spec: OrgSpec, lpas: dict[str, LPA], index: int, summary: SeedSummary) -> Organisation:
    existing = Organisation.objects.filter(name=spec.name).first()
    if existing is not None:
        summary.existing["organisations"] += 1
        return existing
    summary.created["organisations"] += 1
    return organisation_create(
        name=spec.name,
        org_type=spec.org_type,
        lpa=lpas[spec.lpa_code] if spec.lpa_code else None,
        contact_email=_email(f"contact.{_slug(spec.name)}"),
        contact_phone=f"0121 496 0{index:03d}",
    )


def _team(organisation: Organisation, name: str, hub: Hub | None, summary: SeedSummary) -> Team:
    existing = Team.objects.filter(organisation=organisation, name=name).first()
    if existing is not None:
        summary.existing["teams"] += 1
        return existing
    summary.created["teams"] += 1
    return team_create(organisation=organisation, name=name, hub=hub)


def _user(
    *,
    email: str,
    full_name: str,
    job_title: str,
    organisation: Organisation,
    team: Team | None,
    roles: tuple[str, ...],
    password: str,
    summary: SeedSummary,
) -> User:
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        summary.existing["users"] += 1
        return existing
    summary.created["users"] += 1
    # Demo accounts share the published demo password instead of a one-time one, so that
    # anyone trying the demo can sign in as any persona straight away.
    user, _password = user_create(
        email=email,
        full_name=full_name,
        job_title=job_title,
        organisation=organisation,
        team=team,
        roles=list(Role.objects.filter(code__in=roles)),
        password=password,
    )
    return user


@transaction.atomic
def seed_demo(*, password: str) -> SeedSummary:
    """Create whatever part of the demo West Midlands is missing; change nothing that exists.

    Raises :class:`SeedRefused` in production or without the reference data, and Django's
    ``ValidationError`` if ``password`` fails the password rules; either way nothing is written.
    """
    lpas = check_can_seed()
    summary = SeedSummary()
    organisations = {
        spec.name: _organisation(spec, lpas, index, summary) for index, spec in enumerate(organisation_specs())
    }
    police = organisations[WMP]
    teams = {name: _team(police, name, Hub.objects.get(code=code), summary) for code, name in HUB_TEAMS.items()}
    teams.update({name: _team(police, name, None, summary) for name in POLICE_TEAMS})
    for persona in PERSONAS:
        _user(
            email=persona.email,
            full_name=persona.full_name,
            job_title=persona.job_title,
            organisation=organisations[persona.organisation],
            team=teams[persona.team] if persona.team else None,
            roles=persona.roles,
            password=password,
            summary=summary,
        )
    for spec, full_name, email in _staff_people():
        _user(
            email=email,
            full_name=full_name,
            job_title=spec.job_title,
            organisation=organisations[spec.organisation],
            team=teams[spec.team] if spec.team else None,
            roles=spec.roles,
            password=password,
            summary=summary,
        )
    for share in DEMO_SHARES:
        _share(share, teams=teams, organisations=organisations, summary=summary)
    seed_demo_people(organisations=organisations, summary=summary)
    seed_demo_cases(organisations=organisations, summary=summary)
    seed_demo_referrals(organisations=organisations, summary=summary)
    seed_demo_safeguarding(organisations=organisations, summary=summary)
    seed_demo_nrm(organisations=organisations, summary=summary)
    seed_demo_intelligence(organisations=organisations, summary=summary)
    seed_demo_investigations(organisations=organisations, summary=summary)
    seed_demo_funding(organisations=organisations, summary=summary)
    seed_demo_analytics_crime(organisations=organisations, summary=summary)
    return summary


@dataclass(frozen=True)
class ShareSpec:
    """A record the demo shares with a partner, so the sharing ledger has something in it."""

    actor_email: str
    team: str
    organisation: str
    legal_basis: str
    scope: str
    days: int


DEMO_SHARES = [
    ShareSpec(
        _email("hub.officer.wolverhampton"),
        "Wolverhampton SOCEX Hub",
        "Walsall Council Early Help",
        "children-act-2004-s11",
        "Hub team contacts and the referral pathway, for Walsall Early Help practitioners",
        90,
    ),
    ShareSpec(
        _email("hub.detective"),
        "Birmingham SOCEX Hub",
        "Sandwell Children's Trust",
        "dpa-2018-sch8-para4",
        "Hub team contacts for the Sandwell MACE meeting",
        10,
    ),
]


def _share(
    spec: ShareSpec, *, teams: dict[str, Team], organisations: dict[str, Organisation], summary: SeedSummary
) -> None:
    team, recipient = teams[spec.team], organisations[spec.organisation]
    if shares_for(team).filter(organisation=recipient).exists():
        summary.existing["shares"] += 1
        return
    summary.created["shares"] += 1
    share_grant(
        actor=User.objects.get(email=spec.actor_email),
        obj=team,
        organisation=recipient,
        legal_basis=LegalBasis.objects.get(code=spec.legal_basis),
        scope=spec.scope,
        until=timezone.localdate() + dt.timedelta(days=spec.days),
    )


def sign_in_rows() -> list[tuple[str, str, str]]:
    """(persona, email, organisation) for every demo persona, in the order of the README."""
    return [(persona.label, persona.email, persona.organisation) for persona in PERSONAS]
