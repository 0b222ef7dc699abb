"""Area briefings: the HTML pack, the audited PDF, footnoted sources and the section registry."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from socex.analytics import briefing as briefings
from socex.analytics.internal import Period
from socex.analytics.tests.test_ranking_fixtures import (
    add_crime,
    add_intelligence,
    add_lsoas,
    add_nrm_referrals,
    add_referrals,
)
from socex.audit.models import Event

URL = "/analytics/briefings/E08000030/"  # Walsall
PDF = "/analytics/briefings/E08000030/pdf/"
QUERY = {"to": "2025-12", "months": "12"}


@pytest.fixture
def scene(west_midlands, analyst, hub_detective, walsall_partner):
    add_lsoas()
    two_years = Period(start=dt.date(2024, 1, 1), months=24)
    add_crime({"Walsall": {"violent-crime": 100, "robbery": 10}, "Dudley": {"violent-crime": 40}}, period=two_years)
    add_crime({"Walsall": {"possession-of-weapons": 20}})  # 2025 runs higher than 2024
    add_referrals(walsall_partner, {"Walsall": 15, "Dudley": 3})
    add_nrm_referrals(hub_detective, {"Walsall": 2})
    add_intelligence(analyst, {"Walsall": 25})


@pytest.fixture
def clean_registry(monkeypatch):
    """Only the briefing's own sections: none of those other apps' data adds (operations, VRP funding)."""
    own = [entry for entry in briefings._builders if entry[1].startswith("socex.analytics.briefing.")]
    monkeypatch.setattr(briefings, "_builders", own)
    monkeypatch.setattr(briefings, "_covered", set())


@pytest.mark.parametrize(("persona", "status"), [("analyst", 200), ("vrp_officer", 200), ("walsall_partner", 403)])
def test_only_analytics_users_open_a_briefing(request, signed_in, west_midlands, persona, status):
    user = request.getfixturevalue(persona)
    assert signed_in(user).get(URL).status_code == status
    assert signed_in(user).get(PDF).status_code == status


def test_an_unknown_area_is_not_found(signed_in, analyst, west_midlands):
    assert signed_in(analyst).get("/analytics/briefings/E08999999/").status_code == 404
    assert signed_in(analyst).get("/analytics/briefings/E08999999/pdf/").status_code == 404


def test_the_index_links_every_area_to_its_page_and_pdf(signed_in, analyst, west_midlands):
    html = signed_in(analyst).get("/analytics/briefings/").content.decode()

    assert html.count('href="/analytics/briefings/E0800') == 14


def test_the_briefing_covers_position_trends_figures_and_resources_with_sources(signed_in, analyst, scene):
    response = signed_in(analyst).get(URL, QUERY)

    pack = response.context["briefing"]
    # Operations (from investigations) and VRP allocations (from funding) are the money module's sections.
    assert [s.key for s in pack.sections] == [
        "threat-risk",
        "trends",
        "figures",
        "resources",
        "operations",
        "vrp-allocations",
    ]
    position = pack.sections[0]
    assert position.facts[0].label == "Position"
    assert position.facts[0].value == "1st of 7 local policing areas"
    trends = pack.sections[1]
    assert trends.paragraphs[0].text == (
        "Walsall recorded 1,560 serious violence and exploitation crimes in January 2025 to December 2025: "
        "up 18% on the 12 months before (1,320)."
    )
    assert trends.paragraphs[1].text.startswith("Over the next 6 months (January 2026 to June 2026) about ")
    assert [row[0] for row in trends.tables[0].rows][:2] == ["January 2026", "February 2026"]
    assert [s["name"] for s in trends.line.series] == ["Recorded", "Forecast"]
    assert trends.line.band is not None
    assert trends.line.mark_label == "School summer holidays"
    resources = {fact.label: fact.value for fact in pack.sections[3].facts}
    assert resources["Hub"] == "Wolverhampton SOCEX Hub"
    assert resources["Areas the hub serves"] == "Dudley, Sandwell, Walsall, Wolverhampton"
    operations, vrp = pack.sections[4], pack.sections[5]
    assert operations.title == "Operations and disruption"
    assert vrp.title.startswith("Violence Reduction Partnership funding")
    # Every figure that cites a source points at a footnote that exists, numbered from 1.
    numbers = [n for n, _ in pack.footnotes]
    assert numbers == list(range(1, len(numbers) + 1))
    cited = {n for s in pack.sections for item in [*s.paragraphs, *s.facts, *s.tables] for n in item.notes}
    assert cited == set(numbers)
    html = response.content.decode()
    assert 'id="source-1"' in html
    assert 'href="#source-1"' in html
    assert "data.police.uk street-level crime data for West Midlands Police" in html


def test_figures_for_partners_hide_small_counts(signed_in, vrp_officer, analyst, scene):
    partner = {f.label: f.value for f in signed_in(vrp_officer).get(URL, QUERY).context["briefing"].sections[2].facts}
    police = {f.label: f.value for f in signed_in(analyst).get(URL, QUERY).context["briefing"].sections[2].facts}

    assert partner["NRM referrals"] == "Fewer than 5"
    assert police["NRM referrals"] == "2"
    assert partner["Exploitation referrals"] == police["Exploitation referrals"] == "15"


def test_the_pdf_is_the_same_pack_and_its_download_is_audited(signed_in, analyst, scene):
    response = signed_in(analyst).get(PDF, QUERY)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="briefing-walsall-2025-12.pdf"'
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Walsall: threat, risk and resources" in text
    assert "Threat and risk against the other areas" in text
    assert "Sources" in text
    assert "[1]" in text
    event = Event.objects.filter(action="export").latest("id")
    assert (event.object_type, event.object_id, event.actor_id) == ("areas.lpa", str(scene_lpa_id()), analyst.pk)
    assert (event.export_count or 0) > 0
    assert event.detail["filters"]["weights"] == "v1"


def scene_lpa_id() -> int:
    from socex.areas.models import LPA

    return LPA.objects.get(code="E08000030").pk


def test_other_apps_add_sections_through_the_registry(signed_in, analyst, scene, clean_registry):
    def operations(context):
        return briefings.BriefingSection(
            key="operations",
            title="Operations",
            facts=[briefings.Fact("Live operations", "2", ("ops",))],
            sources=[briefings.Source("ops", "Investigations records")],
        )

    briefings.register_briefing_section(50, operations, key="operations")
    briefings.register_briefing_section(50, operations, key="operations")  # once, however often ready() runs

    pack = signed_in(analyst).get(URL, QUERY).context["briefing"]

    keys = [s.key for s in pack.sections]
    assert keys == ["threat-risk", "trends", "figures", "resources", "operations", "not-covered"]
    assert "Operations in the area" not in " ".join(p.text for p in pack.sections[-1].paragraphs)
    assert pack.footnotes[-1][1].text == "Investigations records"


def test_a_section_citing_a_source_it_does_not_define_is_a_programming_error(analyst, scene, clean_registry):
    from socex.areas.models import LPA

    briefings.register_briefing_section(
        60, lambda context: briefings.BriefingSection(key="x", title="X", facts=[briefings.Fact("A", "1", ("nope",))])
    )
    with pytest.raises(ValueError, match="does not define: nope"):
        briefings.build_briefing(analyst, LPA.objects.get(code="E08000030"))


def test_without_crime_data_the_pack_says_so_rather_than_guessing(signed_in, analyst, west_midlands):
    pack = signed_in(analyst).get(URL, QUERY).context["briefing"]

    trends = next(s for s in pack.sections if s.key == "trends")
    assert trends.paragraphs[0].text == "No crime data has been imported for these months."
    assert trends.paragraphs[1].text == "A seasonal outlook needs at least 4 months of crime data; there are 0."
    facts = {f.label: f.value for f in pack.sections[2].facts}
    assert facts["Serious violence and exploitation crimes"] == "No crime data for the period"
