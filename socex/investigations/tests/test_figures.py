"""The manager's figures against hand-computed fixtures: investigations by status and age,
disruptions by month and area, outcomes, each officer's and hub's load against capacity, and
LPAs no hub serves."""

import datetime as dt
from decimal import Decimal

import pytest

from socex.areas.models import LPA, Hub
from socex.cases.services import case_create
from socex.intelligence.models import Report
from socex.investigations import figures, services, workload
from socex.investigations.models import DisruptionKind, InvestigationStatus, OutcomeKind
from socex.nrm.models import NrmReferral
from socex.safeguarding.models import Action

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def _investigation(actor, opened_on, lpa="Walsall", status=None):
    investigation = services.investigation_create(
        actor=actor,
        title="x",
        offences=["mda-s4-3"],
        officer_in_case=actor,
        lpa=LPA.objects.get(name=lpa),
        opened_on=opened_on,
    )
    if status:
        services.investigation_set_status(
            actor=actor, investigation=investigation, status=status, changed_on=opened_on, version=1
        )
    return investigation


def test_open_investigations_by_status_and_age(hub_detective, detective_post):
    _investigation(hub_detective, TODAY - dt.timedelta(days=10))  # open, under 3 months
    _investigation(hub_detective, TODAY - dt.timedelta(days=100))  # open, 3 to 6 months
    _investigation(
        hub_detective, TODAY - dt.timedelta(days=400), status=InvestigationStatus.AWAITING_COURT
    )  # over a year
    _investigation(hub_detective, TODAY - dt.timedelta(days=50), status=InvestigationStatus.CLOSED)  # not counted
    rows = dict(figures.open_by_status_and_age(TODAY))
    assert rows["Open"] == {"Under 3 months": 1, "3 to 6 months": 1, "6 to 12 months": 0, "Over a year": 0}
    assert rows["Awaiting court"] == {"Under 3 months": 0, "3 to 6 months": 0, "6 to 12 months": 0, "Over a year": 1}
    assert "Closed" not in rows


def test_disruptions_by_month_and_lpa_add_up_quantities(hub_detective):
    walsall, dudley = LPA.objects.get(name="Walsall"), LPA.objects.get(name="Dudley")
    for day, kind, lpa, quantity in (
        (dt.date(2026, 9, 3), DisruptionKind.ARREST, walsall, 2),
        (dt.date(2026, 9, 30), DisruptionKind.ARREST, dudley, 1),
        (dt.date(2026, 10, 1), DisruptionKind.DEAL_LINE, walsall, 1),
        (dt.date(2026, 11, 20), DisruptionKind.ARREST, walsall, 4),
        (dt.date(2025, 11, 30), DisruptionKind.ARREST, walsall, 9),  # outside the 12 months
    ):
        services.disruption_record(actor=hub_detective, kind=kind, occurred_on=day, lpa=lpa, quantity=quantity)
    starts, by_kind = figures.disruptions_by_month(TODAY, 3)
    assert starts == [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    assert by_kind["arrest"] == [3, 0, 4]
    assert by_kind["deal_line"] == [0, 1, 0]
    _, walsall_only = figures.disruptions_by_month(TODAY, 3, lpa_id=walsall.pk)
    assert walsall_only["arrest"] == [2, 0, 4]
    table = figures.disruptions_by_lpa(dt.date(2026, 9, 1), TODAY)
    assert (table["Walsall"]["arrest"], table["Dudley"]["arrest"], table["Walsall"]["deal_line"]) == (6, 1, 1)


def test_outcomes_by_kind(hub_detective, detective_post):
    investigation = _investigation(hub_detective, dt.date(2026, 1, 5))
    for kind in (OutcomeKind.CLOSURE_ORDER, OutcomeKind.CLOSURE_ORDER, OutcomeKind.COURT_RESULT):
        services.outcome_record(
            actor=hub_detective, investigation=investigation, kind=kind, outcome_on=dt.date(2026, 6, 1), detail="Done"
        )
    counts = dict(figures.outcomes_by_kind(dt.date(2026, 1, 1), TODAY))
    assert (counts["Closure order"], counts["Court result"], counts["Charged"]) == (2, 1, 0)


def _nrm(officer, person, lpa):
    return NrmReferral.objects.create(
        reference=f"NRM-2026-{NrmReferral.objects.count() + 1:06d}",
        person=person,
        lpa=lpa,
        first_responder=officer.organisation,
        first_responder_type="police",
        officer=officer,
        age_group="child",
        exploitation_types_version="v1",
        under_18="yes",
        consent="not_needed",
        status="awaiting_rg",
        submitted_on=dt.date(2026, 11, 1),
    )


def test_officer_and_hub_workload_against_capacity_and_unserved_areas(
    hub_detective, detective_post, child, walsall_partner
):
    walsall = LPA.objects.get(name="Walsall")
    case = case_create(
        actor=hub_detective,
        subjects=[child],
        lead_agency=walsall_partner.organisation,
        lpa=walsall,
        keyworker=hub_detective,
    )
    _investigation(hub_detective, dt.date(2026, 10, 1))
    _investigation(hub_detective, dt.date(2026, 10, 2), status=InvestigationStatus.CLOSED)
    _nrm(hub_detective, child, walsall)
    Action.objects.create(
        reference="ACT-2026-000001",
        case=case,
        description="Home visit",
        owner_agency=walsall_partner.organisation,
        owner=hub_detective,
        due_date=TODAY,
    )
    Action.objects.create(
        reference="ACT-2026-000002",
        case=case,
        description="Done",
        owner_agency=walsall_partner.organisation,
        owner=hub_detective,
        due_date=TODAY,
        status="done",
        completed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        completion_note="Visited",
    )

    (load,) = workload.officer_loads()
    assert load.work == {"cases": 1, "investigations": 1, "nrm_referrals": 1, "actions": 1}
    assert (load.total, load.capacity, load.percent) == (4, Decimal("20.0"), 20)

    wolverhampton = Hub.objects.get(code="wolverhampton")
    wolverhampton.lpas_served.remove(walsall)
    picture = workload.capacity_picture(start=dt.date(2025, 11, 27), end=TODAY)
    assert [lpa.name for lpa in picture.unserved] == ["Walsall"]
    birmingham = next(hub for hub in picture.hubs if hub.hub.code == "birmingham")
    assert (birmingham.detectives, birmingham.non_detectives, birmingham.capacity, birmingham.open_work) == (
        1,
        0,
        Decimal("20.0"),
        0,
    )
    assert picture.demand[walsall.pk] == {"referrals": 0, "cases": 1, "nrm_referrals": 1, "intelligence": 0}
    wolverhampton.lpas_served.add(walsall)
    served = next(hub for hub in workload.capacity_picture().hubs if hub.hub.code == "wolverhampton")
    assert served.open_work == 4  # the open case, investigation, NRM referral and action, all in Walsall
    assert served.percent is None
    assert served.label == "Wolverhampton SOCEX Hub (no staff recorded)"


def test_intelligence_counts_as_demand_in_its_area(analyst, wmp):
    Report.objects.create(
        reference="INT-2026-0000001",
        source_type="officer",
        obtained_on=dt.date(2026, 5, 1),
        lpa=LPA.objects.get(name="Dudley"),
        text="x",
        author=analyst,
        owner=wmp,
    )
    demand = workload.demand_by_lpa(dt.date(2026, 1, 1), TODAY)
    assert demand[LPA.objects.get(name="Dudley").pk]["intelligence"] == 1
    assert demand[LPA.objects.get(name="Walsall").pk]["intelligence"] == 0
