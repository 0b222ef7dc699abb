"""Intelligence pages through the test client: each page works for the people it is for, is a
404 for someone who may not see the report, and a 403 for someone who may see it but not do that."""

import datetime as dt

import pytest
from django.urls import reverse

from socex.audit.models import Action, Event
from socex.intelligence import services
from socex.intelligence.models import Entity, Group, Link, Mention, ReportStatus
from socex.intelligence.tests.conftest import SANITISED, TEXT, submit
from socex.people.details import PersonDetails
from socex.people.services import person_create

pytestmark = pytest.mark.django_db


def _url(name, report, **extra):
    return reverse(f"intelligence:{name}", args=[report.reference])


def _last(action):
    return Event.objects.filter(action=action).order_by("-id").first()


# --- The access matrix ---------------------------------------------------------------------------

# (page, who it works for, an outsider who gets 404, someone who sees the report but gets 403)
REPORT_PAGES = [
    ("report", "hub_detective", "walsall_partner", None),
    ("evaluate", "analyst", "walsall_partner", "hub_detective"),
    ("sanitise", "analyst", "school_outsider", "hub_detective"),
    ("publish", "analyst", "auditor", "hub_detective"),
    ("disseminate", "hub_detective", "walsall_partner", "analyst"),
    ("entities", "hub_detective", "walsall_partner", "intel_reader"),
    ("person_add", "analyst", "walsall_partner", "intel_reader"),
    ("link_add", "hub_detective", "auditor", "intel_reader"),
]


@pytest.mark.parametrize(("name", "works", "outsider", "read_only"), REPORT_PAGES)
def test_report_pages_access_matrix(request, signed_in, submitted, intel_reader, name, works, outsider, read_only):
    url = _url(name, submitted)
    assert signed_in(request.getfixturevalue(works)).get(url).status_code == 200
    assert signed_in(request.getfixturevalue(outsider)).get(url).status_code == 404
    if read_only:
        assert signed_in(request.getfixturevalue(read_only)).get(url).status_code == 403


@pytest.mark.parametrize(
    ("url_name", "works", "forbidden"),
    [
        ("intelligence:list", "hub_officer", "walsall_partner"),
        ("intelligence:submit", "hub_officer", "intel_reader"),
        ("intelligence:groups", "analyst", "hub_officer"),
        ("intelligence:group_create", "analyst", "intel_reader"),
    ],
)
def test_list_and_form_pages_are_for_the_roles_that_use_them(
    request, signed_in, intel_reader, url_name, works, forbidden
):
    url = reverse(url_name)
    assert signed_in(request.getfixturevalue(works)).get(url).status_code == 200
    assert signed_in(request.getfixturevalue(forbidden)).get(url).status_code == 403


def test_entity_and_group_pages_access_matrix(
    signed_in, analyst, hub_detective, walsall_partner, intel_reader, submitted
):
    group = services.group_create(actor=analyst, kind="county_line", name="Ky line", deal_line="07700 900123")
    entity = group.entities.get()
    for url in (reverse("intelligence:entity", args=[entity.pk]), reverse("intelligence:group", args=[group.pk])):
        assert signed_in(hub_detective).get(url).status_code == 200
        assert signed_in(walsall_partner).get(url).status_code == 404
    edit = reverse("intelligence:group_edit", args=[group.pk])
    assert signed_in(analyst).get(edit).status_code == 200
    assert signed_in(intel_reader).get(edit).status_code == 403
    assert signed_in(walsall_partner).get(edit).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, submitted):
    response = client.get(_url("report", submitted))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- Submitting ----------------------------------------------------------------------------------


def test_an_officer_submits_a_report_and_lands_on_it(signed_in, hub_officer, west_midlands):
    from socex.areas.models import LPA

    walsall = LPA.objects.get(name="Walsall")
    response = signed_in(hub_officer).post(
        reverse("intelligence:submit"),
        {"source_type": "public", "obtained_on": "2/3/2026", "lpa": walsall.pk, "text": TEXT, "restricted_team": ""},
    )
    assert response.status_code == 302
    report = hub_officer.intel_reports.get()
    assert response["Location"] == _url("report", report)
    assert (report.source_type, report.obtained_on, report.lpa) == ("public", dt.date(2026, 3, 2), walsall)
    page = signed_in(hub_officer).get(response["Location"]).content.decode()
    assert "You wrote this report, so another person will evaluate it." in page
    assert "07700 900123" in page


def test_a_bad_submission_shows_each_error_and_keeps_what_was_typed(signed_in, hub_officer, west_midlands):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = signed_in(hub_officer).post(
        reverse("intelligence:submit"),
        {"source_type": "", "obtained_on": tomorrow.strftime("%d/%m/%Y"), "lpa": "", "text": "Kept text"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose where the intelligence came from" in html
    assert "Choose the area it is about" in html
    assert "Kept text" in html
    assert not hub_officer.intel_reports.exists()


def test_the_future_date_is_refused_naming_the_rule(signed_in, hub_officer, west_midlands):
    from socex.areas.models import LPA

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = signed_in(hub_officer).post(
        reverse("intelligence:submit"),
        {
            "source_type": "officer",
            "obtained_on": tomorrow.strftime("%d/%m/%Y"),
            "lpa": LPA.objects.get(name="Walsall").pk,
            "text": "x",
        },
    )
    assert "(date obtained rule)" in response.content.decode()


# --- Reading -------------------------------------------------------------------------------------


def test_reading_a_report_is_audited(signed_in, hub_detective, submitted):
    signed_in(hub_detective).get(_url("report", submitted))
    view = _last(Action.VIEW)
    assert (view.object_type, view.object_id, view.actor_id) == (
        "intelligence.report",
        str(submitted.pk),
        hub_detective.pk,
    )


def test_a_restricted_report_is_a_404_outside_its_team(signed_in, hub_officer, hub_detective, analyst):
    secret = submit(hub_officer, restricted_team=hub_officer.team)
    assert signed_in(hub_detective).get(_url("report", secret)).status_code == 404
    assert signed_in(analyst).get(_url("report", secret)).status_code == 404
    assert signed_in(hub_officer).get(_url("report", secret)).status_code == 200


def test_the_list_searches_with_filters_and_tags(signed_in, hub_detective, submitted, west_midlands):
    from socex.areas.models import LPA

    walsall = LPA.objects.get(name="Walsall")
    response = signed_in(hub_detective).get(reverse("intelligence:list"), {"q": "Audi", "lpa": walsall.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert submitted.reference in html
    assert '<mark class="socex-highlight">Audi</mark>' in html
    assert "Area (LPA): Walsall" in html  # the filter tag
    event = _last(Action.SEARCH)
    assert event.search_terms == "Search: audi; Area (LPA): Walsall"


@pytest.mark.parametrize("typed", ['"', "&&&&", "x" * 5000, "a) OR (b", "-", "NOT"])
def test_odd_searches_on_the_page_never_fail(signed_in, hub_detective, submitted, typed):
    response = signed_in(hub_detective).get(reverse("intelligence:list"), {"q": typed})
    assert response.status_code == 200


def test_a_bad_filter_shows_its_error(signed_in, hub_detective, submitted):
    response = signed_in(hub_detective).get(reverse("intelligence:list"), {"obtained_from": "31/2/2026"})
    assert response.status_code == 200
    assert "Obtained from must be a real date" in response.content.decode()


def test_an_officer_who_cannot_read_intelligence_sees_only_their_own_reports(
    signed_in, hub_officer, analyst, submitted
):
    other = submit(analyst, text="An analyst's own report about Bloxwich.")
    html = signed_in(hub_officer).get(reverse("intelligence:list")).content.decode()
    assert submitted.reference in html
    assert other.reference not in html
    assert signed_in(hub_officer).get(_url("report", other)).status_code == 404


# --- The workflow through the pages ----------------------------------------------------------------


def test_evaluating_through_the_page(signed_in, analyst, submitted):
    response = signed_in(analyst).post(
        _url("evaluate", submitted),
        {"grading_scheme": "3x5x2", "source_evaluation": "2", "intelligence_assessment": "B", "handling_code": "C",
         "handling_conditions": "", "retention_group": "3"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "(handling code C needs conditions rule)" in response.content.decode()
    response = signed_in(analyst).post(
        _url("evaluate", submitted),
        {"grading_scheme": "3x5x2", "source_evaluation": "2", "intelligence_assessment": "B", "handling_code": "P",
         "retention_group": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.grade_text, submitted.retention_group) == ("evaluated", "2B P", "2")


def test_the_author_is_told_they_may_not_evaluate_and_is_refused(signed_in, analyst):
    own = submit(analyst)
    page = signed_in(analyst).get(_url("evaluate", own)).content.decode()
    assert "You wrote this report, so someone else must evaluate it (second-person evaluation rule)." in page
    response = signed_in(analyst).post(
        _url("evaluate", own),
        {
            "grading_scheme": "3x5x2",
            "source_evaluation": "1",
            "intelligence_assessment": "A",
            "handling_code": "P",
            "retention_group": "3",
        },
    )
    assert response.status_code == 200
    assert "(second-person evaluation rule)" in response.content.decode()
    own.refresh_from_db()
    assert own.status == ReportStatus.SUBMITTED


def test_a_grade_outside_the_scheme_sent_to_the_page_is_refused_naming_the_rule(signed_in, analyst, submitted):
    response = signed_in(analyst).post(
        _url("evaluate", submitted),
        {
            "grading_scheme": "3x5x2",
            "source_evaluation": "5",
            "intelligence_assessment": "Z",
            "handling_code": "P",
            "retention_group": "3",
        },
    )
    html = response.content.decode()
    assert html.count("(3x5x2 grading scheme rule)") >= 2


def test_publishing_without_sanitised_text_is_refused_on_the_page(signed_in, analyst, evaluated):
    response = signed_in(analyst).post(_url("publish", evaluated))
    assert response.status_code == 400
    assert "(sanitised text before publishing rule)" in response.content.decode()


def test_sanitise_then_publish_through_the_pages(signed_in, analyst, evaluated):
    client = signed_in(analyst)
    assert client.post(_url("sanitise", evaluated), {"sanitised_text": ""}).status_code == 200
    assert client.post(_url("sanitise", evaluated), {"sanitised_text": SANITISED}).status_code == 302
    assert client.post(_url("publish", evaluated)).status_code == 302
    evaluated.refresh_from_db()
    assert (evaluated.status, evaluated.sanitised_text) == ("published", SANITISED)


# --- Entities and links --------------------------------------------------------------------------


def test_the_suggestions_page_lists_what_the_text_suggests_and_keeps_only_what_is_ticked(
    signed_in, hub_detective, submitted
):
    client = signed_in(hub_detective)
    html = client.get(_url("entities", submitted)).content.decode()
    for token in ("phone:+447700900123", "vehicle:AB12CDE", "location:WS2 8NT"):
        assert f'value="{token}"' in html
    response = client.post(_url("entities", submitted), {"entities": ["phone:+447700900123", "vehicle:AB12CDE"]})
    assert response.status_code == 302
    kept = {
        (m.entity.kind, m.entity.key, m.text) for m in Mention.objects.filter(report=submitted).select_related("entity")
    }
    assert kept == {("phone", "+447700900123", "07700 900123"), ("vehicle", "AB12CDE", "AB12 CDE")}
    assert not Entity.objects.filter(kind="location").exists()  # not ticked, not kept
    html = client.get(_url("entities", submitted)).content.decode()
    assert 'value="phone:+447700900123"' not in html  # already kept
    assert 'value="location:WS2 8NT"' in html


def test_an_entity_the_text_does_not_suggest_cannot_be_confirmed(signed_in, hub_detective, submitted):
    response = signed_in(hub_detective).post(_url("entities", submitted), {"entities": ["phone:+447700900999"]})
    assert response.status_code == 200
    assert not Mention.objects.exists()


def test_the_author_confirms_entities_while_the_report_is_submitted(signed_in, hub_officer, submitted):
    response = signed_in(hub_officer).post(_url("entities", submitted), {"entities": ["vehicle:AB12CDE"]})
    assert response.status_code == 302
    assert Mention.objects.filter(report=submitted, confirmed_by=hub_officer).count() == 1


def test_adding_an_entity_by_hand_checks_its_value(signed_in, hub_detective, submitted):
    client = signed_in(hub_detective)
    response = client.post(_url("entity_add", submitted), {"kind": "vehicle", "value": "not a plate"})
    assert response.status_code == 400
    assert "Enter a UK registration like AB12 CDE" in response.content.decode()
    response = client.post(_url("entity_add", submitted), {"kind": "handle", "value": "@Tiny_Bell99"})
    assert response.status_code == 302
    assert Mention.objects.get(report=submitted).entity.key == "tiny_bell99"


def test_a_person_is_found_through_live_matching_and_added(signed_in, hub_detective, hub_officer, submitted):
    kieran = person_create(
        actor=hub_officer,
        details=PersonDetails(given_name="Kieran", family_name="Smyth", date_of_birth=dt.date(2011, 2, 3)),
    )
    client = signed_in(hub_detective)
    html = client.get(
        _url("person_add", submitted), {"given_name": "Kiernan", "family_name": "Smith", "date_of_birth": "3/2/2011"}
    ).content.decode()
    assert "Kieran Smyth" in html
    assert _last(Action.SEARCH).object_type == "people.person"
    assert client.post(_url("person_add", submitted), {"person": kieran.pk}).status_code == 302
    entity = Mention.objects.get(report=submitted).entity
    assert (entity.kind, entity.key, entity.person) == ("person", str(kieran.pk), kieran)
    assert client.post(_url("person_add", submitted), {"person": 999999}).status_code == 404


def test_links_are_typed_and_checked(signed_in, analyst, submitted, hub_officer):
    kieran = person_create(actor=hub_officer, details=PersonDetails(given_name="Kieran", family_name="Smyth"))
    person = services.person_entity(actor=analyst, person=kieran)
    phone = services.entity_get_or_create(actor=analyst, kind="phone", value="07700 900123")
    for entity in (person, phone):
        services.mention_add(actor=analyst, report=submitted, entity=entity)
    client = signed_in(analyst)
    wrong = client.post(_url("link_add", submitted), {"source": phone.pk, "link_type": "drives", "target": person.pk})
    assert "(link type fits its entities rule)" in wrong.content.decode()
    backwards = client.post(
        _url("link_add", submitted),
        {
            "source": person.pk,
            "link_type": "uses_phone",
            "target": phone.pk,
            "valid_from": "1/5/2026",
            "valid_to": "1/4/2026",
        },
    )
    assert "(link dates in order rule)" in backwards.content.decode()
    response = client.post(
        _url("link_add", submitted),
        {"source": person.pk, "link_type": "uses_phone", "target": phone.pk, "valid_from": "1/3/2026"},
    )
    assert response.status_code == 302
    link = Link.objects.get()
    assert (link.source, link.target, link.report, link.valid_from) == (person, phone, submitted, dt.date(2026, 3, 1))
    html = client.get(reverse("intelligence:entity", args=[phone.pk])).content.decode()
    assert "Uses phone" in html
    assert submitted.reference in html


def test_a_county_line_is_recorded_with_its_deal_line_and_areas(signed_in, analyst, west_midlands):
    from socex.areas.models import LPA

    walsall, birmingham = LPA.objects.get(name="Walsall"), LPA.objects.get(name="Birmingham")
    response = signed_in(analyst).post(
        reverse("intelligence:group_create"),
        {"kind": "county_line", "name": "Ky line", "deal_line": "07700 900123",
         "areas_supplied": [walsall.pk, birmingham.pk], "area_notes": "Shrewsbury"},
    )  # fmt: skip
    assert response.status_code == 302
    group = Group.objects.get()
    assert (group.deal_line, set(group.areas_supplied.all()), group.area_notes) == (
        "+447700900123",
        {walsall, birmingham},
        "Shrewsbury",
    )
    assert Entity.objects.filter(kind="group", group=group).exists()
    assert Entity.objects.filter(kind="phone", key="+447700900123").exists()
    again = signed_in(analyst).post(reverse("intelligence:group_create"), {"kind": "county_line", "name": "ky LINE"})
    assert "There is already a county line called" in again.content.decode()
    html = signed_in(analyst).get(reverse("intelligence:group", args=[group.pk])).content.decode()
    assert "Shrewsbury" in html
    assert "Walsall" in html


def test_a_person_page_lists_their_intelligence_entities_to_intelligence_readers_only(
    signed_in, analyst, hub_officer, hub_detective
):
    kieran = person_create(actor=hub_officer, details=PersonDetails(given_name="Kieran", family_name="Smyth"))
    entity = services.person_entity(actor=analyst, person=kieran)
    url = reverse("people:person", args=[kieran.pk])
    assert reverse("intelligence:entity", args=[entity.pk]) in signed_in(hub_detective).get(url).content.decode()
    assert reverse("intelligence:entity", args=[entity.pk]) not in signed_in(hub_officer).get(url).content.decode()


def test_the_navigation_and_home_panel(signed_in, hub_officer, walsall_partner, analyst, submitted):
    home = signed_in(analyst).get("/").content.decode()
    assert 'href="/intelligence/"' in home
    assert "Reports awaiting evaluation" in home
    officer_home = signed_in(hub_officer).get("/").content.decode()
    assert "Your reports awaiting evaluation" in officer_home
    partner_home = signed_in(walsall_partner).get("/").content.decode()
    assert 'href="/intelligence/"' not in partner_home
    assert "Shared intelligence" not in partner_home  # nothing shared with them yet


def test_the_author_adds_an_entity_by_hand_while_the_report_is_submitted(signed_in, hub_officer, submitted):
    response = signed_in(hub_officer).post(_url("entity_add", submitted), {"kind": "phone", "value": "0121 496 0123"})
    assert response.status_code == 302
    assert Mention.objects.get(report=submitted).entity.key == "+441214960123"
