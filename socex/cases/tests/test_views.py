"""Case pages through the test client: what each page shows, the forms and their errors, the
chronology's filters and exports, documents, the signpost search and the dashboards."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from socex.audit.models import Action, Event
from socex.cases.models import Case, ChronologyEntry, RiskReview
from socex.cases.panels import CasePanel, _builders, register_case_panel
from socex.cases.services import (
    case_closure_request,
    case_flag,
    chronology_add,
    chronology_note_add,
    document_add,
    risk_review_add,
)
from socex.cases.tests.conftest import make_person
from socex.people.links import linked_records, links_for_page

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _page(case, name="detail"):
    return reverse(f"cases:{name}", args=[case.pk])


def _last(action, **filters):
    return Event.objects.filter(action=action, **filters).order_by("-id").first()


# --- The case page ---------------------------------------------------------------------------------


def test_the_case_page_shows_subjects_agencies_risk_and_chronology(signed_in, hub_detective, shared_case, kieran):
    risk_review_add(
        actor=hub_detective, case=shared_case, level="significant", reviewed_on=timezone.localdate(),
        reason="Seen getting into cars with older males",
    )  # fmt: skip
    risk_review_add(
        actor=hub_detective, case=shared_case, level="at_risk", reviewed_on=timezone.localdate(), reason="Engaging well"
    )
    case_flag(actor=hub_detective, case=shared_case, flag="missing", on=True)
    response = signed_in(hub_detective).get(_page(shared_case))
    html = response.content.decode()
    assert f'href="/people/{kieran.pk}/"' in html  # subjects link to the person index
    assert "Walsall Council Early Help" in html
    assert "Children Act 1989, section 47" in html or "section 47" in html
    assert "Case summary, risk reviews and chronology for the Walsall MACE meeting" in html
    assert "Goes missing" in html
    assert "Seen getting into cars with older males" in html
    assert "socex-line-chart" in html  # the risk history as a chart, with its table
    assert "moj-timeline" in html
    assert "Risk review: Significant risk to At risk" in html
    view = _last(Action.VIEW, object_type="cases.case")
    assert (view.object_id, view.actor_id) == (str(shared_case.pk), hub_detective.pk)


def test_a_partner_sees_the_subject_name_without_a_link_to_a_person_not_shared_with_them(
    signed_in, walsall_partner, shared_case, kieran
):
    html = signed_in(walsall_partner).get(_page(shared_case)).content.decode()
    assert "Kieran Smith" in html
    assert f'href="/people/{kieran.pk}/"' not in html
    assert "Change details" not in html  # a participating partner reads, does not change
    assert "Add to the chronology" in html


def test_other_apps_panels_appear_on_the_case_page(signed_in, hub_officer, case, tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "plan").mkdir(parents=True)
    (template_dir / "plan" / "panel.html").write_text(
        "<p class='govuk-body'>{{ actions }} actions for {{ case.reference }}</p>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}]

    def plan_panel(case, user):
        return CasePanel("Safeguarding plan", "plan/panel.html", {"actions": 3}) if user.is_police else None

    register_case_panel(50, plan_panel)
    try:
        html = signed_in(hub_officer).get(_page(case)).content.decode()
    finally:
        _builders[:] = [b for b in _builders if b[2] is not plan_panel]
    assert "Safeguarding plan" in html
    assert f"3 actions for {case.reference}" in html


def test_a_person_page_lists_the_cases_the_viewer_may_see(hub_officer, school_outsider, case, kieran):
    links = [link for link in links_for_page() if link.model is Case]
    [group] = linked_records(kieran, hub_officer, links=links)
    assert (group.label, group.rows) == ("Cases", [(case, f"/cases/{case.pk}/")])
    assert linked_records(kieran, school_outsider, links=links) == []


# --- Changing a case ---------------------------------------------------------------------------------


def _edit_data(case, **changes):
    data = {
        "version": case.version,
        "summary": case.summary,
        "exploitation_types": case.exploitation_types,
        "lead_agency": str(case.lead_agency_id),
        "keyworker": str(case.keyworker_id),
        "lpa": case.lpa_id,
    }
    return data | changes


def test_editing_a_case_saves_and_a_stale_form_is_refused_keeping_what_was_typed(
    signed_in, hub_officer, hub_detective, case
):
    stale = _edit_data(case, summary="The officer's version")
    response = signed_in(hub_detective).post(_page(case, "edit"), _edit_data(case, summary="The detective's version"))
    assert response.status_code == 302
    response = signed_in(hub_officer).post(_page(case, "edit"), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Someone else changed" in html
    assert "The officer&#x27;s version" in html  # what they typed is kept
    assert Case.objects.get(pk=case.pk).summary == "The detective's version"


def test_edit_errors_are_named_beside_their_fields(signed_in, hub_officer, case):
    response = signed_in(hub_officer).post(_page(case, "edit"), _edit_data(case, exploitation_types=[], lpa=""))
    html = response.content.decode()
    assert 'href="#id_exploitation_types"' in html
    assert "Choose at least one type of exploitation" in html
    assert "Choose the local policing area" in html


def test_a_risk_review_through_the_form(signed_in, hub_officer, case):
    client = signed_in(hub_officer)
    bad = client.post(
        _page(case, "risk_review_add"), {"level": "significant", "reviewed_on": "31/02/2026", "reason": "Why"}
    )
    assert "Date of the review must be a real date" in bad.content.decode()
    assert 'value="Why"' not in bad.content.decode()
    assert "Why</textarea>" in bad.content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    good = client.post(_page(case, "risk_review_add"), {"level": "significant", "reviewed_on": today, "reason": "Why"})
    assert good.status_code == 302
    assert good.url.endswith("#risk")
    assert RiskReview.objects.get().level == "significant"


def test_adding_a_subject_by_reference(signed_in, hub_officer, case):
    sister = make_person(hub_officer, given="Leah", family="Smith", dob=dt.date(2013, 4, 1))
    client = signed_in(hub_officer)
    unknown = client.post(_page(case, "subject_add"), {"person": "P-9999999"})
    assert "There is no person P-9999999 that you can see" in unknown.content.decode()
    added = client.post(_page(case, "subject_add"), {"person": sister.reference.lower()})
    assert added.status_code == 302
    assert sister in case.subjects.all()


def test_flags_through_the_pages(signed_in, hub_officer, case):
    client = signed_in(hub_officer)
    assert (
        client.post(_page(case, "flag_add"), {"flag": "risk_to_staff", "reason": "Dog at the address"}).status_code
        == 302
    )
    assert Case.objects.get(pk=case.pk).flags == ["risk_to_staff"]
    response = client.post(reverse("cases:flag_remove", args=[case.pk, "missing"]), follow=True)
    assert "is not flagged “Goes missing”" in response.content.decode()


def test_closure_request_and_supervisor_approval_through_the_pages(signed_in, hub_officer, supervisor, case):
    client = signed_in(hub_officer)
    empty = client.post(_page(case, "closure_request"), {"version": case.version, "reason": ""})
    assert "Enter why the case can close" in empty.content.decode()
    assert client.post(_page(case, "closure_request"), {"version": case.version, "reason": "Safe"}).status_code == 302
    closure = case.closure_requests.get()
    page = signed_in(supervisor).get(_page(case)).content.decode()
    assert "Closure awaiting approval" in page
    assert "Approve or reject the closure" in page
    url = reverse("cases:closure_decide", args=[case.pk, closure.pk])
    refused = signed_in(supervisor).post(url, {"decision": "reject", "note": ""})
    assert "Enter why the case should stay open" in refused.content.decode()
    assert signed_in(supervisor).post(url, {"decision": "approve", "note": ""}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "closed"


# --- The chronology ---------------------------------------------------------------------------------------


@pytest.fixture
def busy_case(shared_case, hub_officer, walsall_partner):
    old = timezone.now() - dt.timedelta(days=40)
    chronology_note_add(
        actor=walsall_partner,
        case=shared_case,
        category="home_visit",
        occurred_at=old,
        summary="Home visit by Early Help",
    )
    chronology_note_add(
        actor=hub_officer, case=shared_case, category="phone_call", occurred_at=timezone.now(), summary="Called mum"
    )
    chronology_add(case=shared_case, category="mace", summary="Discussed at the Walsall MACE", actor=hub_officer)
    return shared_case


def test_the_chronology_filters_by_type_agency_and_date_and_logs_the_search(signed_in, walsall_partner, busy_case):
    client = signed_in(walsall_partner)
    everything = client.get(_page(busy_case, "chronology"))
    assert everything.context["page_obj"].paginator.count == 4
    assert not Event.objects.filter(action=Action.SEARCH).exists()  # an unfiltered view is not a search
    walsall = str(walsall_partner.organisation_id)
    by_agency = client.get(_page(busy_case, "chronology"), {"agency": walsall})
    assert [e.summary for e in by_agency.context["page_obj"]] == ["Home visit by Early Help"]
    search = _last(Action.SEARCH)
    assert search.search_terms == f"Case: {busy_case.reference}; Agency: Walsall Council Early Help"
    recent = client.get(
        _page(busy_case, "chronology"),
        {"date_from": (timezone.localdate() - dt.timedelta(days=7)).strftime("%d/%m/%Y")},
    )
    assert "Home visit by Early Help" not in [e.summary for e in recent.context["page_obj"]]
    by_type = client.get(_page(busy_case, "chronology"), {"category": "mace"})
    assert [e.summary for e in by_type.context["page_obj"]] == ["Discussed at the Walsall MACE"]
    practitioner = client.get(_page(busy_case, "chronology"), {"kind": "practitioner"})
    assert {e.summary for e in practitioner.context["page_obj"]} == {"Home visit by Early Help", "Called mum"}
    bad = client.get(_page(busy_case, "chronology"), {"date_from": "2/1/2026", "date_to": "1/1/2026"})
    assert "Date to must be the same as or after date from" in bad.content.decode()


def test_a_practitioner_entry_through_the_form(signed_in, walsall_partner, shared_case):
    client = signed_in(walsall_partner)
    response = client.post(
        _page(shared_case, "note_add"),
        {"category": "home_visit", "occurred_on": timezone.localdate().strftime("%d/%m/%Y"), "occurred_time": "25:00",
         "summary": "Saw Kieran at home"},
    )  # fmt: skip
    assert "Enter a real time on the 24-hour clock" in response.content.decode()
    assert 'value="Saw Kieran at home"' in response.content.decode()
    response = client.post(
        _page(shared_case, "note_add"),
        {"category": "home_visit", "occurred_on": "1/1/2026", "occurred_time": "09:15", "summary": "Saw Kieran"},
    )
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get(summary="Saw Kieran")
    assert timezone.localtime(entry.occurred_at).strftime("%d/%m/%Y %H:%M") == "01/01/2026 09:15"


def test_the_chronology_pdf_holds_the_entries_and_is_audited_as_an_export(signed_in, walsall_partner, busy_case):
    response = signed_in(walsall_partner).get(_page(busy_case, "chronology_pdf"), {"kind": "practitioner"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{busy_case.reference}-chronology-')
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Home visit by Early Help" in text
    assert "Called mum" in text
    assert "Discussed at the Walsall MACE" not in text
    export = _last(Action.EXPORT)
    assert (export.object_type, export.object_id, export.export_count) == ("cases.case", str(busy_case.pk), 2)
    assert export.search_terms == "Entered by: Practitioner entry"


def test_the_chronology_csv_is_audited_with_the_case_and_filters(signed_in, hub_officer, busy_case):
    response = signed_in(hub_officer).get(_page(busy_case, "chronology_csv"), {"category": "home_visit"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Case,Occurred at")
    assert "Home visit by Early Help" in body
    assert "Called mum" not in body
    export = _last(Action.EXPORT)
    assert export.export_count == 1
    assert export.search_terms == f"Case: {busy_case.reference}; Type: Home visit"


def test_a_pdf_over_the_limit_is_refused_with_a_way_forward(signed_in, settings, hub_officer, busy_case):
    settings.SOCEX_CASE_CHRONOLOGY_PDF_MAX_ENTRIES = 2
    response = signed_in(hub_officer).get(_page(busy_case, "chronology_pdf"), follow=True)
    assert "narrow it with the filters" in response.content.decode()
    assert not Event.objects.filter(action=Action.EXPORT).exists()


# --- Documents -----------------------------------------------------------------------------------------


def test_uploading_through_the_form_and_clear_refusals(signed_in, walsall_partner, shared_case):
    client = signed_in(walsall_partner)
    wrong = client.post(
        _page(shared_case, "document_add"), {"file": SimpleUploadedFile("photo.pdf", PNG), "title": "Photo"}
    )
    html = wrong.content.decode()
    assert "govuk-error-summary" in html
    assert "ends in .pdf but its content is a PNG image" in html
    assert 'value="Photo"' in html
    good = client.post(
        _page(shared_case, "document_add"), {"file": SimpleUploadedFile("plan.pdf", PDF), "title": "Plan"}
    )
    assert good.status_code == 302
    assert shared_case.documents.get().uploaded_by_organisation == walsall_partner.organisation


def test_an_oversized_upload_is_refused(signed_in, settings, hub_officer, case):
    settings.SOCEX_CASE_DOCUMENT_MAX_MB = 1
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    html = signed_in(hub_officer).post(_page(case, "document_add"), {"file": big}).content.decode()
    assert "The selected file must be smaller than 1 MB." in html


def test_a_download_is_an_attachment_not_sniffed_and_audited(signed_in, walsall_partner, hub_officer, shared_case):
    document = document_add(actor=hub_officer, case=shared_case, upload=SimpleUploadedFile("plan.pdf", PDF))
    response = signed_in(walsall_partner).get(reverse("cases:document_download", args=[shared_case.pk, document.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _last(Action.VIEW).object_type == "cases.casedocument"


def test_a_document_is_reached_only_through_its_own_case(signed_in, hub_officer, case, walsall_case, lead_partner):
    document = document_add(actor=hub_officer, case=case, upload=SimpleUploadedFile("plan.pdf", PDF))
    # The lead partner may see walsall_case, but the document belongs to another case.
    url = reverse("cases:document_download", args=[walsall_case.pk, document.pk])
    assert signed_in(lead_partner).get(url).status_code == 404


# --- Search and the signpost ---------------------------------------------------------------------------


def test_a_partner_not_on_the_case_gets_only_a_signpost_and_it_is_audited(signed_in, school_outsider, wmp, case):
    wmp.contact_email, wmp.contact_phone = "socex.hub@police.example", "0121 496 0000"
    wmp.save()
    response = signed_in(school_outsider).get(reverse("cases:search"), {"q": "kieran smith"})
    html = response.content.decode()
    assert "A record exists — contact the hub." in html
    assert "Wolverhampton SOCEX Hub" in html  # the hub that serves Walsall
    assert "socex.hub@police.example" in html
    assert case.reference not in html
    assert "trap house" not in html
    assert response.context["outcome"].cases == []
    search = _last(Action.SEARCH)
    assert (search.search_terms, search.detail["results"]) == ("Case reference or name: kieran smith", 0)
    signpost = _last(Action.VIEW)
    assert (signpost.object_id, signpost.detail["signpost"]) == (str(case.pk), True)


def test_the_same_search_by_reference_signposts_too(signed_in, school_outsider, case):
    html = signed_in(school_outsider).get(reverse("cases:search"), {"q": case.reference.lower()}).content.decode()
    assert "A record exists — contact the hub." in html


def test_police_who_see_every_case_get_the_case_itself(signed_in, hub_detective, case):
    response = signed_in(hub_detective).get(reverse("cases:search"), {"q": "Kieran"})
    assert response.context["outcome"].cases == [case]
    assert response.context["outcome"].signpost is None
    assert not Event.objects.filter(action=Action.VIEW, detail__signpost=True).exists()


def test_a_participating_partner_gets_the_case_and_no_signpost(signed_in, walsall_partner, shared_case):
    response = signed_in(walsall_partner).get(reverse("cases:search"), {"q": "Smith"})
    assert response.context["outcome"].cases == [shared_case]
    assert response.context["outcome"].signpost is None


def test_no_match_says_so_and_an_empty_search_asks_for_words(signed_in, school_outsider, case):
    client = signed_in(school_outsider)
    assert "No cases match" in client.get(reverse("cases:search"), {"q": "Nobody"}).content.decode()
    assert "Enter a case reference or a name" in client.get(reverse("cases:search"), {"q": " "}).content.decode()


# --- The list, dashboard, home panel and navigation ---------------------------------------------------------


def test_the_list_filters_are_audited_and_start_from_what_the_user_may_see(
    signed_in, walsall_partner, hub_officer, shared_case, kieran
):
    other = Case.objects.create(
        reference="CASE-2026-000900",
        lead_agency=hub_officer.organisation,
        lpa=shared_case.lpa,
        exploitation_types=["cse"],
    )
    client = signed_in(walsall_partner)
    assert list(client.get(reverse("cases:list")).context["page_obj"]) == [shared_case]
    filtered = client.get(reverse("cases:list"), {"exploitation_type": "cce", "risk_level": "at_risk"})
    assert list(filtered.context["page_obj"]) == [shared_case]
    assert _last(Action.SEARCH).search_terms == "Risk level: At risk; Type of exploitation: Child criminal exploitation"
    police = signed_in(hub_officer).get(reverse("cases:list"), {"exploitation_type": "cse"})
    assert list(police.context["page_obj"]) == [other]


def test_the_dashboard_counts_open_cases_by_area_risk_and_type(signed_in, hub_officer, walsall_partner, case, kieran):
    from socex.areas.models import LPA
    from socex.cases.services import case_create

    case_create(
        actor=hub_officer, subjects=[kieran], lead_agency=case.lead_agency, lpa=LPA.objects.get(name="Coventry"),
        risk_level="significant", exploitation_types=["cce", "cse"],
    )  # fmt: skip
    context = signed_in(hub_officer).get(reverse("cases:dashboard")).context
    assert context["open_total"] == 2
    assert {label: n for label, n, _ in context["by_lpa"]} == {"Walsall": 1, "Coventry": 1}
    assert {label: n for label, n, _ in context["by_risk"]}["Significant risk"] == 1
    types = {label: n for label, n, _ in context["by_type"]}
    assert (types["Child criminal exploitation"], types["Child sexual exploitation"], types["County lines"]) == (
        2,
        1,
        1,
    )
    assert context["month_series"][0]["values"][-1] == 2
    partner = signed_in(walsall_partner).get(reverse("cases:dashboard")).context
    assert partner["open_total"] == 0  # nothing is shared with Walsall Early Help here


def test_the_home_panel_counts_my_cases_and_overdue_reviews_with_links(signed_in, hub_officer, supervisor, case):
    Case.objects.filter(pk=case.pk).update(review_due=timezone.localdate() - dt.timedelta(days=1))
    html = signed_in(hub_officer).get("/").content.decode()
    assert "Open cases where you are the keyworker" in html
    assert 'href="/cases/?mine=on"' in html
    assert 'href="/cases/?review_overdue=on"' in html
    overdue = signed_in(hub_officer).get(reverse("cases:list"), {"review_overdue": "on"})
    assert list(overdue.context["page_obj"]) == [case]
    case_closure_request(actor=hub_officer, case=case, reason="Safe")
    assert "Closure requests awaiting a decision" in signed_in(supervisor).get("/").content.decode()


def test_the_cases_menu_entry_shows_only_to_people_with_a_cases_role(signed_in, walsall_partner, vrp_officer):
    assert b'href="/cases/"' in signed_in(walsall_partner).get("/").content
    assert b'href="/cases/"' not in signed_in(vrp_officer).get("/").content


def test_sharing_a_case_from_its_page_puts_the_agency_on_it(signed_in, hub_officer, walsall_partner, case):
    from socex.sharing.models import LegalBasis

    basis = LegalBasis.objects.get(code="children-act-1989-s47")
    until = (timezone.localdate() + dt.timedelta(days=10)).strftime("%d/%m/%Y")
    response = signed_in(hub_officer).post(
        _page(case, "share"),
        {
            "organisation": str(walsall_partner.organisation_id),
            "legal_basis": basis.pk,
            "scope": "For MACE",
            "until": until,
        },
    )
    assert response.status_code == 302
    assert signed_in(walsall_partner).get(_page(case)).status_code == 200
