"""The NRM rules through the services: consent and Duty to Notify, age, the first responder list,
and every date rule at its boundary (the day before, on and after, across the 13 December 2022 change).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from socex.audit.models import Action, Event
from socex.cases.models import ChronologyEntry
from socex.cases.services import case_create
from socex.core.testing.factories import in_days
from socex.nrm import services
from socex.nrm.models import (
    AgeGroup,
    Consent,
    Decision,
    DutyToNotify,
    NrmReferral,
    NrmStatus,
    ReconsiderationOutcome,
)
from socex.nrm.tests.helpers import facts, make_person, start, submitted

pytestmark = pytest.mark.django_db

D = dt.date


def _message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


# --- Consent and Duty to Notify --------------------------------------------------------------------


def test_a_child_is_referred_without_consent(hub_officer, first_responders, child, walsall):
    referral = start(hub_officer, child, walsall, under_18="yes")
    assert isinstance(referral, NrmReferral)
    assert (referral.age_group, referral.consent, referral.consent_on) == (AgeGroup.CHILD, Consent.NOT_NEEDED, None)
    assert referral.reference.startswith("NRM-")
    assert referral.status == NrmStatus.DRAFT
    assert referral.age_at_referral == referral.referred_on.year - 2010 - (
        referral.referred_on < referral.referred_on.replace(month=2, day=3)
    )


def test_an_adult_with_consent_and_its_date_is_referred(hub_officer, first_responders, adult, walsall):
    referral = start(hub_officer, adult, walsall, under_18="no", consent="given", consent_on=in_days(-1))
    assert (referral.age_group, referral.consent, referral.consent_on) == (AgeGroup.ADULT, Consent.GIVEN, in_days(-1))
    assert (referral.gender, referral.nationality) == ("female", "Romanian")  # from the person index


@pytest.mark.parametrize(
    ("consent", "consent_on", "field", "says"),
    [
        ("", None, "consent", "Consent: an adult must give informed consent"),
        ("given", None, "consent_on", "Consent: give the date"),
        ("given", "tomorrow", "consent_on", "No future dates"),
    ],
)
def test_an_adult_referral_without_dated_consent_is_refused(
    hub_officer, first_responders, adult, walsall, consent, consent_on, field, says
):
    on = in_days(1) if consent_on == "tomorrow" else consent_on
    with pytest.raises(ValidationError) as refused:
        start(hub_officer, adult, walsall, under_18="no", consent=consent, consent_on=on)
    assert says in _message(refused.value, field)
    assert not NrmReferral.objects.exists()


def test_the_referral_service_itself_refuses_an_adult_who_refused(hub_officer, first_responders, adult, walsall):
    with pytest.raises(ValidationError) as refused:
        services.nrm_referral_create(
            actor=hub_officer, person=adult, under_18="no", facts=facts(walsall), consent=services.REFUSED
        )
    assert "an adult who refuses consent cannot be referred" in _message(refused.value, "consent")


def test_an_adult_who_refuses_becomes_an_anonymous_duty_to_notify_report(
    hub_officer, first_responders, adult, walsall, wmp
):
    case = case_create(actor=hub_officer, subjects=[adult], lead_agency=wmp, lpa=walsall)
    report = services.nrm_start(
        actor=hub_officer,
        person=adult,
        under_18="no",
        facts=facts(walsall, narrative="Worked 14 hours a day at a car wash."),
        consent=services.REFUSED,
        refusal_reason="Afraid of the exploiters",
        case=case,
    )
    assert isinstance(report, DutyToNotify)
    assert report.reference.startswith("DTN-")
    assert not NrmReferral.objects.exists()
    # The schema has no place for anything that identifies them: not hidden, absent.
    names = {f.name for f in DutyToNotify._meta.get_fields()}
    assert not names & {"person", "case", "given_name", "family_name", "date_of_birth", "address", "identifiers"}
    assert (report.gender, report.nationality, report.age_group) == ("female", "Romanian", AgeGroup.ADULT)
    assert report.refusal_reason == "Afraid of the exploiters"
    created = Event.objects.get(action=Action.CREATE, object_type="nrm.dutytonotify")
    assert "Popescu" not in str(created.changes)
    assert "Ana" not in str(created.changes)
    entry = ChronologyEntry.objects.get(case=case, source_type="nrm.dutytonotify")
    assert entry.source_id == str(report.pk)
    assert report.reference in entry.summary


def test_a_child_cannot_be_reported_by_duty_to_notify_instead(hub_officer, first_responders, child, walsall):
    with pytest.raises(ValidationError) as refused:
        start(hub_officer, child, walsall, under_18="yes", consent=services.REFUSED)
    assert "Consent: a child, or someone who may be a child, needs no consent" in _message(refused.value, "consent")


# --- Age -------------------------------------------------------------------------------------------


def test_someone_who_may_be_under_18_is_treated_as_a_child_until_assessed(hub_officer, first_responders, walsall):
    unknown = make_person(hub_officer, dob=None, given="Ky", family="Unknown")
    referral = start(hub_officer, unknown, walsall, under_18="not-sure")
    assert referral.age_group == AgeGroup.UNKNOWN
    assert referral.treated_as_child
    assert referral.consent == Consent.NOT_NEEDED


def test_no_is_refused_when_the_index_says_they_are_under_18(hub_officer, first_responders, child, walsall):
    with pytest.raises(ValidationError) as refused:
        start(hub_officer, child, walsall, under_18="no", consent="given", consent_on=in_days(-1))
    assert "Age:" in _message(refused.value, "under_18")
    assert "treated as a child" in _message(refused.value, "under_18")


def test_an_estimated_age_just_over_18_may_still_be_a_child(hub_officer, first_responders, walsall):
    on = in_days(0)
    about_18 = make_person(hub_officer, dob=on.replace(year=on.year - 18) - dt.timedelta(days=30), precision="year")
    with pytest.raises(ValidationError) as refused:
        start(hub_officer, about_18, walsall, under_18="no", consent="given", consent_on=on)
    assert "about 18" in _message(refused.value, "under_18")


def test_assessed_as_an_adult_who_consents_the_referral_goes_on(hub_officer, first_responders, walsall):
    unknown = make_person(hub_officer, given="Ky", family="Unknown")
    referral = start(hub_officer, unknown, walsall, under_18="not-sure")
    result = services.nrm_age_assessment_record(
        actor=hub_officer,
        referral=referral,
        outcome="adult",
        assessed_on=in_days(0),
        consent="given",
        consent_on=in_days(0),
    )
    assert result == referral
    referral.refresh_from_db()
    assert (referral.age_group, referral.consent, referral.age_assessed_on) == ("adult", "given", in_days(0))


def test_assessed_as_an_adult_who_refuses_a_draft_becomes_a_duty_to_notify_report(
    hub_officer, first_responders, walsall
):
    unknown = make_person(hub_officer, given="Ky", family="Unknown")
    referral = start(hub_officer, unknown, walsall, under_18="not-sure")
    report = services.nrm_age_assessment_record(
        actor=hub_officer, referral=referral, outcome="adult", assessed_on=in_days(0), consent=services.REFUSED
    )
    assert isinstance(report, DutyToNotify)
    assert not NrmReferral.objects.filter(pk=referral.pk).exists()
    deleted = Event.objects.get(action=Action.DELETE, object_type="nrm.nrmreferral")
    assert deleted.detail["became"] == report.reference


def test_a_submitted_referral_cannot_become_a_duty_to_notify_report(hub_officer, first_responders, walsall):
    unknown = make_person(hub_officer, given="Ky", family="Unknown")
    referral = submitted(hub_officer, unknown, walsall, in_days(-3), under_18="not-sure")
    with pytest.raises(ValidationError) as refused:
        services.nrm_age_assessment_record(
            actor=hub_officer, referral=referral, outcome="adult", assessed_on=in_days(0), consent=services.REFUSED
        )
    assert "Consent:" in _message(refused.value, "consent")
    assert NrmReferral.objects.filter(pk=referral.pk).exists()


# --- First responder list --------------------------------------------------------------------------


def test_an_organisation_not_on_the_first_responder_list_cannot_refer(school_outsider, first_responders, walsall):
    from socex.accounts.models import Role

    # Give the school the NRM role: it is still not a first responder.
    school_outsider.roles.add(Role.objects.create(code="nrm-only", name="NRM only", capabilities=["nrm.manage"]))
    pupil = make_person(school_outsider, dob=D(2011, 5, 5), given="Jay", family="Brown")
    with pytest.raises(ValidationError) as refused:
        start(school_outsider, pupil, walsall)
    message = " ".join(refused.value.messages)
    assert "First responder list: Dudley Park Academy is not on the first responder list" in message


def test_the_list_is_seeded_by_type_and_name_and_runs_again_unchanged(first_responders, wmp):
    from socex.nrm.models import FirstResponder

    entries = {e.organisation.name: e.fro_type for e in FirstResponder.objects.select_related("organisation")}
    assert entries["West Midlands Police"] == "police"
    assert entries["Walsall Council Early Help"] == "local_authority"
    assert "Dudley Park Academy" not in entries
    again = services.first_responders_sync(actor=None)
    assert again.added == []
    assert again.already == len(entries)


def test_taking_an_organisation_off_the_list_stops_its_referrals(administrator, walsall_nrm_lead, child, walsall):
    from socex.nrm.models import FirstResponder

    entry = FirstResponder.objects.get(organisation=walsall_nrm_lead.organisation)
    services.first_responder_remove(actor=administrator, entry=entry)
    with pytest.raises(ValidationError) as refused:
        start(walsall_nrm_lead, child, walsall)
    assert "First responder list" in " ".join(refused.value.messages)


# --- Dates: submission and decisions ---------------------------------------------------------------


def test_a_decision_before_submission_is_refused(hub_officer, first_responders, child, walsall):
    draft = start(hub_officer, child, walsall, referred_on=D(2024, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            actor=hub_officer,
            referral=draft,
            stage="rg",
            outcome="positive",
            decided_on=D(2024, 3, 5),
            decision_maker="sca",
        )
    assert "No decision before submission" in _message(refused.value, "decided_on")


@pytest.mark.parametrize(("offset", "allowed"), [(-1, False), (0, True), (1, True)])
def test_no_decision_dated_before_the_submission(hub_officer, first_responders, child, walsall, offset, allowed):
    referral = submitted(hub_officer, child, walsall, D(2024, 3, 1))
    decide = {"actor": hub_officer, "referral": referral, "stage": "rg", "outcome": "positive", "decision_maker": "sca"}
    if allowed:
        assert services.decision_record(**decide, decided_on=D(2024, 3, 1) + dt.timedelta(days=offset))
    else:
        with pytest.raises(ValidationError) as refused:
            services.decision_record(**decide, decided_on=D(2024, 2, 29))
        assert "No decision before submission" in _message(refused.value, "decided_on")


@pytest.mark.parametrize(("offset", "allowed"), [(-1, True), (0, True), (1, False)])
def test_no_decision_dated_in_the_future(hub_officer, first_responders, child, walsall, offset, allowed):
    referral = submitted(hub_officer, child, walsall, in_days(-10))
    decide = {"actor": hub_officer, "referral": referral, "stage": "rg", "outcome": "positive", "decision_maker": "sca"}
    if allowed:
        assert services.decision_record(**decide, decided_on=in_days(offset))
    else:
        with pytest.raises(ValidationError) as refused:
            services.decision_record(**decide, decided_on=in_days(offset))
        assert "No future dates" in _message(refused.value, "decided_on")


def test_submission_cannot_be_in_the_future_nor_recorded_twice(hub_officer, first_responders, child, walsall):
    draft = start(hub_officer, child, walsall)
    with pytest.raises(ValidationError) as refused:
        services.nrm_referral_submit(actor=hub_officer, referral=draft, submitted_on=in_days(1))
    assert "No future dates" in _message(refused.value, "submitted_on")
    services.nrm_referral_submit(actor=hub_officer, referral=draft, submitted_on=in_days(0))
    with pytest.raises(ValidationError):
        services.nrm_referral_submit(actor=hub_officer, referral=draft, submitted_on=in_days(0))


def test_submission_cannot_come_before_the_referral_was_started(hub_officer, first_responders, child, walsall):
    draft = start(hub_officer, child, walsall, referred_on=D(2024, 3, 5))
    with pytest.raises(ValidationError) as refused:
        services.nrm_referral_submit(actor=hub_officer, referral=draft, submitted_on=D(2024, 3, 4))
    assert "before the referral was started (5 March 2024)" in _message(refused.value, "submitted_on")
    assert services.nrm_referral_submit(actor=hub_officer, referral=draft, submitted_on=D(2024, 3, 5)).is_submitted


def test_submission_stores_the_guidance_version_in_force(hub_officer, first_responders, child, walsall):
    assert submitted(hub_officer, child, walsall, D(2024, 10, 7)).guidance_version == "3.8"
    other = make_person(hub_officer, dob=D(2009, 1, 1), given="Lee", family="Hart")
    assert submitted(hub_officer, other, walsall, D(2024, 10, 8)).guidance_version == "3.11"


def _with_positive_rg(actor, person, lpa, rg_on):
    referral = submitted(actor, person, lpa, rg_on - dt.timedelta(days=3))
    services.decision_record(
        actor=actor, referral=referral, stage="rg", outcome="positive", decided_on=rg_on, decision_maker="sca"
    )
    return referral


RECOVERY_CASES = [
    # (positive RG date, minimum days that apply, label)
    (D(2022, 12, 12), 45, "RG the day before the change: 45 days"),
    (D(2022, 12, 13), 30, "RG on the day of the change: 30 days"),
    (D(2022, 12, 14), 30, "RG the day after the change: 30 days"),
]


@pytest.mark.parametrize(("rg_on", "days", "label"), RECOVERY_CASES, ids=[c[2] for c in RECOVERY_CASES])
@pytest.mark.parametrize(("offset", "allowed"), [(-1, False), (0, True), (1, True)], ids=["day before", "on", "after"])
def test_conclusive_grounds_not_before_the_end_of_the_minimum_recovery_period(
    hub_officer, first_responders, child, walsall, rg_on, days, label, offset, allowed
):
    referral = _with_positive_rg(hub_officer, child, walsall, rg_on)
    cg_on = rg_on + dt.timedelta(days=days + offset)
    decide = {"actor": hub_officer, "referral": referral, "stage": "cg", "outcome": "positive", "decision_maker": "sca"}
    if allowed:
        decision = services.decision_record(**decide, decided_on=cg_on)
        referral.refresh_from_db()
        assert referral.status == NrmStatus.POSITIVE_CG
        assert decision.rules_version == "2024-10"
    else:
        with pytest.raises(ValidationError) as refused:
            services.decision_record(**decide, decided_on=cg_on)
        message = _message(refused.value, "decided_on")
        assert message.startswith("Minimum recovery period:")
        assert f"minimum recovery period of {days} days" in message


def test_the_45_day_period_is_exactly_what_refuses_a_cg_31_days_after_an_rg_of_12_december_2022(
    hub_officer, first_responders, child, walsall
):
    referral = _with_positive_rg(hub_officer, child, walsall, D(2022, 12, 12))
    with pytest.raises(ValidationError):  # 30 days later would be fine after the change, not before it
        services.decision_record(
            actor=hub_officer,
            referral=referral,
            stage="cg",
            outcome="negative",
            decided_on=D(2023, 1, 12),
            decision_maker="sca",
        )


def test_a_withdrawal_is_not_held_back_by_the_recovery_period(hub_officer, first_responders, child, walsall):
    referral = _with_positive_rg(hub_officer, child, walsall, D(2024, 1, 10))
    services.decision_record(
        actor=hub_officer,
        referral=referral,
        stage="cg",
        outcome="withdrawn",
        decided_on=D(2024, 1, 12),
        decision_maker="sca",
    )
    referral.refresh_from_db()
    assert referral.status == NrmStatus.WITHDRAWN


@pytest.mark.parametrize(("offset", "allowed"), [(-1, False), (0, True), (1, True)], ids=["day before", "on", "after"])
def test_conclusive_grounds_not_before_reasonable_grounds(
    hub_officer, first_responders, child, walsall, offset, allowed
):
    referral = _with_positive_rg(hub_officer, child, walsall, D(2024, 1, 10))
    decide = {
        "actor": hub_officer,
        "referral": referral,
        "stage": "cg",
        "outcome": "withdrawn",
        "decision_maker": "sca",
    }
    cg_on = D(2024, 1, 10) + dt.timedelta(days=offset)
    if allowed:
        assert services.decision_record(**decide, decided_on=cg_on)
    else:
        with pytest.raises(ValidationError) as refused:
            services.decision_record(**decide, decided_on=cg_on)
        assert "Conclusive grounds after reasonable grounds" in _message(refused.value, "decided_on")


def test_conclusive_grounds_need_a_positive_reasonable_grounds_decision(hub_officer, first_responders, child, walsall):
    referral = submitted(hub_officer, child, walsall, D(2024, 1, 2))
    decide = {
        "actor": hub_officer,
        "referral": referral,
        "stage": "cg",
        "outcome": "positive",
        "decision_maker": "sca",
        "decided_on": D(2024, 6, 1),
    }
    with pytest.raises(ValidationError) as refused:
        services.decision_record(**decide)
    assert "has no reasonable grounds decision" in _message(refused.value, "stage")
    services.decision_record(
        actor=hub_officer,
        referral=referral,
        stage="rg",
        outcome="negative",
        decided_on=D(2024, 1, 5),
        decision_maker="sca",
    )
    with pytest.raises(ValidationError) as refused:
        services.decision_record(**decide)
    assert "has a negative one" in _message(refused.value, "stage")


def test_one_decision_per_stage_a_second_comes_only_from_reconsideration(hub_officer, first_responders, child, walsall):
    referral = submitted(hub_officer, child, walsall, D(2024, 1, 2))
    negative = services.decision_record(
        actor=hub_officer,
        referral=referral,
        stage="rg",
        outcome="negative",
        decided_on=D(2024, 1, 5),
        decision_maker="sca",
    )
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            actor=hub_officer,
            referral=referral,
            stage="rg",
            outcome="positive",
            decided_on=D(2024, 1, 6),
            decision_maker="sca",
        )
    assert "One decision per stage" in _message(refused.value, "stage")
    request = services.reconsideration_request(
        actor=hub_officer, decision=negative, requested_on=D(2024, 1, 10), requested_by=hub_officer.organisation
    )
    services.reconsideration_decide(
        actor=hub_officer, reconsideration=request, outcome="overturned", outcome_on=D(2024, 2, 1)
    )
    referral.refresh_from_db()
    assert referral.status == NrmStatus.AWAITING_CG
    new = Decision.objects.get(on_reconsideration=request)
    assert (new.outcome, new.decided_on) == ("positive", D(2024, 2, 1))
    # The recovery period now runs from the new positive decision.
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            actor=hub_officer,
            referral=referral,
            stage="cg",
            outcome="positive",
            decided_on=D(2024, 3, 1),
            decision_maker="sca",
        )
    assert "2 March 2024" in _message(refused.value, "decided_on")


def test_reconsideration_rules(hub_officer, first_responders, child, walsall):
    referral = _with_positive_rg(hub_officer, child, walsall, D(2024, 1, 10))
    positive = referral.decisions.get()
    with pytest.raises(ValidationError) as refused:
        services.reconsideration_request(
            actor=hub_officer, decision=positive, requested_on=D(2024, 1, 11), requested_by=hub_officer.organisation
        )
    assert "Reconsideration: only negative decisions" in _message(refused.value, "decision")
    other = make_person(hub_officer, dob=D(2009, 1, 1), given="Lee", family="Hart")
    second = submitted(hub_officer, other, walsall, D(2024, 1, 2))
    negative = services.decision_record(
        actor=hub_officer,
        referral=second,
        stage="rg",
        outcome="negative",
        decided_on=D(2024, 1, 5),
        decision_maker="sca",
    )
    with pytest.raises(ValidationError) as refused:
        services.reconsideration_request(
            actor=hub_officer, decision=negative, requested_on=D(2024, 1, 4), requested_by=hub_officer.organisation
        )
    assert "before the decision" in _message(refused.value, "requested_on")
    request = services.reconsideration_request(
        actor=hub_officer, decision=negative, requested_on=D(2024, 1, 5), requested_by=hub_officer.organisation
    )
    with pytest.raises(ValidationError) as refused:
        services.reconsideration_decide(
            actor=hub_officer, reconsideration=request, outcome="upheld", outcome_on=D(2024, 1, 4)
        )
    assert "before the request" in _message(refused.value, "outcome_on")
    services.reconsideration_decide(
        actor=hub_officer, reconsideration=request, outcome="upheld", outcome_on=D(2024, 2, 1)
    )
    request.refresh_from_db()
    second.refresh_from_db()
    assert request.outcome == ReconsiderationOutcome.UPHELD
    assert second.status == NrmStatus.NEGATIVE_RG


@pytest.mark.parametrize(
    ("maker", "under_18", "allowed"),
    [("ieca", "yes", False), ("devolved_panel", "yes", True), ("sca", "yes", True), ("nobody", "yes", False)],
)
def test_the_decision_maker_must_be_listed_and_able_to_decide_for_them(
    hub_officer, first_responders, child, walsall, maker, under_18, allowed
):
    referral = submitted(hub_officer, child, walsall, D(2024, 1, 2), under_18=under_18)
    decide = {
        "actor": hub_officer,
        "referral": referral,
        "stage": "rg",
        "outcome": "positive",
        "decided_on": D(2024, 1, 5),
    }
    if allowed:
        assert services.decision_record(**decide, decision_maker=maker).decision_maker == maker
    else:
        with pytest.raises(ValidationError) as refused:
            services.decision_record(**decide, decision_maker=maker)
        assert "Decision maker" in _message(refused.value, "decision_maker")


def test_the_ieca_decides_for_adults_only_since_november_2021(hub_officer, first_responders, adult, walsall):
    referral = submitted(
        hub_officer, adult, walsall, D(2021, 11, 1), under_18="no", consent="given", consent_on=D(2021, 10, 30)
    )
    decide = {
        "actor": hub_officer,
        "referral": referral,
        "stage": "rg",
        "outcome": "positive",
        "decision_maker": "ieca",
    }
    with pytest.raises(ValidationError) as refused:
        services.decision_record(**decide, decided_on=D(2021, 11, 7))
    assert "only since 8 November 2021" in _message(refused.value, "decision_maker")
    assert services.decision_record(**decide, decided_on=D(2021, 11, 8))


def test_consent_must_come_before_submission(hub_officer, first_responders, adult, walsall):
    referral = start(
        hub_officer, adult, walsall, under_18="no", consent="given", consent_on=in_days(0), referred_on=in_days(-3)
    )
    with pytest.raises(ValidationError) as refused:
        services.nrm_referral_submit(actor=hub_officer, referral=referral, submitted_on=in_days(-1))
    assert "Consent:" in _message(refused.value, "submitted_on")


def test_decisions_are_audited_and_written_to_the_case_chronology(hub_officer, first_responders, child, walsall, wmp):
    case = case_create(actor=hub_officer, subjects=[child], lead_agency=wmp, lpa=walsall)
    referral = start(hub_officer, child, walsall, case=case, referred_on=D(2024, 1, 2))
    services.nrm_referral_submit(actor=hub_officer, referral=referral, submitted_on=D(2024, 1, 2))
    services.decision_record(
        actor=hub_officer,
        referral=referral,
        stage="rg",
        outcome="positive",
        decided_on=D(2024, 1, 5),
        decision_maker="sca",
    )
    decided = Event.objects.get(action=Action.DECIDE)
    assert decided.object_id == str(referral.pk)
    assert decided.changes["outcome"] == [None, "positive"]
    summaries = list(ChronologyEntry.objects.filter(case=case, category="nrm").values_list("summary", flat=True))
    assert any("started" in s for s in summaries)
    assert any("submitted to the Home Office on 2 January 2024" in s for s in summaries)
    assert any("Positive reasonable grounds decision" in s for s in summaries)


def test_the_person_must_be_a_subject_of_the_case(hub_officer, first_responders, child, adult, walsall, wmp):
    case = case_create(actor=hub_officer, subjects=[adult], lead_agency=wmp, lpa=walsall)
    with pytest.raises(ValidationError) as refused:
        start(hub_officer, child, walsall, case=case)
    assert case.reference in _message(refused.value, "person")


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"exploitation_types": []}, "exploitation_types", "choose at least one"),
        ({"exploitation_types": ["juggling"]}, "exploitation_types", "not in the label set"),
        ({"exploitation_types": ["other"]}, "other_exploitation", "say what type"),
        ({"location": "uk", "uk_locations": []}, "uk_locations", "city or town"),
        ({"location": "overseas", "uk_locations": []}, "countries", "country overseas"),
    ],
)
def test_the_facts_are_checked(hub_officer, first_responders, child, walsall, values, field, says):
    with pytest.raises(ValidationError) as refused:
        start(hub_officer, child, walsall, **values)
    assert says in _message(refused.value, field)
