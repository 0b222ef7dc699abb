"""The referral pages through the test client: question pages that keep what was typed, live
matching limited to who the referrer may see, check your answers, the confirmation, the queue's
order and breaches, triage, My referrals, the dashboard and the home panel."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from socex.audit.models import Action, Event
from socex.cases.models import Case
from socex.referrals.models import Referral, ReferralStatus
from socex.referrals.services import referral_start, referral_triage

from .conftest import answers, make_referral

pytestmark = pytest.mark.django_db


def _url(name, referral, *args):
    return reverse(f"referrals:{name}", args=[referral.pk, *args])


# --- the question pages ------------------------------------------------------------------------


def test_starting_makes_a_draft_and_asks_who_first(signed_in, walsall_partner):
    client = signed_in(walsall_partner)
    start = client.get(reverse("referrals:new"))
    assert "If anyone is in immediate danger, call 999" in start.content.decode()
    response = client.post(reverse("referrals:new"))
    referral = Referral.objects.get()
    assert response.url == _url("subjects", referral)
    page = client.get(response.url).content.decode()
    assert "Referral: question 1 of 7" in page
    assert "Who are you referring?" in page


def test_a_bad_subject_is_named_beside_its_field_and_what_was_typed_is_kept(signed_in, walsall_partner):
    referral = referral_start(actor=walsall_partner)
    response = signed_in(walsall_partner).post(
        _url("subjects", referral),
        {"action": "add", "given_name": "Mason", "date_of_birth": "31/02/2011", "version": referral.version},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_date_of_birth"' in html
    assert "31/02/2011 does not exist" in html
    assert 'value="Mason"' in html
    assert not referral.subjects.exists()


def test_live_matching_shows_only_people_the_referrer_may_see(signed_in, walsall_partner, kieran, leah):
    referral = referral_start(actor=walsall_partner)
    client = signed_in(walsall_partner)
    hidden = client.post(_url("subject_match", referral), {"given_name": "Kieran", "family_name": "Smith"})
    assert kieran.reference not in hidden.content.decode()
    assert "No likely matches" in hidden.content.decode()
    found = client.post(_url("subject_match", referral), {"given_name": "Lea", "family_name": "Ward"})
    html = found.content.decode()
    assert "This person may already be known" in html
    assert leah.reference in html
    assert "Use this record" in html
    search = Event.objects.filter(action=Action.SEARCH, object_type="people.person").order_by("-id").first()
    assert search.search_terms == "First name: Lea; Last name: Ward"


def test_the_hub_sees_the_police_record_when_it_refers(signed_in, hub_officer, kieran):
    referral = referral_start(actor=hub_officer)
    found = signed_in(hub_officer).post(
        _url("subject_match", referral), {"given_name": "Kieran", "family_name": "Smith"}
    )
    assert kieran.reference in found.content.decode()


def test_picking_a_candidate_adds_that_person(signed_in, walsall_partner, leah):
    referral = referral_start(actor=walsall_partner)
    client = signed_in(walsall_partner)
    response = client.post(_url("subject_use", referral), {"person": leah.pk, "version": referral.version})
    assert response.url == _url("subjects", referral)
    assert referral.subjects.get().person == leah
    page = client.get(_url("subjects", referral)).content.decode()
    assert f"Known to the person index: {leah.reference}" in page


def test_picking_someone_you_may_not_see_is_a_404(signed_in, walsall_partner, kieran):
    referral = referral_start(actor=walsall_partner)
    response = signed_in(walsall_partner).post(_url("subject_use", referral), {"person": kieran.pk})
    assert response.status_code == 404
    assert not referral.subjects.exists()


def test_continuing_without_anyone_asks_for_a_person(signed_in, walsall_partner):
    referral = referral_start(actor=walsall_partner)
    response = signed_in(walsall_partner).post(_url("subjects", referral), {"action": "continue", "continue": "1"})
    assert "Add the child or adult you are referring" in response.content.decode()


def test_each_page_saves_and_goes_on_or_back_to_my_referrals(signed_in, walsall_partner, leah):
    referral = make_referral(walsall_partner, [leah], submit=False)
    client = signed_in(walsall_partner)
    response = client.post(
        _url("concerns", referral),
        {
            "exploitation_types": ["cse"],
            "concern_summary": "Older boyfriend.",
            "lpa": referral.lpa_id,
            "version": referral.version,
        },
    )
    assert response.url == _url("screening", referral, "significant")
    referral.refresh_from_db()
    assert referral.exploitation_types == ["cse"]
    response = client.post(
        _url("risks", referral),
        {"immediate_risks": "None known", "version": referral.version, "save_draft": "1"},
    )
    assert response.url == reverse("referrals:mine")
    referral.refresh_from_db()
    assert referral.immediate_risks == "None known"


def test_a_question_page_keeps_what_was_typed_when_an_answer_is_missing(signed_in, walsall_partner, draft):
    response = signed_in(walsall_partner).post(
        _url("concerns", draft), {"concern_summary": "Typed this", "lpa": draft.lpa_id, "version": draft.version}
    )
    html = response.content.decode()
    assert "Choose at least one exploitation concern" in html
    assert 'href="#id_exploitation_types"' in html
    assert 'id="id_exploitation_types"' in html  # the error link lands on the first checkbox
    assert "Typed this" in html


def test_a_page_opened_in_two_tabs_does_not_overwrite_the_other(signed_in, walsall_partner, draft):
    client = signed_in(walsall_partner)
    stale = draft.version
    client.post(_url("risks", draft), {"immediate_risks": "First tab", "version": stale})
    response = client.post(_url("risks", draft), {"immediate_risks": "Second tab", "version": stale})
    assert "version check" in response.content.decode()
    draft.refresh_from_db()
    assert draft.immediate_risks == "First tab"


def test_screening_pages_ask_each_indicator_and_the_level_page_shows_the_suggestion(signed_in, walsall_partner):
    referral = referral_start(actor=walsall_partner)
    client = signed_in(walsall_partner)
    page = client.get(_url("screening", referral, "significant")).content.decode()
    assert "Repeat missing episodes, by day or night" in page
    assert "Current or in the last 6 months" in page
    missing = client.post(_url("screening", referral, "significant"), {"version": referral.version}).content.decode()
    assert "Say whether &#x27;Repeat missing episodes, by day or night&#x27; is current" in missing
    every = answers(risky_places="earlier")
    for group in ("significant", "other"):
        referral.refresh_from_db()
        client.post(_url("screening", referral, group), {**every, "version": referral.version})
    referral.refresh_from_db()
    assert referral.suggested_level == "at_risk"
    level = client.get(_url("level", referral)).content.decode()
    assert "The screening tool suggests" in level
    assert "seen more than 6 months ago" in level
    refused = client.post(_url("level", referral), {"confirmed_level": "significant", "version": referral.version})
    assert "a changed level needs a reason" in refused.content.decode()


def test_check_your_answers_links_what_is_missing_then_sends(signed_in, walsall_partner, leah):
    referral = make_referral(walsall_partner, [leah], submit=False, immediate_risks="")
    client = signed_in(walsall_partner)
    page = client.get(_url("check", referral)).content.decode()
    assert "Describe any immediate risks, or write &#x27;None known&#x27;." in page
    assert f'href="{_url("risks", referral)}"' in page
    assert f"{_url('concerns', referral)}?return=check" in page  # Change links come back here
    refused = client.post(_url("check", referral), {"version": referral.version})
    assert "Describe any immediate risks" in refused.content.decode()
    client.post(
        _url("risks", referral) + "?return=check", {"immediate_risks": "None known", "version": referral.version}
    )
    referral.refresh_from_db()
    sent = client.post(_url("check", referral), {"version": referral.version})
    referral.refresh_from_db()
    assert sent.url == _url("submitted", referral)
    confirmation = client.get(sent.url).content.decode()
    assert "govuk-panel--confirmation" in confirmation
    assert referral.reference in confirmation


def test_resuming_a_draft_goes_to_the_first_unanswered_question(signed_in, walsall_partner, leah):
    referral = make_referral(walsall_partner, [leah], submit=False, child_aware="")
    response = signed_in(walsall_partner).get(_url("resume", referral))
    assert response.url == _url("awareness", referral)


# --- the queue and triage ----------------------------------------------------------------------


def _age(referral, hours):
    Referral.objects.filter(pk=referral.pk).update(submitted_at=timezone.now() - dt.timedelta(hours=hours))


def test_the_queue_puts_risk_first_then_waiting_time_and_shows_breaches(signed_in, hub_officer, walsall_partner, leah):
    old_low = make_referral(walsall_partner, [leah], screening_answers=answers())
    new_high = make_referral(walsall_partner, [leah])
    old_high = make_referral(walsall_partner, [leah])
    at_risk = make_referral(walsall_partner, [leah], screening_answers=answers(risky_places="earlier"))
    _age(old_low, 100)  # none: target 72 hours, so a breach
    _age(old_high, 5)  # significant: target 4 hours, so a breach
    _age(new_high, 1)
    _age(at_risk, 2)
    response = signed_in(hub_officer).get(reverse("referrals:queue"))
    order = [referral.reference for referral, _ in response.context["rows"]]
    assert order == [old_high.reference, new_high.reference, at_risk.reference, old_low.reference]
    assert (response.context["awaiting"], response.context["breaches"]) == (4, 2)
    html = response.content.decode()
    assert html.count("Over target</strong>") == 2
    assert "by 1 hour" in html  # old_high: 5 hours against 4
    breaches = signed_in(hub_officer).get(reverse("referrals:queue"), {"breach": "over"})
    assert [r.reference for r, _ in breaches.context["rows"]] == [old_high.reference, old_low.reference]
    search = Event.objects.filter(action=Action.SEARCH, object_type="referrals.referral").get()
    assert search.search_terms == "Target time: Over the target time"


def test_the_target_times_come_from_settings(signed_in, hub_officer, submitted, settings):
    settings.SOCEX_TRIAGE_TARGET_HOURS = {"significant": 0.5, "at_risk": 8, "none": 48}
    _age(submitted, 1)
    response = signed_in(hub_officer).get(reverse("referrals:queue"))
    assert response.context["breaches"] == 1
    assert "significant risk 30 minutes" in response.content.decode()


def test_triage_accepts_into_a_new_case_from_the_page(
    signed_in, hub_officer, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(hub_officer)
    page = client.get(_url("triage", submitted)).content.decode()
    assert "Seen getting into cars with older men" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("triage", submitted),
            {
                "outcome": "new_case",
                "reason": "Significant risk; strategy discussion today.",
                "risk_level": "significant",
                "lead_agency": hub_officer.organisation_id,
                "keyworker_me": "on",
                "version": submitted.version,
            },
        )
    submitted.refresh_from_db()
    case = Case.objects.get()
    assert response.url == _url("detail", submitted)
    assert (submitted.status, submitted.case, case.keyworker) == (ReferralStatus.TRIAGED, case, hub_officer)
    detail = client.get(response.url).content.decode()
    assert case.reference in detail
    assert "Significant risk; strategy discussion today." in detail
    assert len(mailoutbox) == 1


def test_triage_needs_a_reason_and_the_fields_of_its_outcome(signed_in, hub_officer, submitted):
    client = signed_in(hub_officer)
    no_reason = client.post(_url("triage", submitted), {"outcome": "signposted", "version": submitted.version})
    html = no_reason.content.decode()
    assert "Every triage outcome needs a reason: the referrer sees it" in html
    assert "Name the service you are signposting the referral to" in html
    unknown_case = client.post(
        _url("triage", submitted),
        {"outcome": "existing_case", "reason": "Same group", "case_reference": "case-2026-999999", "version": 1},
    )
    assert "There is no case CASE-2026-999999 that you can add to" in unknown_case.content.decode()
    assert Referral.objects.get(pk=submitted.pk).status == ReferralStatus.SUBMITTED


def test_a_second_triage_is_refused_naming_the_rule(signed_in, hub_officer, hub_detective, submitted):
    stale_version = submitted.version
    referral_triage(actor=hub_detective, referral=submitted, outcome="no_further_action", reason="Known to CSC.")
    response = signed_in(hub_officer).post(
        _url("triage", submitted), {"outcome": "no_further_action", "reason": "NFA", "version": stale_version}
    )
    assert "A referral is triaged only once" in response.content.decode()
    assert signed_in(hub_officer).get(_url("triage", submitted)).url == _url("detail", submitted)


# --- what the referrer sees --------------------------------------------------------------------


def test_my_referrals_shows_the_outcome_and_reason(
    signed_in, walsall_partner, walsall_colleague, hub_officer, submitted, draft
):
    referral_triage(
        actor=hub_officer, referral=submitted, outcome="signposted", reason="Needs CAMHS.", signposted_to="CAMHS"
    )
    mine = signed_in(walsall_partner).get(reverse("referrals:mine"))
    html = mine.content.decode()
    assert "Signposted to another service" in html
    assert "Needs CAMHS." in html
    assert {r.pk for r in mine.context["page_obj"].object_list} == {submitted.pk, draft.pk}
    colleague = signed_in(walsall_colleague).get(reverse("referrals:mine"))
    assert [r.pk for r in colleague.context["page_obj"].object_list] == [submitted.pk]  # not the draft


def test_the_dashboard_counts_received_and_triaged(signed_in, hub_officer, walsall_partner, leah):
    first = make_referral(walsall_partner, [leah])
    make_referral(walsall_partner, [leah])
    referral_triage(actor=hub_officer, referral=first, outcome="no_further_action", reason="Known.")
    for period in ("week", "month"):
        response = signed_in(hub_officer).get(reverse("referrals:dashboard"), {"period": period})
        figures = response.context["figures"]
        assert (figures.received[-1], figures.triaged[-1]) == (2, 1)
        assert sum(figures.received) == 2
        assert ("No further action", 1) in figures.outcomes
        assert ("Significant risk", 2) in figures.levels
        assert "<polyline" in response.content.decode()


def test_the_home_panel_counts_the_queue_and_breaches(signed_in, hub_officer, walsall_partner, submitted, draft):
    _age(submitted, 6)
    hub = signed_in(hub_officer).get("/").content.decode()
    assert 'href="/referrals/queue/?breach=over"' in hub
    panel = next(p for p in signed_in(hub_officer).get("/").context["panels"] if p.title == "Referrals")
    assert [(f.label, f.value) for f in panel.figures][:2] == [
        ("Referrals awaiting triage", "1"),
        ("Over their target time", "1"),
    ]
    partner = next(p for p in signed_in(walsall_partner).get("/").context["panels"] if p.title == "Referrals")
    assert ("Your draft referrals", "1") in [(f.label, f.value) for f in partner.figures]


def test_the_person_page_lists_the_referrals_about_them(signed_in, walsall_partner, school_outsider, submitted, leah):
    html = signed_in(walsall_partner).get(reverse("people:person", args=[leah.pk])).content.decode()
    assert f"{submitted.reference}: Leah Ward" in html
    assert _url("detail", submitted) in html
