"""/api/v1/intelligence/: submit, search and read reports with the same rules as the pages."""

import pytest

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event
from socex.intelligence.models import Report
from socex.intelligence.tests.conftest import TEXT, submit

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/intelligence/reports"


def bearer(user):
    _, secret = api_token_create(user=user, name="intelligence tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _payload(**values):
    return {"source_type": "partner", "obtained_on": "2026-03-02", "lpa": "E08000030", "text": TEXT} | values


# --- Create --------------------------------------------------------------------------------------


def test_an_officer_submits_a_report(client, hub_officer, west_midlands):
    response = client.post(REPORTS, _payload(), content_type="application/json", **bearer(hub_officer))
    assert response.status_code == 201
    body = response.json()
    report = Report.objects.get()
    assert body["reference"] == report.reference
    assert (body["status"], body["lpa"], body["grade"], body["text"]) == ("submitted", "Walsall", "", TEXT)
    assert body["url"] == f"/intelligence/reports/{report.reference}/"
    assert Event.objects.filter(action=Action.CREATE, object_type="intelligence.report").exists()


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"obtained_on": "31/02/2026"}, "obtained_on", "Give the date obtained"),
        ({"obtained_on": "2099-01-01"}, "obtained_on", "(date obtained rule)"),
        ({"lpa": "Atlantis"}, "lpa", "is not an area"),
        ({"text": " "}, "text", "Enter what you know"),
        ({"source_type": "gossip"}, "source_type", "Choose where"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, hub_officer, west_midlands, values, field, says):
    response = client.post(REPORTS, _payload(**values), content_type="application/json", **bearer(hub_officer))
    assert response.status_code == 422
    [error] = [e for e in response.json()["detail"] if e["loc"][-1] == field]
    assert says in error["msg"]
    assert not Report.objects.exists()


def test_only_police_who_may_submit_can_create(client, walsall_partner, auditor, west_midlands):
    for user in (walsall_partner, auditor):
        response = client.post(REPORTS, _payload(), content_type="application/json", **bearer(user))
        assert response.status_code == 403
    assert client.post(REPORTS, _payload(), content_type="application/json").status_code == 401


# --- Search --------------------------------------------------------------------------------------


def test_search_ranks_and_highlights_and_is_audited(client, hub_detective, hub_officer):
    report = submit(hub_officer)
    submit(hub_officer, text="Nothing about cars here.")
    response = client.get(REPORTS, {"q": 'Audi "Pelsall Lane"', "lpa": "Walsall"}, **bearer(hub_detective))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["reference"], item["position"], item["grade"]) == (report.reference, 1, "")
    assert '<mark class="socex-highlight">Audi</mark>' in item["snippet_html"]
    assert "<mark" not in item["snippet"]
    assert "Audi" in item["snippet"]
    search = Event.objects.filter(action=Action.SEARCH).order_by("-id").first()
    assert search.search_terms == 'Search: audi "pelsall lane"; Area (LPA): Walsall'
    export = Event.objects.filter(action=Action.EXPORT).order_by("-id").first()
    assert (export.export_count, export.detail["channel"]) == (1, "api")


@pytest.mark.parametrize("typed", ['"', "a & b | !c", "x" * 50_000, "(((", "OR", "\u0000", "' OR 1=1 --", ""])
def test_any_query_text_is_a_200(client, hub_detective, hub_officer, typed):
    submit(hub_officer)
    response = client.get(REPORTS, {"q": typed}, **bearer(hub_detective))
    assert response.status_code == 200
    assert isinstance(response.json()["items"], list)


def test_a_long_query_is_shortened_and_says_so(client, hub_detective, hub_officer):
    submit(hub_officer)
    body = client.get(REPORTS, {"q": "Audi " * 200}, **bearer(hub_detective)).json()
    assert body["count"] == 1
    assert any("only the first 200 were used" in message for message in body["messages"])


def test_bad_filters_are_a_422(client, hub_detective):
    response = client.get(REPORTS, {"obtained_from": "yesterday", "handling_code": "X"}, **bearer(hub_detective))
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert fields == {"obtained_from", "handling_code"}


def test_search_sees_only_what_the_user_may(client, hub_detective, hub_officer, walsall_partner):
    secret = submit(hub_officer, restricted_team=hub_officer.team)
    body = client.get(REPORTS, {"q": "Audi"}, **bearer(hub_detective)).json()
    assert secret.reference not in [item["reference"] for item in body["items"]]
    assert client.get(REPORTS, {"q": "Audi"}, **bearer(walsall_partner)).status_code == 403


# --- Read ----------------------------------------------------------------------------------------


def test_reading_a_report_works_for_police_readers_and_is_audited(client, hub_detective, submitted):
    response = client.get(f"{REPORTS}/{submitted.reference}", **bearer(hub_detective))
    assert response.status_code == 200
    assert response.json()["text"] == TEXT
    view = Event.objects.filter(action=Action.VIEW).order_by("-id").first()
    assert (view.object_id, view.actor_id) == (str(submitted.pk), hub_detective.pk)


def test_reading_a_report_is_a_404_for_anyone_who_may_not_see_it(
    client, submitted, walsall_partner, auditor, hub_officer
):
    for user in (walsall_partner, auditor):
        assert client.get(f"{REPORTS}/{submitted.reference}", **bearer(user)).status_code == 404
    assert client.get(f"{REPORTS}/INT-2026-9999999", **bearer(hub_officer)).status_code == 404
    assert client.get(f"{REPORTS}/{submitted.reference}", **bearer(hub_officer)).status_code == 200  # the author
