"""The demo's VRP funding: Walsall's real 2024/25 local delivery allocations, and synthetic rest.

Real (from the West Midlands VRP's published Walsall 2024/25 local delivery allocations, named in
DESIGN.md): the three allocations' projects, leads and exact amounts, CARE Project (Walsall
Council Early Help, £35,000), Modern Slavery Response (Walsall Council, £5,000) and ASB/Violence
Response funding (Walsall Council, £7,981.29). Their "detail" wording is ours.

Synthetic, and marked ``is_synthetic`` so every page and export says so: the budget totals, the
two May 2024 response awards to Walsall schools, the James Brindley Foundation bid's exact amount
(published only as "over £150,000") and the £1 million consortium bid's funder and partners, the
spend claims and the monitoring return.

Everything is created through ``socex.funding.services`` by the demo VRP officer, so it is
audited like any other change; each record is found again by its name, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from socex.accounts.models import Organisation, OrganisationType, User
from socex.accounts.services import organisation_create
from socex.areas.models import LPA
from socex.funding import services
from socex.funding.models import Allocation, AllocationStatus, Bid, BidStatus, Budget, Programme, ResponseAward

if TYPE_CHECKING:
    from socex.demo.seed import SeedSummary

VRP_OFFICER = "vrp@demo.socex.example"
SUPERVISOR = "supervisor@demo.socex.example"
EARLY_HELP_USER = "earlyhelp.walsall@demo.socex.example"
WALSALL = "E08000030"
WALSALL_COUNCIL = "Walsall Council"
EARLY_HELP = "Walsall Council Early Help"
VRP = "West Midlands Violence Reduction Partnership"
YEAR = 2024
LOCAL_BUDGET = "Walsall local delivery"
RESPONSE_BUDGET = "Walsall response fund"

# (project, lead, amount, detail, target areas, target cohort, takes case referrals): published figures.
WALSALL_ALLOCATIONS = (
    (
        "CARE Project",
        EARLY_HELP,
        Decimal("35000.00"),
        "Early Help keyworkers offering intensive support to young people at risk of exploitation and their families.",
        "North and South Walsall",
        "Young people aged 11 to 16 with additional needs at risk of exploitation",
        True,
    ),
    (
        "Modern Slavery Response",
        WALSALL_COUNCIL,
        Decimal("5000.00"),
        "Training and co-ordination so council staff recognise modern slavery and make National Referral "
        "Mechanism referrals.",
        "Walsall",
        "Adults and children at risk of modern slavery",
        False,
    ),
    (
        "ASB/Violence Response funding",
        WALSALL_COUNCIL,
        Decimal("7981.29"),
        "Rapid response to anti-social behaviour and violence hotspots: diversionary activity and outreach.",
        "Walsall town centre and hotspot areas",
        "Young people involved in or affected by anti-social behaviour and violence",
        False,
    ),
)


def _created(summary: SeedSummary, kind: str, made: bool) -> None:
    summary.created.setdefault(kind, 0)
    summary.existing.setdefault(kind, 0)
    (summary.created if made else summary.existing)[kind] += 1


def _walsall_council(lpa: LPA, organisations: dict[str, Organisation], summary: SeedSummary) -> Organisation:
    existing = Organisation.objects.filter(name=WALSALL_COUNCIL).first()
    if existing:
        return existing
    council = organisation_create(name=WALSALL_COUNCIL, org_type=OrganisationType.LOCAL_AUTHORITY, lpa=lpa)
    organisations[WALSALL_COUNCIL] = council
    summary.created["organisations"] += 1
    return council


def _budget(actor: User, summary: SeedSummary, **values: Any) -> Budget:
    existing = Budget.objects.filter(name=values["name"], financial_year=values["financial_year"]).first()
    _created(summary, "budgets", existing is None)
    return existing or services.budget_create(actor=actor, **values)


def _walsall_schools(lpa: LPA) -> list[Organisation]:
    return list(Organisation.objects.filter(org_type=OrganisationType.EDUCATION, lpa=lpa).order_by("name")[:2])


def seed_demo_funding(*, organisations: dict[str, Organisation], summary: SeedSummary) -> None:
    """Create whichever demo budgets, allocations, awards and bids are missing (idempotent)."""
    vrp_officer = User.objects.get(email=VRP_OFFICER)
    supervisor = User.objects.get(email=SUPERVISOR)
    walsall = LPA.objects.get(code=WALSALL)
    council = _walsall_council(walsall, organisations, summary)
    leads = {EARLY_HELP: Organisation.objects.get(name=EARLY_HELP), WALSALL_COUNCIL: council}

    local = _budget(
        vrp_officer,
        summary,
        name=LOCAL_BUDGET,
        programme=Programme.LOCAL_DELIVERY,
        financial_year=YEAR,
        lpa=walsall,
        amount=Decimal("60000.00"),
        source="Home Office VRU grant (amount synthetic)",
        is_synthetic=True,
    )
    for project, lead, amount, detail, areas, cohort, takes_referrals in WALSALL_ALLOCATIONS:
        allocation = Allocation.objects.filter(budget=local, project=project).first()
        _created(summary, "allocations", allocation is None)
        if allocation is None:
            services.allocation_create(
                actor=vrp_officer,
                budget=local,
                project=project,
                lead=leads[lead],
                amount=amount,
                detail=detail,
                target_areas=areas,
                target_cohort=cohort,
                start_date=dt.date(YEAR, 4, 1),
                end_date=dt.date(YEAR + 1, 3, 31),
                status=AllocationStatus.ACTIVE,
                takes_case_referrals=takes_referrals,
            )
    _seed_reporting(local, supervisor)

    response = _budget(
        vrp_officer,
        summary,
        name=RESPONSE_BUDGET,
        programme=Programme.RESPONSE,
        financial_year=YEAR,
        lpa=walsall,
        amount=Decimal("20000.00"),
        source="VRP response fund (amount synthetic)",
        is_synthetic=True,
    )
    schools = _walsall_schools(walsall)
    for day, amount, what in (
        (dt.date(YEAR, 5, 9), Decimal("2500.00"), "A pupil was seriously injured in a stabbing near the school."),
        (dt.date(YEAR, 5, 23), Decimal("1750.00"), "A fight involving a weapon outside the school gates after school."),
    ):
        exists = ResponseAward.objects.filter(budget=response, incident_date=day).exists()
        _created(summary, "response awards", not exists)
        if not exists and schools:
            services.response_award_create(
                actor=vrp_officer,
                budget=response,
                incident_date=day,
                lpa=walsall,
                incident=what,
                recipients=schools[:1] if amount > 2000 else schools[1:] or schools,
                amount=amount,
                purpose="Trauma-informed support sessions for pupils and staff, and mentoring for pupils at risk.",
                awarded_on=day + dt.timedelta(days=5),
                is_synthetic=True,
            )
    _seed_bids(vrp_officer, summary, walsall, leads)


def _seed_reporting(local: Budget, supervisor: User) -> None:
    """Spend and a quarterly return on the CARE Project, reported by Walsall Early Help (synthetic)."""
    care = Allocation.objects.get(budget=local, project="CARE Project")
    reporter = User.objects.get(email=EARLY_HELP_USER)
    if not care.spend_claims.exists():
        first = services.spend_claim_submit(
            actor=reporter,
            allocation=care,
            amount=Decimal("8750.00"),
            description="Keyworker salaries, April to June",
            spent_on=dt.date(YEAR, 6, 30),
        )
        services.spend_claim_decide(actor=supervisor, claim=first, approve=True, note="Matches the payroll report.")
        services.spend_claim_submit(
            actor=reporter,
            allocation=care,
            amount=Decimal("8750.00"),
            description="Keyworker salaries, July to September",
            spent_on=dt.date(YEAR, 9, 30),
        )
    if not care.monitoring_returns.exists():
        services.monitoring_return_submit(
            actor=reporter,
            allocation=care,
            financial_year=YEAR,
            quarter=1,
            young_people_reached=23,
            sessions_delivered=61,
            outcomes="Synthetic demo figures. 23 young people worked with; 9 now attending school more often; "
            "4 stepped down from child protection plans to Early Help.",
        )


def _seed_bids(actor: User, summary: SeedSummary, walsall: LPA, leads: dict[str, Organisation]) -> None:
    vrp = Organisation.objects.get(name=VRP)
    title = "James Brindley Foundation bid"
    bid = Bid.objects.filter(title=title).first()
    _created(summary, "bids", bid is None)
    if bid is None:
        bid = services.bid_create(
            actor=actor,
            title=title,
            funder="James Brindley Foundation",
            amount_sought=Decimal("152000.00"),
            lead=vrp,
            partners=[leads[EARLY_HELP]],
            programme=Programme.OTHER,
            lpa=walsall,
            submitted_on=dt.date(YEAR, 2, 12),
            status=BidStatus.SUBMITTED,
            is_synthetic=True,
        )
        services.bid_decide(
            actor=actor,
            bid=bid,
            status=BidStatus.SUCCESSFUL,
            decision_on=dt.date(YEAR, 4, 18),
            outcome="Successful: over £150,000 for exploitation prevention in Walsall (exact figure synthetic).",
            budget_name="James Brindley Foundation grant",
        )
    title = "Consortium bid for youth violence prevention"
    exists = Bid.objects.filter(title=title).exists()
    _created(summary, "bids", not exists)
    if not exists:
        partners = [
            leads[EARLY_HELP],
            leads[WALSALL_COUNCIL],
            *Organisation.objects.filter(org_type=OrganisationType.VOLUNTARY_SECTOR)[:2],
        ]
        services.bid_create(
            actor=actor,
            title=title,
            funder="National youth violence funder (synthetic)",
            amount_sought=Decimal("1000000.00"),
            lead=vrp,
            partners=partners,
            programme=Programme.OTHER,
            submitted_on=dt.date(YEAR, 9, 30),
            status=BidStatus.SUBMITTED,
            is_synthetic=True,
        )
