"""Referral rules through the services: drafting, the level and its override, submitting, and
triage once, with a reason, into a case, with the referrer told."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socex.audit.models import Action, Event
from socex.cases.models import CaseStatus, ChronologyEntry
from socex.cases.services import case_create
from socex.people.models import Person
from socex.referrals.models import Referral, ReferralStatus, TriageOutcome
from socex.referrals.services import (
    SubjectDetails,
    referral_confirm_level,
    referral_screen,
    referral_start,
    referral_subject_add,
    referral_submit,
    referral_triage,
    referral_update,
)

from .conftest import answers, make_referral

pytestmark = pytest.mark.django_db


def _messages(error: pytest.ExceptionInfo) -> dict:
    return error.value.message_dict


# --- drafting and the level ------------------------------------------------------------------


def test_a_draft_belongs_to_its_author_and_their_agency_in_its_area(walsall_partner):
    referral = referral_start(actor=walsall_partner)
    assert (referral.status, referral.reference, referral.submitted_at) == (ReferralStatus.DRAFT, None, None)
    assert referral.referrer_agency == walsall_partner.organisation
    assert referral.lpa.name == "Walsall"
    assert referral.tool_version == "1"
    assert Event.objects.filter(action=Action.CREATE, object_id=str(referral.pk)).exists()


def test_someone_without_the_referral_role_cannot_start_one(vrp_officer):
    with pytest.raises(PermissionDenied):
        referral_start(actor=vrp_officer)


def test_only_the_author_changes_a_draft(draft, walsall_colleague):
    with pytest.raises(PermissionDenied):
        referral_update(actor=walsall_colleague, referral=draft, immediate_risks="None known")


def test_a_stale_version_is_refused_naming_the_version_check(draft, walsall_partner):
    referral_update(actor=walsall_partner, referral=draft, version=draft.version, immediate_risks="None known")
    with pytest.raises(ValidationError) as error:
        referral_update(actor=walsall_partner, referral=draft, version=draft.version, immediate_risks="Tonight")
    assert "version check" in _messages(error)["version"][0]
    draft.refresh_from_db()
    assert draft.immediate_risks == "None known"


def test_the_tool_suggests_a_level_once_every_indicator_is_answered(walsall_partner):
    referral = referral_start(actor=walsall_partner)
    significant = ["significant"]
    part = {k: v for k, v in answers(missing_episodes="current").items() if k in _group("significant")}
    referral = referral_screen(actor=walsall_partner, referral=referral, answers=part, groups=significant)
    assert referral.suggested_level == ""  # the other group is still unanswered
    rest = {k: v for k, v in answers().items() if k in _group("other")}
    referral = referral_screen(actor=walsall_partner, referral=referral, answers=rest, groups=["other"])
    assert referral.suggested_level == "significant"


def _group(code):
    from socex.referrals.screening import tool_for

    return [i.code for i in tool_for().group(code).indicators]


def test_a_changed_level_needs_a_reason_and_keeps_it(walsall_partner, leah):
    referral = make_referral(walsall_partner, [leah], submit=False)
    assert referral.suggested_level == referral.confirmed_level == "significant"
    with pytest.raises(ValidationError) as error:
        referral_confirm_level(actor=walsall_partner, referral=referral, level="at_risk")
    assert "a changed level needs a reason" in _messages(error)["override_reason"][0]
    referral = referral_confirm_level(
        actor=walsall_partner, referral=referral, level="at_risk", override_reason="Missing episodes are explained."
    )
    assert (referral.confirmed_level, referral.override_reason) == ("at_risk", "Missing episodes are explained.")
    assert referral.level_overridden


def test_agreeing_with_the_suggestion_keeps_no_reason(walsall_partner, leah):
    referral = make_referral(walsall_partner, [leah], submit=False)
    referral = referral_confirm_level(
        actor=walsall_partner, referral=referral, level="significant", override_reason="I agree"
    )
    assert referral.override_reason == ""


def test_new_answers_that_change_the_suggestion_ask_for_the_level_again(walsall_partner, leah):
    referral = make_referral(walsall_partner, [leah], submit=False)
    referral = referral_screen(actor=walsall_partner, referral=referral, answers=answers())
    assert (referral.suggested_level, referral.confirmed_level) == ("none", "")


def test_a_person_the_referrer_cannot_see_cannot_be_added(walsall_partner, kieran):
    referral = referral_start(actor=walsall_partner)
    with pytest.raises(PermissionDenied):
        referral_subject_add(actor=walsall_partner, referral=referral, person=kieran)


def test_the_same_person_is_added_once(walsall_partner, leah):
    referral = referral_start(actor=walsall_partner)
    referral_subject_add(actor=walsall_partner, referral=referral, person=leah)
    with pytest.raises(ValidationError) as error:
        referral_subject_add(actor=walsall_partner, referral=referral, person=leah)
    assert "already on this referral" in _messages(error)["person"][0]


# --- submitting ------------------------------------------------------------------------------


def test_an_incomplete_draft_is_refused_naming_each_missing_answer(walsall_partner):
    referral = referral_start(actor=walsall_partner)
    with pytest.raises(ValidationError) as error:
        referral_submit(actor=walsall_partner, referral=referral)
    assert set(_messages(error)) == {
        "subjects",
        "exploitation_types",
        "concern_summary",
        "screening",
        "child_aware",
        "family_aware",
        "immediate_risks",
    }
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


def test_submitting_numbers_the_referral_and_adds_typed_subjects_to_the_index(draft, walsall_partner):
    sent = referral_submit(actor=walsall_partner, referral=draft)
    year = timezone.localdate().year
    assert sent.reference == f"REF-{year}-000001"
    assert sent.status == ReferralStatus.SUBMITTED
    assert sent.submitted_at is not None
    [subject] = sent.subjects.all()
    assert subject.person.display_name == "Mason Reid"
    assert subject.person.owner == walsall_partner.organisation
    second = make_referral(walsall_partner, [subject.person])
    assert second.reference == f"REF-{year}-000002"


def test_a_submitted_referral_cannot_be_changed(submitted, walsall_partner):
    with pytest.raises(ValidationError) as error:
        referral_update(actor=walsall_partner, referral=submitted, immediate_risks="Changed")
    assert "a submitted referral cannot be changed" in str(error.value)


# --- triage ----------------------------------------------------------------------------------


def test_accepting_opens_a_case_with_the_subjects_and_writes_the_chronology(
    submitted, hub_officer, leah, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_triage(
            actor=hub_officer,
            referral=submitted,
            outcome=TriageOutcome.NEW_CASE,
            reason="Significant risk: open a case and a strategy discussion.",
            lead_agency=hub_officer.organisation,
            keyworker=hub_officer,
        )
    case = referral.case
    assert referral.status == ReferralStatus.TRIAGED
    assert (referral.triaged_by, referral.triage_outcome) == (hub_officer, "new_case")
    assert list(case.subjects.all()) == [leah]
    assert (case.lpa.name, case.risk_level, case.keyworker) == ("Walsall", "significant", hub_officer)
    assert case.exploitation_types == ["cce", "county_lines"]
    summaries = list(
        ChronologyEntry.objects.filter(case=case).order_by("occurred_at").values_list("summary", flat=True)
    )
    assert f"Referral {referral.reference} received from Walsall Council Early Help" in summaries
    assert f"Triaged: accepted ({referral.reference})" in summaries
    entry = ChronologyEntry.objects.get(case=case, category="triage")
    assert (entry.source_type, entry.source_id) == ("referrals.referral", str(referral.pk))
    [mail] = mailoutbox
    assert mail.to == ["earlyhelp@walsall.example"]
    assert referral.reference in mail.subject
    assert "Accepted into a new case" in mail.body
    assert "Significant risk: open a case and a strategy discussion." in mail.body
    assert Event.objects.filter(action=Action.DECIDE, object_id=str(referral.pk)).exists()


def test_a_referral_is_triaged_once(submitted, hub_officer, hub_detective):
    referral_triage(actor=hub_officer, referral=submitted, outcome="no_further_action", reason="Already known.")
    with pytest.raises(ValidationError) as error:
        referral_triage(actor=hub_detective, referral=submitted, outcome="signposted", reason="x", signposted_to="Y")
    assert "A referral is triaged only once" in _messages(error)["outcome"][0]
    submitted.refresh_from_db()
    assert (submitted.triage_outcome, submitted.triaged_by) == ("no_further_action", hub_officer)


def test_two_triagers_who_opened_it_together_cannot_both_decide(submitted, hub_officer, hub_detective):
    """Each holds the referral as it was when they opened it; the second decision re-reads the
    locked row and is refused, even with the version they read."""
    first = Referral.objects.get(pk=submitted.pk)
    second = Referral.objects.get(pk=submitted.pk)
    referral_triage(actor=hub_officer, referral=first, outcome="no_further_action", reason="NFA", version=first.version)
    with pytest.raises(ValidationError) as error:
        referral_triage(
            actor=hub_detective, referral=second, outcome="no_further_action", reason="NFA too", version=second.version
        )
    assert "triaged only once" in _messages(error)["outcome"][0]
    assert Referral.objects.get(pk=submitted.pk).triaged_by == hub_officer


def test_a_stale_version_cannot_triage(submitted, hub_officer):
    with pytest.raises(ValidationError) as error:
        referral_triage(
            actor=hub_officer,
            referral=submitted,
            outcome="no_further_action",
            reason="NFA",
            version=submitted.version - 1,
        )
    assert "version check" in _messages(error)["version"][0]


@pytest.mark.parametrize("outcome", [o.value for o in TriageOutcome])
def test_every_outcome_needs_a_reason(submitted, hub_officer, outcome):
    with pytest.raises(ValidationError) as error:
        referral_triage(actor=hub_officer, referral=submitted, outcome=outcome, reason="  ")
    assert "Every triage outcome needs a reason" in _messages(error)["reason"][0]
    assert Referral.objects.get(pk=submitted.pk).status == ReferralStatus.SUBMITTED


def test_signposting_names_the_service(submitted, hub_officer, mailoutbox, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as error:
        referral_triage(actor=hub_officer, referral=submitted, outcome="signposted", reason="Not exploitation.")
    assert "Name the service" in _messages(error)["signposted_to"][0]
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_triage(
            actor=hub_officer,
            referral=submitted,
            outcome="signposted",
            reason="Not exploitation; needs emotional support.",
            signposted_to="CAMHS",
        )
    assert (referral.case, referral.signposted_to) == (None, "CAMHS")
    assert "Signposted to: CAMHS" in mailoutbox[0].body


def test_adding_to_an_existing_case_adds_only_new_subjects(submitted, hub_officer, leah, kieran):
    case = case_create(actor=hub_officer, subjects=[kieran], lead_agency=hub_officer.organisation, lpa=submitted.lpa)
    referral = referral_triage(
        actor=hub_officer, referral=submitted, outcome="existing_case", reason="Same group as Kieran.", case=case
    )
    assert referral.case == case
    assert set(case.subjects.all()) == {kieran, leah}
    summaries = set(ChronologyEntry.objects.filter(case=case).values_list("summary", flat=True))
    assert f"Triaged: added to this case ({referral.reference})" in summaries
    assert f"Leah Ward ({leah.reference}) added as a subject" in summaries
    assert sum("added as a subject" in summary for summary in summaries) == 1  # Kieran was there already


def test_a_closed_case_cannot_take_a_referral(submitted, hub_officer, kieran):
    case = case_create(actor=hub_officer, subjects=[kieran], lead_agency=hub_officer.organisation, lpa=submitted.lpa)
    case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save(update_fields=["status", "closed_at"])
    with pytest.raises(ValidationError) as error:
        referral_triage(actor=hub_officer, referral=submitted, outcome="existing_case", reason="x", case=case)
    assert "is closed" in _messages(error)["case"][0]


def test_a_partner_cannot_triage(submitted, walsall_partner):
    with pytest.raises(PermissionDenied):
        referral_triage(actor=walsall_partner, referral=submitted, outcome="no_further_action", reason="Mine")


def test_a_referrer_who_cannot_add_people_leaves_them_for_the_hub(
    hub_officer, walsall_partner, django_capture_on_commit_callbacks
):
    """A referrer without the person index sends details only; accepting adds the person."""
    from socex.accounts.models import Role

    role = Role.objects.create(code="referrer-only", name="Referrer only", capabilities=["referral.create"])
    walsall_partner.roles.set([role])
    walsall_partner = type(walsall_partner).objects.get(pk=walsall_partner.pk)
    referral = make_referral(walsall_partner, [SubjectDetails(given_name="Tyler", family_name="Moss")])
    assert referral.subjects.get().person is None
    accepted = referral_triage(
        actor=hub_officer,
        referral=referral,
        outcome="new_case",
        reason="Open it.",
        lead_agency=hub_officer.organisation,
    )
    person = accepted.case.subjects.get()
    assert (person.display_name, person.owner) == ("Tyler Moss", hub_officer.organisation)
    assert Person.objects.filter(given_name="Tyler").count() == 1


def test_the_email_failing_does_not_undo_the_decision(
    submitted, hub_officer, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = {"default": {"BACKEND": "socex.referrals.tests.test_services.BrokenBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        referral_triage(actor=hub_officer, referral=submitted, outcome="no_further_action", reason="Known already.")
    assert Referral.objects.get(pk=submitted.pk).status == ReferralStatus.TRIAGED
    assert "Could not email the triage outcome" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_waiting_time_is_measured_from_submission(submitted):
    from socex.referrals.triage import waiting

    later = submitted.submitted_at + dt.timedelta(hours=5)
    wait = waiting(submitted, later)
    assert wait.breached  # significant: 4 hours
    assert wait.over_text == "1 hour"
