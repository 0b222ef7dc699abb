"""The network pages over HTTP: who may open them, what they show, filters, expanding, CSV exports
and the audit trail."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from socex.audit.models import Action, Event

pytestmark = pytest.mark.django_db

VIEW = reverse("network:view")
DATA = reverse("network:data")
CONNECT = reverse("network:connect")
WHOLE = reverse("network:whole")


@pytest.fixture
def small(intel):
    """Ky uses a phone and is an associate of Jay, who drives a car; an old link to Old Mate."""
    ky = intel.entity("Ky")
    phone = intel.entity("07700 900123", kind="phone")
    jay = intel.entity("Jay")
    car = intel.entity("AB12 CDE", kind="vehicle")
    old = intel.entity("Old Mate")
    intel.link(ky, phone, "uses_phone", report=intel.report("1A"))
    intel.link(ky, jay, "associate", report=intel.report("2B"))
    intel.link(jay, car, "drives", report=intel.report("3C"))
    intel.link(ky, old, "associate", report=intel.report(legacy="B24"))
    return {"ky": ky, "phone": phone, "jay": jay, "car": car, "old": old}


def urls(small):
    ky, jay = small["ky"].pk, small["jay"].pk
    return [
        f"{VIEW}?entity={ky}",
        f"{DATA}?entity={ky}",
        reverse("network:export", args=["nodes"]) + f"?entity={ky}",
        reverse("network:export", args=["links"]) + f"?entity={ky}",
        f"{CONNECT}?between={ky}&between={jay}",
        f"{WHOLE}?run=1",
        f"{VIEW}?q=Ky",
    ]


# --- Who may open what ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["hub_detective", "analyst"])
def test_intelligence_readers_open_every_network_page(request, signed_in, small, persona):
    client = signed_in(request.getfixturevalue(persona))
    for url in urls(small):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "persona", ["walsall_partner", "school_outsider", "mace_chair", "vrp_officer", "hub_officer", "auditor"]
)
def test_everyone_else_gets_not_found_from_every_network_page(request, signed_in, small, persona):
    client = signed_in(request.getfixturevalue(persona))
    for url in [VIEW, *urls(small)]:
        assert client.get(url).status_code == 404, url


def test_signed_out_people_are_sent_to_sign_in(client, small):
    response = client.get(f"{VIEW}?entity={small['ky'].pk}")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_or_malformed_entity_is_not_found(signed_in, analyst, small):
    client = signed_in(analyst)
    for url in [
        f"{VIEW}?entity=999999",
        f"{VIEW}?entity=abc",
        f"{DATA}",
        f"{DATA}?entity=-1",
        f"{CONNECT}?between=999999",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("network:export", args=["people"]) + f"?entity={small['ky'].pk}").status_code == 404


def test_pages_refuse_to_change_anything(signed_in, analyst, small):
    client = signed_in(analyst)
    assert client.post(f"{VIEW}?entity={small['ky'].pk}").status_code == 405
    assert client.post(DATA).status_code == 405


# --- The network page -----------------------------------------------------------------------------


def test_the_network_page_lists_entities_links_and_their_reports(signed_in, analyst, small):
    response = signed_in(analyst).get(f"{VIEW}?entity={small['ky'].pk}")
    page = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Ky</h1>' in page
    assert "5 entities and 4 links within 2 links of Ky" in page
    for text in ("07700 900123", "AB12 CDE", "Old Mate", "Uses phone", "Drives", "1A P", "B24 (5x5x5)"):
        assert text in page
    assert "legacy grade, not comparable with 3x5x2" in page
    report = small["ky"].links_out.get(link_type="uses_phone").report
    assert f'href="/intelligence/reports/{report.reference}/"' in page
    # The drawing gets the same network as a JSON block (not run as script) and a script file.
    assert 'id="network-elements" type="application/json"' in page
    assert "intelligence/network/network.js" in page
    assert "cytoscape/cytoscape.min.js" in page
    assert "<script>" not in page
    assert " style=" not in page
    elements = response.context["elements"]
    assert len(elements["nodes"]) == 5
    assert len(elements["edges"]) == 4
    assert elements["seeds"] == [str(small["ky"].pk)]


def test_viewing_a_network_is_audited_and_filters_are_a_search(signed_in, analyst, small):
    client = signed_in(analyst)
    client.get(f"{VIEW}?entity={small['ky'].pk}")
    view = Event.objects.filter(action=Action.VIEW).latest("id")
    assert (view.object_type, view.object_id, view.actor_id) == ("intelligence.entity", str(small["ky"].pk), analyst.pk)
    assert not Event.objects.filter(action=Action.SEARCH).exists()  # no filter: not a search
    client.get(f"{VIEW}?entity={small['ky'].pk}&min_grade=2B&link_type=associate&date_from=1/1/2020")
    search = Event.objects.filter(action=Action.SEARCH).latest("id")
    assert search.object_type == "intelligence.link"
    assert search.search_terms == "Network of: Ky; From: 1 January 2020; Link types: Associate of; Minimum grading: 2B"


def test_filters_narrow_the_network(signed_in, analyst, small):
    client = signed_in(analyst)
    graded = client.get(f"{VIEW}?entity={small['ky'].pk}&min_grade=2B").context
    assert {row.node.label for row in graded["node_rows"]} == {"Ky", "07700 900123", "Jay"}
    with_legacy = client.get(f"{VIEW}?entity={small['ky'].pk}&min_grade=2B&include_legacy=on").context
    assert "Old Mate" in {row.node.label for row in with_legacy["node_rows"]}
    one_hop = client.get(f"{VIEW}?entity={small['ky'].pk}&hops=1").context
    assert "AB12 CDE" not in {row.node.label for row in one_hop["node_rows"]}
    phones = client.get(f"{VIEW}?entity={small['ky'].pk}&link_type=uses_phone").context
    assert {row.node.label for row in phones["node_rows"]} == {"Ky", "07700 900123"}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "min_grade=4A",
            "min_grade",
            "Minimum grading must be a 3x5x2 grade from 1A to 3E, such as 2B (3x5x2 grading scheme rule).",
        ),
        ("date_from=31/2/2025", "date_from", "Linked from must be a real date, for example 27/3/2024"),
        ("date_from=1/6/2025&date_to=1/1/2025", "date_to", "Linked until must be the same as or after linked from."),
        ("link_type=married", "link_type", "Choose link types from the list; married is not one of them."),
        ("hops=9", "hops", "Choose one of the options for how far to look"),
    ],
)
def test_bad_filters_are_named_beside_the_field_and_keep_what_was_typed(
    signed_in, analyst, small, query, field, message
):
    response = signed_in(analyst).get(f"{VIEW}?entity={small['ky'].pk}&{query}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    page = response.content.decode()
    assert "There is a problem" in page
    assert len(response.context["node_rows"]) == 5  # the unfiltered network is still shown
    if field == "date_from":
        assert 'value="31/2/2025"' in page


def test_expanding_a_node_through_the_link_and_the_data_url(signed_in, analyst, intel):
    a, b, c, d = intel.entities("A", "B", "C", "D")
    intel.chain([a, b, c, d])
    client = signed_in(analyst)
    page = client.get(f"{VIEW}?entity={a.pk}&hops=1")
    assert f'data-expand="{b.pk}"' in page.content.decode()
    expanded = client.get(f"{VIEW}?entity={a.pk}&hops=1&expand={b.pk}").context
    assert {row.node.label for row in expanded["node_rows"]} == {"A", "B", "C"}
    data = client.get(f"{DATA}?entity={a.pk}&hops=1&expand={b.pk}").json()
    assert {n["data"]["label"] for n in data["nodes"]} == {"A", "B", "C"}
    assert data["query"] == f"entity={a.pk}&hops=1&expand={b.pk}"
    assert 'Expand<span class="govuk-visually-hidden"> C</span>' in data["tablesHtml"]
    assert "3 entities and 2 links" in data["summaryHtml"]
    edge = next(e for e in data["edges"] if e["data"]["linkType"] == "associate")
    assert edge["data"]["supports"][0]["url"].startswith("/intelligence/reports/INT-")
    search = Event.objects.filter(action=Action.SEARCH).latest("id")
    assert search.search_terms == "Network of: A; Expanded: B"


def test_a_restricted_report_never_reaches_someone_outside_its_team(signed_in, analyst, hub_detective, intel):
    a, secret = intel.entities("A", "Secret contact")
    report = intel.report(restricted_team=hub_detective.team)
    intel.link(a, secret, report=report)
    outsider = signed_in(analyst)
    for url in (
        f"{VIEW}?entity={a.pk}",
        f"{DATA}?entity={a.pk}",
        reverse("network:export", args=["links"]) + f"?entity={a.pk}",
    ):
        body = b"".join(outsider.get(url)) if "export" in url else outsider.get(url).content
        assert b"Secret contact" not in body
        assert report.reference.encode() not in body
    assert b"Secret contact" in signed_in(hub_detective).get(f"{VIEW}?entity={a.pk}").content


# --- CSV exports ----------------------------------------------------------------------------------


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_links_csv_cites_every_report_and_is_audited(signed_in, analyst, small):
    response = signed_in(analyst).get(
        reverse("network:export", args=["links"]) + f"?entity={small['ky'].pk}&min_grade=2B"
    )
    assert response["Content-Disposition"] == f'attachment; filename="network-{small["ky"].pk}-links.csv"'
    header, *rows = _csv(response)
    assert header[:3] == ["From entity id", "From", "Link"]
    assert {(row[1], row[2], row[4]) for row in rows} == {
        ("Ky", "Uses phone", "07700 900123"),
        ("Ky", "Associate of", "Jay"),
    }
    phone_row = next(row for row in rows if row[2] == "Uses phone")
    assert phone_row[6] == "1A P"
    assert phone_row[7].endswith("(1A P)")
    export = Event.objects.filter(action=Action.EXPORT).latest("id")
    assert (export.object_type, export.export_count) == ("intelligence.link", 2)
    assert export.search_terms == "Network of: Ky; Minimum grading: 2B"


def test_the_entities_csv_has_the_analysis(signed_in, analyst, small):
    response = signed_in(analyst).get(reverse("network:export", args=["nodes"]) + f"?entity={small['ky'].pk}")
    header, *rows = _csv(response)
    assert header == [
        "Entity id",
        "Kind",
        "Name",
        "Links from the chosen entity",
        "Linked to (degree)",
        "PageRank",
        "Betweenness",
        "Community",
        "Key node because",
    ]
    ky = next(row for row in rows if row[2] == "Ky")
    assert (ky[1], ky[3], ky[4]) == ("Person", "0", "3")
    assert "highest PageRank" in ky[8]
    export = Event.objects.filter(action=Action.EXPORT).latest("id")
    assert (export.object_type, export.export_count) == ("intelligence.entity", 5)


def test_a_csv_cell_that_looks_like_a_formula_is_defused(signed_in, analyst, intel):
    a = intel.entity('=HYPERLINK("x")')
    intel.link(a, intel.entity("B"))
    _, *rows = _csv(signed_in(analyst).get(reverse("network:export", args=["nodes"]) + f"?entity={a.pk}"))
    assert '\'=HYPERLINK("x")' in {row[2] for row in rows}


# --- Finding an entity, connections, the whole network --------------------------------------------


def test_finding_an_entity_by_part_of_its_name_or_number_is_audited(signed_in, analyst, small):
    client = signed_in(analyst)
    start = client.get(VIEW)
    assert start.context["page_obj"] is None
    found = client.get(VIEW, {"q": "07700 900"})
    assert [e.label for e in found.context["page_obj"].object_list] == ["07700 900123"]
    search = Event.objects.filter(action=Action.SEARCH).latest("id")
    assert (search.object_type, search.search_terms, search.detail["results"]) == (
        "intelligence.entity",
        "Entity: 07700 900",
        1,
    )
    vehicles = client.get(VIEW, {"kind": "vehicle"})
    assert [e.label for e in vehicles.context["page_obj"].object_list] == ["AB12 CDE"]
    assert "No entity you can see matches" in client.get(VIEW, {"q": "zzz"}).content.decode()


def test_how_two_entities_are_connected(signed_in, analyst, small):
    client = signed_in(analyst)
    response = client.get(CONNECT, {"between": [small["phone"].pk, small["car"].pk]})
    assert response.context["pairs"] == [("07700 900123", "AB12 CDE", 3)]
    assert {row.node.label for row in response.context["node_rows"]} == {"07700 900123", "Ky", "Jay", "AB12 CDE"}
    assert "3 links apart" in response.content.decode()
    search = Event.objects.filter(action=Action.SEARCH).latest("id")
    assert search.search_terms == "Connections between: 07700 900123; AB12 CDE"
    one = client.get(CONNECT, {"between": [small["phone"].pk]})
    assert "Choose at least two entities" in one.content.decode()
    graded = client.get(CONNECT, {"between": [small["phone"].pk, small["car"].pk], "min_grade": "2B"})
    assert "Not connected within 6 links" in graded.content.decode()


def test_key_nodes_across_the_whole_network_on_request(signed_in, analyst, small):
    client = signed_in(analyst)
    assert "result" not in client.get(WHOLE).context
    response = client.get(WHOLE, {"run": "1"})
    result = response.context["result"]
    assert (result.vertices, result.links, result.components) == (5, 4, 1)
    assert result.pagerank[0].entity_id == small["ky"].pk
    assert f'href="{VIEW}?entity={small["ky"].pk}">Ky</a>' in response.content.decode()
    assert Event.objects.filter(action=Action.SEARCH, search_terms__startswith="Whole network: key nodes").exists()
