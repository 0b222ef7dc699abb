"""NRM pages through the test client: the access matrix for every page, and each page working.

Who may see an NRM record: hub staff (police with ``nrm.manage``) and the referring first
responder organisation (its ``nrm.manage`` users change it; its case workers only read it).
Everyone else gets a 404, whatever else they may see.
"""

import datetime as dt

import pytest
from django.urls import reverse

from socex.audit.models import Action, Event
from socex.cases.models import ChronologyEntry
from socex.cases.services import case_create, chronology_add
from socex.core.testing.factories import in_days
from socex.nrm import services
from socex.nrm.models import Decision, DutyToNotify, NrmReferral, NrmStatus
from socex.nrm.tests.helpers import make_person, start, submitted

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def police_referral(hub_officer, first_responders, child, walsall):
    """Made by West Midlands Police (the Coventry hub officer), submitted, with a negative RG."""
    referral = submitted(hub_officer, child, walsall, D(2024, 1, 2))
    services.decision_record(
        actor=hub_officer,
        referral=referral,
        stage="rg",
        outcome="negative",
        decided_on=D(2024, 1, 5),
        decision_maker="sca",
    )
    return referral


@pytest.fixture
def walsall_referral(walsall_nrm_lead, walsall):
    """Made by Walsall Council Early Help, a draft."""
    person = make_person(walsall_nrm_lead, dob=D(2011, 4, 4), given="Mia", family="Jones", gender="female")
    return start(walsall_nrm_lead, person, walsall)


VIEW_PAGES = ["nrm:referral", "nrm:pack", "nrm:pack_text", "nrm:pack_pdf"]
EDIT_PAGES = ["nrm:edit", "nrm:submit", "nrm:decision_add", "nrm:support_add", "nrm:age"]

# (persona, record, what they get on view pages, what they get on edit pages)
MATRIX = [
    ("hub_detective", "police_referral", 200, 200),
    ("hub_detective", "walsall_referral", 200, 200),
    ("hub_officer", "police_referral", 200, 200),
    ("walsall_nrm_lead", "walsall_referral", 200, 200),
    ("walsall_nrm_lead", "police_referral", 404, 404),
    ("walsall_partner", "walsall_referral", 200, 403),  # the referring organisation's case worker: reads only
    ("walsall_partner", "police_referral", 404, 404),
    ("analyst", "police_referral", 200, 403),  # police case worker in the referring force, no nrm.manage
    ("analyst", "walsall_referral", 404, 404),
    ("school_outsider", "police_referral", 404, 404),
    ("school_outsider", "walsall_referral", 404, 404),
    ("vrp_officer", "police_referral", 404, 404),
    ("auditor", "police_referral", 404, 404),
    ("mace_chair", "walsall_referral", 404, 404),
]


@pytest.mark.parametrize(("persona", "record", "view", "edit"), MATRIX)
def test_access_matrix_for_every_referral_page(request, signed_in, persona, record, view, edit):
    referral = request.getfixturevalue(record)
    client = signed_in(request.getfixturevalue(persona))
    for name in VIEW_PAGES:
        assert client.get(reverse(name, args=[referral.pk])).status_code == view, name
    for name in EDIT_PAGES:
        assert client.get(reverse(name, args=[referral.pk])).status_code == edit, name
    assert client.get(reverse("nrm:pack_page", args=[referral.pk, "what-happened"])).status_code == edit


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("hub_detective", 200),
        ("walsall_nrm_lead", 200),
        ("walsall_partner", 403),
        ("analyst", 403),
        ("vrp_officer", 403),
    ],
)
def test_the_nrm_area_needs_the_nrm_role(signed_in, request, first_responders, persona, status):
    client = signed_in(request.getfixturevalue(persona))
    for name in ("nrm:tray", "nrm:list", "nrm:create", "nrm:statistics", "nrm:published", "nrm:first_responders"):
        assert client.get(reverse(name)).status_code == status, name


def test_reading_a_referral_is_audited(signed_in, hub_detective, police_referral):
    signed_in(hub_detective).get(reverse("nrm:referral", args=[police_referral.pk]))
    event = Event.objects.filter(action=Action.VIEW).latest("id")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "nrm.nrmreferral",
        str(police_referral.pk),
        hub_detective.pk,
    )


def test_the_referral_page_shows_the_clocks_and_decisions(signed_in, hub_detective, police_referral):
    response = signed_in(hub_detective).get(reverse("nrm:referral", args=[police_referral.pk]))
    html = response.content.decode()
    assert "Negative reasonable grounds" in html
    assert "Single Competent Authority" in html
    assert "Request reconsideration" in html


def test_the_list_is_filtered_from_what_the_user_may_see_and_the_search_audited(
    signed_in, hub_detective, walsall_nrm_lead, police_referral, walsall_referral
):
    response = signed_in(walsall_nrm_lead).get(reverse("nrm:list"), {"status": "draft"})
    assert [r.pk for r in response.context["page_obj"].object_list] == [walsall_referral.pk]
    search = Event.objects.filter(action=Action.SEARCH).latest("id")
    assert search.object_type == "nrm.nrmreferral"
    assert "Status: Not yet submitted" in search.search_terms
    response = signed_in(hub_detective).get(reverse("nrm:list"))
    assert {r.pk for r in response.context["page_obj"].object_list} == {walsall_referral.pk, police_referral.pk}


# --- Starting a referral ----------------------------------------------------------------------------


def _start_data(**values):
    data = {
        "under_18": "yes",
        "lpa": "",
        "exploitation_types": ["forced-to-commit-crime"],
        "location": "uk",
        "uk_locations": "Walsall",
        "narrative": "Found carrying drugs in Walsall.",
        "indicators": "Unexplained money; missing episodes",
    }
    return data | values


def test_starting_a_referral_from_a_case(signed_in, hub_officer, first_responders, child, walsall, wmp):
    case = case_create(
        actor=hub_officer, subjects=[child], lead_agency=wmp, lpa=walsall, exploitation_types=["county_lines"]
    )
    client = signed_in(hub_officer)
    page = client.get(reverse("nrm:create"), {"case": case.pk})
    assert page.status_code == 200
    assert page.context["form"]["exploitation_types"].initial == ["forced-to-commit-crime"]
    assert page.context["form"]["county_lines"].initial is True
    response = client.post(
        f"{reverse('nrm:create')}?case={case.pk}", _start_data(person=str(child.pk), lpa=str(walsall.pk))
    )
    referral = NrmReferral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("nrm:referral", args=[referral.pk])
    assert (referral.case, referral.person, referral.first_responder) == (case, child, hub_officer.organisation)
    assert ChronologyEntry.objects.filter(case=case, category="nrm", source_id=str(referral.pk)).exists()


def test_starting_a_referral_on_its_own_by_person_reference(signed_in, hub_officer, first_responders, child, walsall):
    response = signed_in(hub_officer).post(
        reverse("nrm:create"), _start_data(person_reference=child.reference, lpa=str(walsall.pk))
    )
    assert response.status_code == 302
    assert NrmReferral.objects.get().person == child


def test_an_adult_without_consent_is_refused_beside_the_field_and_what_was_typed_is_kept(
    signed_in, hub_officer, first_responders, adult, walsall
):
    response = signed_in(hub_officer).post(
        reverse("nrm:create"), _start_data(person_reference=adult.reference, lpa=str(walsall.pk), under_18="no")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["consent"][0].startswith("Consent: an adult must give informed consent")
    assert form["narrative"].value() == "Found carrying drugs in Walsall."
    assert "There is a problem" in response.content.decode()
    assert not NrmReferral.objects.exists()


def test_an_adult_who_refuses_goes_to_a_duty_to_notify_report(signed_in, hub_officer, first_responders, adult, walsall):
    response = signed_in(hub_officer).post(
        reverse("nrm:create"),
        _start_data(person_reference=adult.reference, lpa=str(walsall.pk), under_18="no", consent="refused"),
    )
    report = DutyToNotify.objects.get()
    assert response["Location"] == reverse("nrm:dtn", args=[report.pk])
    page = signed_in(hub_officer).get(response["Location"])
    assert "Popescu" not in page.content.decode()
    assert report.reference in page.content.decode()


def test_a_person_the_user_may_not_see_is_not_found(signed_in, walsall_nrm_lead, child, walsall):
    response = signed_in(walsall_nrm_lead).post(
        reverse("nrm:create"), _start_data(person_reference=child.reference, lpa=str(walsall.pk))
    )
    assert response.context["form"].errors["person_reference"] == [
        "No person with that reference that you can see. Check it under People."
    ]


def test_a_case_the_user_may_not_see_is_a_404(signed_in, hub_officer, walsall_nrm_lead, child, walsall, wmp):
    case = case_create(actor=hub_officer, subjects=[child], lead_agency=wmp, lpa=walsall)
    assert signed_in(walsall_nrm_lead).get(reverse("nrm:create"), {"case": case.pk}).status_code == 404


# --- Submission, decisions, support ---------------------------------------------------------------


def test_submission_then_a_decision_refused_then_recorded(signed_in, hub_officer, first_responders, child, walsall):
    referral = start(hub_officer, child, walsall, referred_on=D(2024, 1, 2))
    client = signed_in(hub_officer)
    response = client.post(
        reverse("nrm:submit", args=[referral.pk]), {"submitted_on": "2/1/2024", "ho_reference": "X1"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.ho_reference) == (NrmStatus.AWAITING_RG, "X1")
    decision = {"stage": "cg", "outcome": "positive", "decided_on": "10/1/2024", "decision_maker": "sca"}
    refused = client.post(reverse("nrm:decision_add", args=[referral.pk]), decision)
    assert refused.status_code == 200
    assert "Conclusive grounds after reasonable grounds" in refused.context["form"].errors["stage"][0]
    assert refused.context["form"]["decided_on"].value() == "10/1/2024"
    ok = client.post(reverse("nrm:decision_add", args=[referral.pk]), decision | {"stage": "rg"})
    assert ok.status_code == 302
    assert Decision.objects.get().stage == "rg"


def test_a_future_decision_date_is_refused_beside_the_date(signed_in, hub_officer, police_referral):
    tomorrow = in_days(1)
    response = signed_in(hub_officer).post(
        reverse("nrm:decision_add", args=[police_referral.pk]),
        {"stage": "cg", "outcome": "positive", "decided_on": tomorrow.strftime("%d/%m/%Y"), "decision_maker": "sca"},
    )
    assert response.context["form"].errors["decided_on"][0].startswith("No future dates")


def test_reconsideration_through_the_pages(signed_in, hub_officer, police_referral):
    client = signed_in(hub_officer)
    negative = police_referral.decisions.get()
    assert client.post(reverse("nrm:reconsider", args=[negative.pk]), {"requested_on": "6/1/2024"}).status_code == 302
    reconsideration = negative.reconsiderations.get()
    response = client.post(
        reverse("nrm:reconsideration_outcome", args=[reconsideration.pk]),
        {"outcome": "overturned", "outcome_on": "1/2/2024"},
    )
    assert response.status_code == 302
    police_referral.refresh_from_db()
    assert police_referral.status == NrmStatus.AWAITING_CG


def test_support_referral_added_and_updated(signed_in, hub_officer, police_referral):
    client = signed_in(hub_officer)
    assert (
        client.post(
            reverse("nrm:support_add", args=[police_referral.pk]),
            {"provider": "la_childrens_services", "referred_on": "3/1/2024"},
        ).status_code
        == 302
    )
    support = police_referral.support_referrals.get()
    bad = client.post(reverse("nrm:support_update", args=[support.pk]), {"status": "accepted", "status_on": "1/1/2024"})
    assert "Support referral: the change cannot come before the referral" in bad.context["form"].errors["status_on"][0]
    ok = client.post(reverse("nrm:support_update", args=[support.pk]), {"status": "accepted", "status_on": "5/1/2024"})
    assert ok.status_code == 302
    support.refresh_from_db()
    assert support.status == "accepted"


def test_support_update_by_an_outsider_is_a_404(signed_in, hub_officer, walsall_nrm_lead, police_referral):
    support = services.support_referral_add(
        actor=hub_officer, referral=police_referral, provider="ictg", referred_on=D(2024, 1, 3)
    )
    assert signed_in(walsall_nrm_lead).get(reverse("nrm:support_update", args=[support.pk])).status_code == 404


def test_duty_to_notify_pages(signed_in, hub_officer, walsall_nrm_lead, first_responders, adult, walsall):
    report = start(hub_officer, adult, walsall, under_18="no", consent="refused")
    assert signed_in(walsall_nrm_lead).get(reverse("nrm:dtn", args=[report.pk])).status_code == 404
    client = signed_in(hub_officer)
    assert (
        client.post(
            reverse("nrm:dtn_submit", args=[report.pk]), {"submitted_on": in_days(0).strftime("%d/%m/%Y")}
        ).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.submitted_on == in_days(0)
    assert report.guidance_version


# --- The case page panel and the dashboard -----------------------------------------------------------


def test_the_case_panel_shows_nrm_status_at_a_glance(
    hub_officer, walsall_partner, first_responders, child, walsall, wmp
):
    from socex.cases.panels import case_panels

    case = case_create(actor=hub_officer, subjects=[child], lead_agency=wmp, lpa=walsall)
    referral = start(hub_officer, child, walsall, case=case, referred_on=D(2024, 12, 20))
    services.nrm_referral_submit(actor=hub_officer, referral=referral, submitted_on=D(2024, 12, 20))
    [panel] = [p for p in case_panels(case, hub_officer) if p.title == "NRM"]
    assert panel.template == "nrm/_case_panel.html"
    assert panel.context["can_create"] is True
    assert panel.context["rows"][0].referral == referral
    assert panel.context["rows"][0].clock.rg_overdue
    assert not [p for p in case_panels(case, walsall_partner) if p.title == "NRM"]


def test_the_dashboard_panel_counts_link_to_the_tray(signed_in, hub_officer, police_referral):
    from socex.nrm.panels import nrm_dashboard_panel

    panel = nrm_dashboard_panel(hub_officer)
    figures = {f.label: (f.value, f.href) for f in panel.figures}
    assert figures["Reasonable grounds decisions overdue"] == ("0", "/nrm/#rg-overdue")
    home = signed_in(hub_officer).get("/")
    assert "NRM referrals" in home.content.decode()


def test_chronology_entries_picked_for_the_pack(signed_in, hub_officer, first_responders, child, walsall, wmp):
    case = case_create(actor=hub_officer, subjects=[child], lead_agency=wmp, lpa=walsall)
    entry = chronology_add(case=case, category="note", summary="Found in a trap house in Walsall", actor=hub_officer)
    referral = start(hub_officer, child, walsall, case=case)
    client = signed_in(hub_officer)
    assert client.post(reverse("nrm:pack", args=[referral.pk]), {"entries": [str(entry.pk)]}).status_code == 302
    referral.refresh_from_db()
    assert referral.pack_chronology == [entry.pk]
    text = client.get(reverse("nrm:pack_text", args=[referral.pk])).content.decode()
    assert "Found in a trap house in Walsall" in text


def test_changing_a_draft_including_its_start_date(signed_in, hub_officer, first_responders, child, walsall):
    referral = start(hub_officer, child, walsall, referred_on=in_days(0))
    client = signed_in(hub_officer)
    form = client.get(reverse("nrm:edit", args=[referral.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data |= {"referred_on": in_days(-10).strftime("%d/%m/%Y"), "narrative": "Updated account", "location": "uk"}
    response = client.post(reverse("nrm:edit", args=[referral.pk]), data)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.referred_on, referral.narrative) == (in_days(-10), "Updated account")
    changed = Event.objects.filter(action=Action.UPDATE, object_id=str(referral.pk)).latest("id")
    assert "referred_on" in changed.changes
    assert "narrative" in changed.changes


def test_administrators_keep_the_first_responder_list(
    signed_in, administrator, hub_officer, school_outsider, first_responders
):
    from socex.nrm.models import FirstResponder

    school = school_outsider.organisation
    assert signed_in(hub_officer).get(reverse("nrm:first_responder_add")).status_code == 403
    client = signed_in(administrator)
    response = client.post(reverse("nrm:first_responder_add"), {"organisation": str(school.pk), "fro_type": "ngo"})
    assert response.status_code == 302
    entry = FirstResponder.objects.get(organisation=school)
    assert (entry.fro_type, entry.is_active, entry.list_version) == ("ngo", True, "added by hand")
    assert Event.objects.filter(
        action=Action.CREATE, object_type="nrm.firstresponder", object_id=str(entry.pk)
    ).exists()
    remove = reverse("nrm:first_responder_remove", args=[entry.pk])
    assert signed_in(hub_officer).post(remove).status_code == 403  # may read the list, not change it
    assert signed_in(school_outsider).post(remove).status_code == 404
    assert signed_in(administrator).post(remove).status_code == 302
    entry.refresh_from_db()
    assert entry.is_active is False
