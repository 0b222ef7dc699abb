"""The auditor's pages: only auditors; every filtered search, record look-up and export is logged."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from socex.audit.models import Action, Event
from socex.audit.services import record
from socex.core.context import acting_as

pytestmark = pytest.mark.django_db

EVENTS = reverse("audit:events")


@pytest.fixture
def hub_record(west_midlands):
    from socex.areas.models import Hub

    return Hub.objects.get(code="birmingham")


@pytest.fixture
def history(hub_detective, walsall_partner, hub_record):
    """Two people view the Birmingham hub record; the detective changes and exports too."""
    with acting_as(hub_detective, ip_address="198.51.100.7", channel="web"):
        record(Action.VIEW, obj=hub_record, justification="Strategy meeting on Thursday")
        record(Action.VIEW, obj=hub_record, justification="Strategy meeting on Thursday")
        record(Action.UPDATE, obj=hub_record, changes={"name": ["Birmingham hub", "Birmingham SOCEX Hub"]})
    with acting_as(walsall_partner, channel="web"):
        record(Action.VIEW, obj=hub_record)
    return hub_record


def _last(action):
    return Event.objects.filter(action=action).order_by("-id").first()


# --- The list -------------------------------------------------------------------------------


def test_auditor_sees_the_log_newest_first(signed_in, auditor, history):
    response = signed_in(auditor).get(EVENTS)
    assert response.status_code == 200
    events = list(response.context["page_obj"].object_list)
    assert [e.id for e in events] == sorted((e.id for e in events), reverse=True)
    assert b"Birmingham SOCEX Hub" in response.content


def test_an_unfiltered_visit_is_not_logged_as_a_search(signed_in, auditor, history):
    client = signed_in(auditor)
    before = Event.objects.filter(action=Action.SEARCH).count()
    client.get(EVENTS)
    assert Event.objects.filter(action=Action.SEARCH).count() == before


@pytest.mark.parametrize("persona", ["hub_detective", "walsall_partner", "administrator", "school_outsider"])
def test_anyone_but_an_auditor_is_refused(signed_in, request, persona):
    user = request.getfixturevalue(persona)
    client = signed_in(user)
    assert client.get(EVENTS).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    assert client.get(reverse("audit:record", args=["areas.hub", "1"])).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(EVENTS)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_filter_by_user_name_matches_the_person_not_only_the_email(signed_in, auditor, history):
    response = signed_in(auditor).get(EVENTS, {"user": "jo bennett"})
    labels = {e.actor_label for e in response.context["page_obj"].object_list}
    assert labels == {"earlyhelp@walsall.example"}


def test_filter_by_email_action_and_record(signed_in, auditor, history):
    response = signed_in(auditor).get(
        EVENTS, {"user": "det.birmingham", "action": "view", "object_type": "areas.hub", "object_id": str(history.pk)}
    )
    events = list(response.context["page_obj"].object_list)
    assert len(events) == 2
    assert all(e.action == Action.VIEW and e.actor_label == "det.birmingham@police.example" for e in events)


def test_a_filtered_search_is_itself_logged_with_its_terms(signed_in, auditor, history):
    signed_in(auditor).get(EVENTS, {"user": "jo", "action": "view"})
    search = _last(Action.SEARCH)
    assert search.actor_id == auditor.pk
    assert search.object_type == "audit.event"
    assert search.search_terms == "User: jo; Action: Viewed"
    assert search.detail["results"] == 1


def test_selected_filters_show_as_removable_tags(signed_in, auditor, history):
    response = signed_in(auditor).get(EVENTS, {"user": "jo", "action": "view"})
    content = response.content.decode()
    assert "Remove this filter</span> User: jo" in content
    assert 'href="?action=view&amp;"' in content


def test_date_range_keeps_events_inside_it(signed_in, auditor, history):
    today = timezone.localdate()
    client = signed_in(auditor)
    inside = client.get(EVENTS, {"date_from": today.isoformat(), "date_to": today.isoformat()})
    assert inside.context["page_obj"].paginator.count >= 4
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    outside = client.get(EVENTS, {"date_to": yesterday})
    assert outside.context["page_obj"].paginator.count == 0


def test_uk_style_dates_are_accepted(signed_in, auditor, history):
    today = timezone.localdate()
    response = signed_in(auditor).get(EVENTS, {"date_from": f"{today.day}/{today.month}/{today.year}"})
    assert response.context["form"].is_valid()


def test_an_impossible_date_is_named_and_filters_nothing(signed_in, auditor, history):
    response = signed_in(auditor).get(EVENTS, {"date_from": "2024-02-30"})
    assert response.status_code == 200
    assert b"Date from must be a real date, for example 27/3/2024" in response.content
    assert b"There is a problem" in response.content
    assert not response.context["form"].is_valid()
    # An invalid form narrows nothing, and is not logged as a search.
    assert response.context["page_obj"].paginator.count == Event.objects.count()
    assert not Event.objects.filter(action=Action.SEARCH, actor_id=auditor.pk).exists()


def test_a_range_that_ends_before_it_starts_is_refused(signed_in, auditor):
    response = signed_in(auditor).get(EVENTS, {"date_from": "2024-03-02", "date_to": "2024-03-01"})
    assert b"Date to must be the same as or after date from" in response.content


def test_the_list_is_paginated_in_fifties(signed_in, auditor, hub_detective):
    for n in range(55):
        record(Action.SEARCH, actor=hub_detective, search_terms=f"term {n}")
    client = signed_in(auditor)
    first = client.get(EVENTS)
    assert len(first.context["page_obj"].object_list) == 50
    assert b"Page 1 of" in first.content
    second = client.get(EVENTS, {"page": 2})
    assert second.context["page_obj"].number == 2


# --- One event --------------------------------------------------------------------------------


def test_event_detail_shows_changes_and_logs_the_read(signed_in, auditor, history):
    change = _last(Action.UPDATE)
    response = signed_in(auditor).get(reverse("audit:event", args=[change.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<td class="govuk-table__cell">Birmingham hub</td>' in content
    assert '<td class="govuk-table__cell">Birmingham SOCEX Hub</td>' in content
    assert "198.51.100.7" in content
    assert change.hash in content
    read = _last(Action.VIEW)
    assert (read.object_type, read.object_id, read.actor_id) == ("audit.event", str(change.pk), auditor.pk)


def test_event_detail_is_hidden_from_non_auditors(signed_in, hub_detective, history):
    change = _last(Action.UPDATE)
    assert signed_in(hub_detective).get(reverse("audit:event", args=[change.pk])).status_code == 404


def test_an_event_that_does_not_exist_is_a_404(signed_in, auditor):
    assert signed_in(auditor).get(reverse("audit:event", args=[987654])).status_code == 404


# --- Who has looked at this record? ---------------------------------------------------------


def test_who_has_looked_at_a_record(signed_in, auditor, history):
    url = reverse("audit:record", args=["areas.hub", str(history.pk)])
    response = signed_in(auditor).get(url)
    assert response.status_code == 200
    viewers = {row["actor_label"]: row for row in response.context["viewers"]}
    assert set(viewers) == {"det.birmingham@police.example", "earlyhelp@walsall.example"}
    detective = viewers["det.birmingham@police.example"]
    assert detective["times"] == 2
    assert detective["name"] == "DC Priya Sandhu"
    assert detective["organisation_label"] == "West Midlands Police"
    assert detective["justifications"] == ["Strategy meeting on Thursday"]
    assert detective["first"] <= detective["last"]
    others = list(response.context["page_obj"].object_list)
    assert [e.action for e in others] == [Action.UPDATE]
    assert b"Viewed 3 times by 2 people" in response.content


def test_looking_up_a_record_is_logged(signed_in, auditor, history):
    signed_in(auditor).get(reverse("audit:record", args=["areas.hub", str(history.pk)]))
    search = _last(Action.SEARCH)
    assert search.search_terms == f"Record type: areas.hub; Record id: {history.pk}"


def test_a_record_nobody_viewed_says_so(signed_in, auditor):
    response = signed_in(auditor).get(reverse("audit:record", args=["areas.hub", "424242"]))
    assert response.status_code == 200
    assert b"Nobody has viewed this record" in response.content


# --- Export -------------------------------------------------------------------------------------


def _csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_export_streams_the_filtered_events_and_is_logged(signed_in, auditor, history):
    response = signed_in(auditor).get(reverse("audit:export"), {"action": "view", "object_id": str(history.pk)})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Event", "Occurred (UTC)", "User"]
    assert len(rows) == 4
    assert {row[2] for row in rows[1:]} == {"det.birmingham@police.example", "earlyhelp@walsall.example"}
    export = _last(Action.EXPORT)
    assert export.export_count == 3
    assert export.object_type == "audit.event"
    assert export.detail["filters"] == {"Action": "Viewed", "Record id": str(history.pk)}


def test_export_defuses_spreadsheet_formulas(signed_in, auditor, hub_detective):
    record(Action.SEARCH, actor=hub_detective, search_terms='=HYPERLINK("http://evil")')
    rows = _csv_rows(signed_in(auditor).get(reverse("audit:export"), {"action": "search"}))
    terms = [row[9] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in terms


@pytest.mark.parametrize("cell", [" =1+1", "\n@SUM(A1)", "  -2+3", "\t=1", "+44 121 000 0000"])
def test_export_defuses_formulas_behind_spaces_and_line_breaks(signed_in, auditor, hub_detective, cell):
    record(Action.SEARCH, actor=hub_detective, search_terms=cell)
    rows = _csv_rows(signed_in(auditor).get(reverse("audit:export"), {"action": "search"}))
    assert f"'{cell}" in [row[9] for row in rows[1:]]


def test_export_with_a_bad_filter_goes_back_to_the_form(signed_in, auditor):
    count = Event.objects.filter(action=Action.EXPORT).count()
    response = signed_in(auditor).get(reverse("audit:export"), {"date_from": "31/02/2024"})
    assert response.status_code == 302
    assert response["Location"].startswith(EVENTS)
    assert Event.objects.filter(action=Action.EXPORT).count() == count


# --- Dashboard ----------------------------------------------------------------------------------


def test_auditor_dashboard_shows_real_counts_with_links(signed_in, auditor, history, hub_detective):
    with acting_as(None, channel="web"):
        record(Action.LOGIN_FAILED, detail={"email": "nobody@example.org"})
    response = signed_in(auditor).get(reverse("core:home"))
    panel = next(p for p in response.context["panels"] if p.title == "Audit")
    figures = {f.label: f for f in panel.figures}
    assert figures["Views of sensitive records today"].value == "3"
    assert figures["Failed sign-ins in the last 24 hours"].value == "1"
    assert figures["Exports in the last 7 days"].value == "0"
    # Counted before the page recorded anything of its own; the auditor's sign-in is included.
    assert int(figures["Events today"].value.replace(",", "")) == Event.objects.count()
    assert figures["Failed sign-ins in the last 24 hours"].href == f"{EVENTS}?action=login_failed&period=24h"
    assert figures["Hash chain"].value == "Never checked"


def test_dashboard_reports_the_last_verification(signed_in, auditor, hub_detective):
    from django.core.management import call_command

    record(Action.VIEW, actor=hub_detective)
    call_command("audit_verify", "--no-progress", stdout=io.StringIO())
    response = signed_in(auditor).get(reverse("core:home"))
    panel = next(p for p in response.context["panels"] if p.title == "Audit")
    chain = next(f for f in panel.figures if f.label == "Hash chain")
    assert chain.value == "Intact"
    assert chain.hint.startswith("checked ")


def test_the_audit_panel_is_only_for_auditors(signed_in, hub_detective):
    response = signed_in(hub_detective).get(reverse("core:home"))
    assert all(p.title != "Audit" for p in response.context["panels"])


def test_event_detail_shows_structured_detail_as_json(signed_in, auditor, history):
    client = signed_in(auditor)
    client.get(EVENTS, {"user": "jo"})
    search = _last(Action.SEARCH)
    response = client.get(reverse("audit:event", args=[search.pk]))
    assert "{&quot;User&quot;: &quot;jo&quot;}" in response.content.decode()
