"""Investigation rules: detectives for detective offences, outcomes and disruptions dated
sensibly, victims who are also suspects only with a reason, status history and case notes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socex.areas.models import LPA
from socex.audit.models import Action, Event
from socex.investigations import services
from socex.investigations.models import DisruptionKind, InvestigationStatus, OutcomeKind, PersonRole, StatusChange
from socex.investigations.tests.conftest import OPENED

pytestmark = pytest.mark.django_db


def _open(actor, officer, offences, **extra):
    return services.investigation_create(
        actor=actor,
        title="Test",
        offences=offences,
        officer_in_case=officer,
        lpa=LPA.objects.get(name="Walsall"),
        opened_on=OPENED,
        **extra,
    )


def test_an_investigation_is_numbered_audited_and_starts_its_history(investigation):
    assert investigation.reference.startswith(f"INV-{timezone.localdate().year}-")
    assert investigation.offences_version == "offences-v1"
    assert investigation.crime_references == ["20/123456/26"]
    assert list(StatusChange.objects.filter(investigation=investigation).values_list("status", flat=True)) == ["open"]
    assert Event.objects.filter(action=Action.CREATE, object_type="investigations.investigation").exists()


def test_modern_slavery_needs_a_detective_as_officer_in_the_case(hub_detective, constable):
    with pytest.raises(ValidationError) as error:
        _open(hub_detective, constable, ["msa-s2"])
    message = error.value.message_dict["officer_in_case"][0]
    assert message.startswith("The officer in the case must be a detective for these offences: Human trafficking.")
    assert "PC Dan Moss is not recorded as a detective" in message


def test_drug_supply_does_not_need_a_detective(hub_detective, constable):
    assert _open(hub_detective, constable, ["mda-s4-3"]).officer_in_case == constable


def test_the_officer_in_the_case_must_run_investigations(hub_detective, hub_officer):
    with pytest.raises(ValidationError, match="police officer who runs investigations"):
        _open(hub_detective, hub_officer, ["mda-s4-3"])


def test_partners_and_read_only_managers_cannot_open_investigations(walsall_partner, supervisor, hub_detective):
    for actor in (walsall_partner, supervisor):
        with pytest.raises(PermissionDenied):
            _open(actor, hub_detective, ["mda-s4-3"])


@pytest.mark.parametrize("bad", ["not a ref!", "ab"])
def test_a_malformed_crime_reference_is_refused(hub_detective, detective_post, bad):
    with pytest.raises(ValidationError, match="is not a crime reference number"):
        _open(hub_detective, hub_detective, ["mda-s4-3"], crime_references=[bad])


def test_unknown_offences_are_refused(hub_detective, detective_post):
    with pytest.raises(ValidationError, match="Not on the offences list: murder"):
        _open(hub_detective, hub_detective, ["murder"])


# --- Outcomes ----------------------------------------------------------------------------------


def test_an_outcome_cannot_come_before_the_investigation_opened(hub_detective, investigation):
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            actor=hub_detective,
            investigation=investigation,
            kind=OutcomeKind.CLOSURE_ORDER,
            outcome_on=OPENED - dt.timedelta(days=1),
        )
    assert error.value.message_dict["outcome_on"] == [
        "An outcome cannot come before the investigation opened (2 March 2026)."
    ]
    assert services.outcome_record(
        actor=hub_detective, investigation=investigation, kind=OutcomeKind.CLOSURE_ORDER, outcome_on=OPENED
    )


def test_no_further_action_needs_a_reason_and_a_charge_needs_a_suspect(hub_detective, investigation, child):
    with pytest.raises(ValidationError, match="Give the reason for no further action"):
        services.outcome_record(
            actor=hub_detective, investigation=investigation, kind=OutcomeKind.NFA, outcome_on=OPENED
        )
    with pytest.raises(ValidationError, match="is not recorded as a suspect"):
        services.outcome_record(
            actor=hub_detective, investigation=investigation, kind=OutcomeKind.CHARGE, outcome_on=OPENED, person=child
        )
    services.investigation_add_person(
        actor=hub_detective, investigation=investigation, person=child, role=PersonRole.SUSPECT
    )
    charge = services.outcome_record(
        actor=hub_detective, investigation=investigation, kind=OutcomeKind.CHARGE, outcome_on=OPENED, person=child
    )
    assert charge.person == child


# --- Suspects and victims ------------------------------------------------------------------------


def test_a_victim_is_linked_to_their_open_case_and_the_case_learns_only_that_an_investigation_exists(
    hub_detective, investigation, child, childs_case
):
    entry = services.investigation_add_person(
        actor=hub_detective, investigation=investigation, person=child, role=PersonRole.VICTIM
    )
    assert entry.case == childs_case
    note = childs_case.chronology.get(category="investigation")
    assert note.summary == "Linked to a police investigation (status: open)"
    assert investigation.title not in note.summary + note.detail


def test_a_victim_who_is_also_a_suspect_needs_a_confirmation_and_a_reason(hub_detective, investigation, child):
    services.investigation_add_person(
        actor=hub_detective, investigation=investigation, person=child, role=PersonRole.VICTIM
    )
    with pytest.raises(ValidationError) as error:
        services.investigation_add_person(
            actor=hub_detective, investigation=investigation, person=child, role=PersonRole.SUSPECT
        )
    assert (
        "A victim who is also a suspect needs a confirmation and a reason."
        in error.value.message_dict["both_roles_reason"][0]
    )
    services.investigation_add_person(
        actor=hub_detective,
        investigation=investigation,
        person=child,
        role=PersonRole.SUSPECT,
        both_roles_reason="Exploited into holding drugs for the line",
    )
    assert set(investigation.people.values_list("both_roles_reason", flat=True)) == {
        "Exploited into holding drugs for the line"
    }


# --- Status -------------------------------------------------------------------------------------


def test_status_changes_are_kept_and_stale_changes_refused(hub_detective, investigation):
    services.investigation_set_status(
        actor=hub_detective,
        investigation=investigation,
        status=InvestigationStatus.WITH_CPS,
        changed_on=OPENED + dt.timedelta(days=30),
        version=1,
    )
    with pytest.raises(ValidationError, match="Someone else changed this investigation"):
        services.investigation_set_status(
            actor=hub_detective,
            investigation=investigation,
            status=InvestigationStatus.CLOSED,
            changed_on=OPENED,
            version=1,
        )
    closed = services.investigation_set_status(
        actor=hub_detective,
        investigation=investigation,
        status=InvestigationStatus.CLOSED,
        changed_on=OPENED + dt.timedelta(days=40),
        version=2,
    )
    assert closed.closed_on == OPENED + dt.timedelta(days=40)
    assert list(investigation.status_history.order_by("changed_on").values_list("status", flat=True)) == [
        "open",
        "with_cps",
        "closed",
    ]


# --- Disruptions ---------------------------------------------------------------------------------


def test_a_disruption_dated_in_the_future_is_refused(hub_detective, investigation):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.disruption_record(
            actor=hub_detective,
            kind=DisruptionKind.ARREST,
            occurred_on=today + dt.timedelta(days=1),
            lpa=investigation.lpa,
        )
    assert error.value.message_dict["occurred_on"] == ["A disruption cannot be in the future."]
    assert (
        services.disruption_record(
            actor=hub_detective, kind=DisruptionKind.ARREST, occurred_on=today, lpa=investigation.lpa, quantity=3
        ).quantity
        == 3
    )


def test_cash_seizures_need_an_amount_in_pounds_and_pence(hub_detective, investigation):
    with pytest.raises(ValidationError, match="Enter how much cash was seized"):
        services.disruption_record(
            actor=hub_detective, kind=DisruptionKind.CASH, occurred_on=OPENED, lpa=investigation.lpa
        )
    with pytest.raises(ValidationError, match="fractions of a penny"):
        services.disruption_record(
            actor=hub_detective,
            kind=DisruptionKind.CASH,
            occurred_on=OPENED,
            lpa=investigation.lpa,
            cash_amount="10.001",
        )
    seized = services.disruption_record(
        actor=hub_detective,
        kind=DisruptionKind.CASH,
        occurred_on=OPENED,
        lpa=investigation.lpa,
        cash_amount="4,250.50",
        investigation=investigation,
    )
    assert str(seized.cash_amount) == "4250.50"


def test_a_disruption_under_an_investigation_cannot_predate_it(hub_detective, investigation):
    with pytest.raises(ValidationError, match="cannot come before it opened"):
        services.disruption_record(
            actor=hub_detective,
            kind=DisruptionKind.ARREST,
            occurred_on=OPENED - dt.timedelta(days=1),
            lpa=investigation.lpa,
            investigation=investigation,
        )


def test_a_local_operation_needs_its_areas(hub_detective):
    with pytest.raises(ValidationError, match="needs at least one local policing area"):
        services.operation_create(
            actor=hub_detective,
            name="Operation Guardian",
            scope="local",
            aims="Youth violence",
            start_date=OPENED,
            lead=hub_detective,
        )
    operation = services.operation_create(
        actor=hub_detective,
        name="Operation Skyclash",
        scope="force_wide",
        aims="County lines",
        start_date=OPENED,
        lead=hub_detective,
    )
    assert operation.is_running(OPENED)
