"""The demo's investigations: hub staffing, three force operations, investigations into county
lines and exploitation, a year of disruption and some outcomes. All synthetic.

Operation names are the force's real programme names (Skyclash, Liberate, Guardian); their aims,
dates, investigations and figures here are made up. Everything goes through
``socex.investigations.services``, so it is audited; a second run finds what is there by name
or title and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from socex.accounts.models import Organisation, User
from socex.areas.models import LPA, Hub
from socex.investigations import services
from socex.investigations.models import (
    DisruptionKind,
    Investigation,
    InvestigationStatus,
    Operation,
    OperationScope,
    OutcomeKind,
    PersonRole,
    StaffKind,
    StaffMember,
)
from socex.people.models import Person

if TYPE_CHECKING:
    from socex.demo.seed import SeedSummary

SEED = 2026
MANAGER = "supervisor@demo.socex.example"
DETECTIVE = "hub.detective@demo.socex.example"
OPERATIONS = (
    (
        "Operation Skyclash",
        OperationScope.FORCE_WIDE,
        (),
        "Disrupt county lines: close deal lines, arrest line holders, safeguard the children they run.",
    ),
    (
        "Operation Liberate",
        OperationScope.FORCE_WIDE,
        (),
        "Find and free victims of modern slavery and labour exploitation; bring traffickers to court.",
    ),
    (
        "Operation Guardian",
        OperationScope.LOCAL,
        ("Birmingham", "Wolverhampton"),
        "Reduce serious youth violence and knife crime in the hot spots.",
    ),
)
# (title, offences, LPA, operation, days since opened, status)
INVESTIGATIONS = (
    (
        "BLUE line: Birmingham to Walsall county line",
        ["mda-s4-3", "msa-s2"],
        "Walsall",
        "Operation Skyclash",
        200,
        InvestigationStatus.AWAITING_COURT,
    ),
    (
        "Cuckooed flats, Pleck",
        ["mda-s5-3", "msa-s1"],
        "Walsall",
        "Operation Skyclash",
        90,
        InvestigationStatus.SUSPECT_IDENTIFIED,
    ),
    (
        "Car wash labour exploitation, Coventry",
        ["msa-s1", "poca-s327"],
        "Coventry",
        "Operation Liberate",
        300,
        InvestigationStatus.WITH_CPS,
    ),
    (
        "Knife-enabled robberies near schools",
        ["cja-s139", "oapa-s18"],
        "Wolverhampton",
        "Operation Guardian",
        40,
        InvestigationStatus.OPEN,
    ),
    ("Child sexual exploitation ring, Dudley", ["soa-s48", "soa-s49"], "Dudley", None, 420, InvestigationStatus.OPEN),
)


def _count(summary: SeedSummary, kind: str, made: bool) -> None:
    summary.created.setdefault(kind, 0)
    summary.existing.setdefault(kind, 0)
    (summary.created if made else summary.existing)[kind] += 1


def _staff(manager: User, summary: SeedSummary) -> None:
    """Every police user in a hub team gets a post: detectives by their role, capacity by role."""
    for user in User.objects.filter(team__hub__isnull=False).select_related("team__hub"):
        exists = StaffMember.objects.filter(user=user).exists()
        _count(summary, "hub posts", not exists)
        if exists:
            continue
        detective = user.has_cap("investigation.manage")
        services.staff_set(
            actor=manager,
            user=user,
            hub=user.team.hub,  # type: ignore[union-attr,arg-type]
            kind=StaffKind.DETECTIVE if detective else StaffKind.NON_DETECTIVE,
            capacity=18 if detective else 25,
        )


def seed_demo_investigations(*, organisations: dict[str, Organisation], summary: SeedSummary) -> None:
    manager = User.objects.get(email=MANAGER)
    detective = User.objects.get(email=DETECTIVE)
    _staff(manager, summary)
    today = timezone.localdate()
    for name, scope, lpa_names, aims in OPERATIONS:
        exists = Operation.objects.filter(name=name).exists()
        _count(summary, "operations", not exists)
        if not exists:
            services.operation_create(
                actor=detective,
                name=name,
                scope=scope,
                aims=aims,
                start_date=today - dt.timedelta(days=700),
                lead=detective,
                lpas=LPA.objects.filter(name__in=lpa_names),
                hubs=Hub.objects.all(),
            )
    rng = random.Random(SEED)  # noqa: S311 - reproducible synthetic data, not secrets
    people = list(Person.objects.filter(merged_into__isnull=True).order_by("pk")[:40])
    for title, offences, lpa_name, operation_name, age, status in INVESTIGATIONS:
        if Investigation.objects.filter(title=title).exists():
            _count(summary, "investigations", False)
            continue
        _count(summary, "investigations", True)
        opened = today - dt.timedelta(days=age)
        lpa = LPA.objects.get(name=lpa_name)
        investigation = services.investigation_create(
            actor=detective,
            title=title,
            offences=offences,
            officer_in_case=detective,
            lpa=lpa,
            opened_on=opened,
            crime_references=[f"20/{rng.randint(100000, 999999)}/{opened:%y}"],
            operation=Operation.objects.filter(name=operation_name).first(),
            hub=lpa.serving_hubs.first(),
        )
        _people(detective, investigation, rng, people)
        _disruptions(detective, investigation, rng, today)
        if status != InvestigationStatus.OPEN:
            services.investigation_set_status(
                actor=detective,
                investigation=investigation,
                status=status,
                changed_on=opened + dt.timedelta(days=age // 2),
                version=1,
            )
        if status in (InvestigationStatus.AWAITING_COURT, InvestigationStatus.WITH_CPS):
            suspect = investigation.people.filter(role=PersonRole.SUSPECT).first()
            if suspect is not None:
                services.outcome_record(
                    actor=detective,
                    investigation=investigation,
                    kind=OutcomeKind.CHARGE,
                    person=suspect.person,
                    outcome_on=opened + dt.timedelta(days=age // 2),
                    detail="Charged; remanded in custody",
                )


def _people(detective: User, investigation: Investigation, rng: random.Random, people: list[Person]) -> None:
    if len(people) < 3:
        return
    suspect, *victims = rng.sample(people, 3)
    services.investigation_add_person(
        actor=detective, investigation=investigation, person=suspect, role=PersonRole.SUSPECT
    )
    for victim in victims:
        services.investigation_add_person(
            actor=detective, investigation=investigation, person=victim, role=PersonRole.VICTIM
        )


def _disruptions(detective: User, investigation: Investigation, rng: random.Random, today: dt.date) -> None:
    span = (today - investigation.opened_on).days
    for _ in range(rng.randint(3, 7)):
        day = investigation.opened_on + dt.timedelta(days=rng.randint(0, span))
        kind = rng.choice(DisruptionKind.values)
        extra: dict[str, object] = {}
        if kind == DisruptionKind.CASH:
            extra["cash_amount"] = f"{rng.randint(500, 9000)}.00"
        if kind == DisruptionKind.DRUGS:
            extra["drugs_description"] = f"{rng.randint(10, 90)} wraps of crack cocaine and heroin"
        services.disruption_record(
            actor=detective,
            kind=kind,
            occurred_on=day,
            lpa=investigation.lpa,
            quantity=1 if kind == DisruptionKind.CASH else rng.randint(1, 3),
            operation=investigation.operation,
            investigation=investigation,
            **extra,  # type: ignore[arg-type]
        )
