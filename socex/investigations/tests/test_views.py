"""Investigation pages and API: police only. A partner on a shared case sees only that an
investigation exists and its status."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from socex.audit.models import Action, Event
from socex.investigations import services
from socex.investigations.models import Disruption, Investigation, PersonRole
from socex.investigations.tests.conftest import OPENED

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(investigation):
    ref = investigation.reference
    return {
        "list": reverse("investigations:list"),
        "detail": reverse("investigations:detail", args=[ref]),
        "dashboard": reverse("investigations:dashboard"),
        "workload": reverse("investigations:workload"),
        "disruptions": reverse("investigations:disruptions"),
        "operations": reverse("investigations:operations"),
        "create": reverse("investigations:create"),
        "status": reverse("investigations:status", args=[ref]),
        "people": reverse("investigations:add_person", args=[ref]),
        "outcome": reverse("investigations:outcome", args=[ref]),
        "disruption_create": reverse("investigations:disruption_create"),
        "staff_edit": reverse("investigations:staff_edit"),
    }


ALL = (
    "list",
    "detail",
    "dashboard",
    "workload",
    "disruptions",
    "operations",
    "create",
    "status",
    "people",
    "outcome",
    "disruption_create",
    "staff_edit",
)
MATRIX = {
    # investigation.manage + workload.view: everything.
    "hub_detective": dict.fromkeys(ALL, 200),
    # workload.view only (a police supervisor): reads, manages staffing, changes no investigation.
    "supervisor": {
        **dict.fromkeys(ALL, 200),
        "create": 403,
        "status": 403,
        "people": 403,
        "outcome": 403,
        "disruption_create": 403,
    },
    # Police, but neither capability: refused. Partners: refused, and investigations are not confirmed to exist.
    "analyst": {**dict.fromkeys(ALL, 403), "detail": 404, "status": 404, "people": 404, "outcome": 404},
    "walsall_partner": {**dict.fromkeys(ALL, 403), "detail": 404, "status": 404, "people": 404, "outcome": 404},
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_the_access_matrix(signed_in, request, pages, persona):
    client = signed_in(request.getfixturevalue(persona))
    assert {name: client.get(url).status_code for name, url in pages.items()} == MATRIX[persona]


def test_reading_an_investigation_is_audited(signed_in, hub_detective, investigation):
    signed_in(hub_detective).get(reverse("investigations:detail", args=[investigation.reference]))
    assert Event.objects.filter(action=Action.VIEW, object_type="investigations.investigation").exists()


def test_the_outcome_form_names_the_rule_and_keeps_what_was_typed(signed_in, hub_detective, investigation):
    response = signed_in(hub_detective).post(
        reverse("investigations:outcome", args=[investigation.reference]),
        {"kind": "closure_order", "outcome_on": "1/3/2026", "detail": "Closure order on the flat"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["outcome_on"] == [
        "An outcome cannot come before the investigation opened (2 March 2026)."
    ]
    assert "Closure order on the flat" in response.content.decode()


def test_a_future_disruption_is_refused_on_the_page(signed_in, hub_detective, investigation):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = signed_in(hub_detective).post(
        reverse("investigations:disruption_create") + f"?investigation={investigation.reference}",
        {"kind": "arrest", "occurred_on": f"{tomorrow:%d/%m/%Y}", "lpa": investigation.lpa_id, "quantity": 1},
    )
    assert response.context["form"].errors["occurred_on"] == ["A disruption cannot be in the future."]
    assert not Disruption.objects.exists()


def test_partners_see_only_that_an_investigation_exists_on_their_case(
    signed_in, hub_detective, walsall_partner, investigation, child, childs_case
):
    from socex.cases.panels import case_panels

    services.investigation_add_person(
        actor=hub_detective, investigation=investigation, person=child, role=PersonRole.VICTIM
    )
    (panel,) = [p for p in case_panels(childs_case, walsall_partner) if p.title == "Police investigations"]
    assert panel.context["police"] is False
    html = render_to_string(panel.template, panel.context)
    assert "A police investigation exists" in html
    assert "Open" in html
    assert investigation.reference not in html
    assert investigation.title not in html
    (police_panel,) = [p for p in case_panels(childs_case, hub_detective) if p.title == "Police investigations"]
    police_html = render_to_string(police_panel.template, police_panel.context)
    assert investigation.reference in police_html


# --- API -----------------------------------------------------------------------------------------


def test_api_creates_and_reads_investigations(api, hub_detective, detective_post):
    get, post = api(hub_detective)
    response = post(
        "",
        {
            "title": "Line",
            "offences": ["msa-s2"],
            "officer_in_case": str(hub_detective.pk),
            "lpa": "E08000030",
            "opened_on": "2026-03-02",
        },
    )
    assert response.status_code == 201
    reference = response.json()["reference"]
    assert get(reference).json()["offences"] == ["msa-s2"]
    assert get().json()["count"] == 1


def test_api_refuses_an_officer_without_the_needed_role_naming_the_rule(api, hub_detective, wmp):
    _, post = api(hub_detective)  # no detective post recorded
    response = post(
        "",
        {
            "title": "Line",
            "offences": ["msa-s1"],
            "officer_in_case": str(hub_detective.pk),
            "lpa": "E08000030",
            "opened_on": "2026-03-02",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "officer_in_case"]
    assert "must be a detective" in response.json()["detail"][0]["msg"]
    assert not Investigation.objects.exists()


def test_api_records_disruptions_and_refuses_future_ones(api, hub_detective, investigation):
    get, post = api(hub_detective)
    ok = post(
        "disruptions",
        {
            "kind": "cash",
            "occurred_on": str(OPENED),
            "lpa": "E08000030",
            "cash_amount": "1200.00",
            "investigation": investigation.reference,
        },
    )
    assert ok.status_code == 201
    assert ok.json()["cash_amount"] == "1200.00"
    future = post("disruptions", {"kind": "arrest", "occurred_on": "2099-01-01", "lpa": "E08000030"})
    assert future.status_code == 422
    assert future.json()["detail"][0]["msg"] == "A disruption cannot be in the future."
    assert get("disruptions").json()["count"] == 1


def test_api_is_police_only(api, walsall_partner, investigation):
    get, post = api(walsall_partner)
    assert get().status_code == 403
    assert get(investigation.reference).status_code == 404
    assert post("disruptions", {"kind": "arrest", "occurred_on": "2026-01-01", "lpa": "E08000030"}).status_code == 403


def test_a_persons_page_lists_their_investigations_for_investigators_only(
    signed_in, hub_detective, analyst, investigation, child
):
    services.investigation_add_person(
        actor=hub_detective, investigation=investigation, person=child, role=PersonRole.SUSPECT
    )
    url = reverse("people:person", args=[child.pk])
    assert investigation.reference in signed_in(hub_detective).get(url).content.decode()
    assert investigation.reference not in signed_in(analyst).get(url).content.decode()
