"""In Chromium: an analyst opens an entity's network, expands a node, filters by grading, colours and
highlights a community, clicks a link through to the report behind it, and downloads a picture;
every state clean under axe-core, and nothing refused by the Content Security Policy."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gang(intel):
    """Two tight groups of four joined by A1-B1; B2 drives a car (three links from A1); an old
    legacy-graded link from A1 to Old Mate."""
    a = intel.entities("A1", "A2", "A3", "A4")
    b = intel.entities("B1", "B2", "B3", "B4")
    for x, y in [*itertools.combinations(a, 2), *itertools.combinations(b, 2)]:
        intel.link(x, y, report=intel.report("2B"))
    bridge = intel.report("1A", text="Source saw A1 hand B1 a package at the car wash.")
    intel.link(a[0], b[0], "associate", report=bridge)
    car = intel.entity("AB12 CDE", kind="vehicle")
    intel.link(b[1], car, "drives", report=intel.report("2A"))
    intel.link(a[0], intel.entity("Old Mate"), report=intel.report(legacy="B24"))
    return {"a": a, "b": b, "car": car, "bridge": bridge}


def canvas_point(page: Page, script: str) -> tuple[float, float]:
    """The page position of a point cytoscape gives relative to its canvas (``script`` returns {x, y})."""
    page.evaluate("() => document.getElementById('network-canvas').scrollIntoView({block: 'center'})")
    box = page.locator("#network-canvas").bounding_box()
    assert box is not None
    point = page.evaluate(script)
    return box["x"] + point["x"], box["y"] + point["y"]


def node_count(page: Page) -> int:
    return page.evaluate("() => window.socexNetwork.cy.nodes().length")


def test_an_analyst_explores_a_network_and_reaches_the_report_behind_a_link(
    page: Page, analyst: User, password: str, gang: dict
):
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    sign_in(page, analyst.email, password)
    a1 = gang["a"][0]

    # From the entity's own page to its network.
    page.goto(f"/intelligence/entities/{a1.pk}/")
    page.get_by_role("link", name="See it in the network").click()
    expect(page.get_by_role("heading", name="A1", level=1)).to_be_visible()
    expect(page.locator("#network-summary")).to_contain_text("9 entities and 14 links within 2 links of A1")
    expect(page.locator(".socex-network__tools")).to_be_visible()
    assert node_count(page) == 9
    assert_accessible(page)

    # Select a node in the drawing: its details, with an Expand button.
    b2 = gang["b"][1]
    x, y = canvas_point(page, f"() => window.socexNetwork.cy.getElementById('{b2.pk}').renderedPosition()")
    page.mouse.click(x, y)
    detail = page.locator("#network-detail")
    expect(detail.get_by_role("heading", name="B2")).to_be_visible()
    detail.get_by_role("button", name="Expand B2").click()
    expect(page.locator("#network-status")).to_contain_text("Expanded B2: 1 more entity, 10 in all.")
    assert node_count(page) == 10
    expect(page.locator("#network-nodes")).to_contain_text("AB12 CDE")
    assert f"expand={b2.pk}" in page.url
    save_screenshot(page, "network-expanded")
    assert_accessible(page)

    # Filter: only links from reports graded 2B or better (Old Mate's legacy link goes).
    page.get_by_label("Minimum grading", exact=True).select_option("2B")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#network-nodes")).not_to_contain_text("Old Mate")
    expect(page.locator("#network-nodes")).to_contain_text("AB12 CDE")  # the expansion is kept
    assert node_count(page) == 9
    assert_accessible(page)

    # Key nodes and communities: the two groups of four are two communities.
    page.get_by_role("button", name="Highlight key nodes").click()
    expect(page.locator("#network-legend")).to_contain_text(
        "B1: highest PageRank and lies on many paths between others"
    )
    page.get_by_role("button", name="Colour communities").click()
    legend = page.locator("#network-legend")
    expect(legend).to_contain_text("Community 1: 5 entities")
    expect(legend).to_contain_text("Community 2: 4 entities")
    legend.get_by_role("button", name="Highlight community 2").click()
    expect(legend.locator('button[data-community="2"]')).to_have_attribute("aria-pressed", "true")
    faded = page.evaluate("() => window.socexNetwork.cy.nodes('.faded').map((n) => n.data('label')).sort()")
    assert faded == ["A1", "A2", "A3", "A4"] or faded == ["AB12 CDE", "B1", "B2", "B3", "B4"]
    assert page.evaluate("() => window.socexNetwork.cy.nodes('.community-1').length") == 5
    save_screenshot(page, "network-community")
    assert_accessible(page)

    # A picture of the network.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download picture (PNG)").click()
    assert download.value.suggested_filename == f"network-{a1.pk}.png"

    # Select the A1-B1 link in the drawing and follow it to the report that supports it.
    legend.get_by_role("button", name="Show all").click()
    b1 = gang["b"][0]
    x, y = canvas_point(
        page, f"() => window.socexNetwork.cy.getElementById('{a1.pk}-{b1.pk}-associate').renderedMidpoint()"
    )
    page.mouse.click(x, y)
    expect(detail.get_by_role("heading", name="A1: associate of B1")).to_be_visible()
    expect(detail).to_contain_text("1A P")
    assert_accessible(page)
    detail.get_by_role("link", name=gang["bridge"].reference).click()
    expect(page.locator("main")).to_contain_text(gang["bridge"].reference)
    expect(page.locator("main")).to_contain_text("Source saw A1 hand B1 a package at the car wash.")
    assert refused == []


def test_without_javascript_the_tables_carry_the_whole_network(
    browser, live_server, analyst: User, password: str, gang: dict
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, analyst.email, password)
    page.goto(f"/intelligence/network/?entity={gang['a'][0].pk}")
    expect(page.locator(".socex-network__tools")).to_be_hidden()
    page.get_by_role("link", name="Expand B2").click()
    expect(page.locator("#network-nodes")).to_contain_text("AB12 CDE")
    expect(page.locator("#network-links")).to_contain_text(gang["bridge"].reference)
    context.close()  # (axe-core needs JavaScript: the same page was checked with it above)
