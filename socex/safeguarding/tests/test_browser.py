"""In Chromium: the work tray with its alerts, marking an action done, a MACE meeting's pages,
the map of locations with its table, and choosing a point by clicking the map. Every page is
clean under axe-core."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socex.accounts.models import User
from socex.core.testing.browser import assert_accessible, save_screenshot, sign_in
from socex.core.testing.factories import in_days
from socex.safeguarding import services
from socex.safeguarding.models import ActionStatus, Location

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = re.compile(r"\bsocex-map--ready\b")


def test_a_partner_sees_an_overdue_action_in_the_tray_and_marks_it_done(
    page: Page, walsall_partner: User, hub_officer: User, password: str, case
):
    action = services.action_create(
        actor=hub_officer, case=case, description="Home visit with mum", owner_agency=walsall_partner.organisation,
        owner=walsall_partner, due_date=in_days(-2), created_at=timezone.now() - dt.timedelta(days=20),
    )  # fmt: skip
    sign_in(page, walsall_partner.email, password)
    page.get_by_role("link", name="Safeguarding").first.click()
    expect(page.get_by_role("heading", name="My actions", level=1)).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 action overdue")
    row = page.locator("tr", has_text=action.reference)
    expect(row).to_contain_text("Overdue")
    assert_accessible(page)

    row.get_by_role("link", name=action.reference).click()
    page.get_by_role("link", name="Mark as done").click()
    page.get_by_role("button", name="Mark as done").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what was done to complete the action")
    assert_accessible(page)
    page.get_by_label("What was done").fill("Visited on Friday; mum agreed the plan")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("marked as done")
    expect(page.locator(".moj-timeline")).to_contain_text("done by Walsall Council Early Help")
    save_screenshot(page, "safeguarding-action-done")
    assert_accessible(page)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_a_meeting_page_and_its_item_are_accessible(page: Page, mace_chair: User, password: str, meeting, case):
    item = services.agenda_item_add(actor=mace_chair, meeting=meeting, case=case)
    sign_in(page, mace_chair.email, password)
    page.goto(meeting.get_absolute_url())
    expect(page.get_by_role("heading", name=f"Item 1: {case.reference}")).to_be_visible()
    assert_accessible(page)
    page.goto(item.get_absolute_url())
    page.get_by_label("Decisions").fill("Refer to the NRM")
    page.get_by_role("button", name="Save discussion").click()
    expect(page.locator("main")).to_contain_text("Decisions: Refer to the NRM")
    assert_accessible(page)


def test_the_map_draws_the_places_beside_a_table(page: Page, walsall_partner: User, password: str, case):
    services.location_create(
        actor=walsall_partner, name="Arboretum", kind="park", lpa=case.lpa, latitude=Decimal("52.5896"),
        longitude=Decimal("-1.9750"), cases=[case],
    )  # fmt: skip
    services.location_create(actor=walsall_partner, name="Takeaway", kind="takeaway", lpa=case.lpa, postcode="WS1 3RH")
    sign_in(page, walsall_partner.email, password)
    page.goto(f"/safeguarding/locations/lpa/{case.lpa.code}/")
    map_element = page.locator("#locations-map")
    expect(map_element).to_have_class(READY)
    expect(map_element).to_have_attribute("data-marker-count", "1")
    expect(map_element.locator("path.leaflet-interactive")).to_have_count(1)  # the one place with a point
    expect(page.locator("#locations-table")).to_contain_text("Takeaway")
    save_screenshot(page, "safeguarding-location-map")
    assert_accessible(page)


def test_clicking_the_map_fills_in_the_point(page: Page, walsall_partner: User, password: str, case):
    sign_in(page, walsall_partner.email, password)
    page.goto("/safeguarding/locations/new/")
    page.get_by_label("Name of the place").fill("Underpass")
    page.get_by_label("Transport hub").check()
    page.get_by_label("Local policing area").select_option(label="Walsall")
    expect(page.locator("#location-picker")).to_have_class(READY)
    page.locator("#location-picker").click(position={"x": 300, "y": 200})
    latitude = page.get_by_role("textbox", name="Latitude").input_value()
    longitude = page.get_by_role("textbox", name="Longitude").input_value()
    assert 52.4 < float(latitude) < 52.8
    assert -2.2 < float(longitude) < -1.8
    assert_accessible(page)
    page.get_by_role("button", name="Record location").click()
    expect(page.get_by_role("heading", name="Underpass", level=1)).to_be_visible()
    location = Location.objects.get()
    assert (str(location.latitude), str(location.longitude)) == (latitude, longitude)
    assert_accessible(page)
