"""MACE minutes, redacted per recipient agency: each agency's copy holds only the cases shared
with it (or led by it; police see every case), read back from the PDF with pypdf.

The meeting (chaired by Sandwell Children's Trust) has three cases on its agenda:

1. Kieran Smith: led by West Midlands Police, shared with Walsall Early Help and Sandwell;
2. Leon Parry: led by West Midlands Police, shared with Sandwell only;
3. Mia Walker: led by Walsall Early Help, shared with Sandwell.

Invited: Walsall Early Help, West Midlands Police and Dudley Park Academy (on none of the cases).
"""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from socex.audit.models import Action as AuditAction
from socex.audit.models import Event
from socex.core.testing.factories import in_days
from socex.safeguarding import services
from socex.safeguarding.tests.conftest import make_case, make_person, share_case
from socex.sharing.services import share_revoke, shares_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(mace_chair, hub_officer, walsall_partner, school_outsider, wmp, case):
    leon = make_case(hub_officer, make_person(hub_officer, "Leon", "Parry", dt.date(2010, 5, 6)), lpa="Sandwell")
    share_case(leon, hub_officer, mace_chair.organisation)
    mia = make_case(
        hub_officer, make_person(hub_officer, "Mia", "Walker", dt.date(2012, 7, 8)), lead=walsall_partner.organisation
    )
    share_case(mia, hub_officer, mace_chair.organisation)
    meeting = services.meeting_create(
        actor=mace_chair, title="Black Country MACE", meeting_date=in_days(-1), chair=mace_chair,
        agencies=[walsall_partner.organisation, wmp, school_outsider.organisation],
    )  # fmt: skip
    services.meeting_set_attendees(actor=mace_chair, meeting=meeting, attendees=[mace_chair, walsall_partner])
    notes = {
        case: ("Kieran was found in a trap house", "Refer to the NRM"),
        leon: ("Leon carries a knife for an older man", "Police disruption visit"),
        mia: ("Mia misses school on Mondays", "Daily attendance check"),
    }
    for subject_case, (discussion, decision) in notes.items():
        item = services.agenda_item_add(actor=mace_chair, meeting=meeting, case=subject_case)
        services.agenda_item_record(actor=mace_chair, item=item, discussion=discussion, decisions=decision)
        services.action_create(
            actor=mace_chair, case=subject_case, agenda_item=item, description=f"Follow up: {decision}",
            owner_agency=wmp, due_date=in_days(7),
        )  # fmt: skip
    services.meeting_finalise(actor=mace_chair, meeting=meeting, version=meeting.version)
    return {"meeting": meeting, "kieran": case, "leon": leon, "mia": mia}


def _text(client, meeting, agency):
    response = client.get(reverse("safeguarding:minutes", args=[meeting.pk]), {"agency": agency.pk})
    assert response.status_code == 200, response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


KIERAN = ("Kieran Smith", "Kieran was found in a trap house", "Refer to the NRM")
LEON = ("Leon Parry", "Leon carries a knife", "Police disruption visit")
MIA = ("Mia Walker", "Mia misses school on Mondays", "Daily attendance check")


def _has(text, facts):
    return [fact in text for fact in facts]


def test_walsall_gets_its_two_cases_and_a_placeholder_for_the_third(signed_in, walsall_partner, agenda):
    text = _text(signed_in(walsall_partner), agenda["meeting"], walsall_partner.organisation)
    assert _has(text, KIERAN) == [True, True, True]
    assert _has(text, MIA) == [True, True, True]  # Walsall leads Mia's case
    assert _has(text, LEON) == [False, False, False]
    assert agenda["leon"].reference not in text
    assert "Item 2 withheld: not shared with your agency." in text
    assert "Follow up: Refer to the NRM" in text
    assert "Follow up: Police disruption visit" not in text
    assert "Copy for Walsall Council Early Help" in text
    assert "Ruth Adeyemi" in text
    assert "Jo Bennett" in text


def test_an_agency_on_none_of_the_cases_gets_only_placeholders(signed_in, mace_chair, school_outsider, agenda):
    text = _text(signed_in(mace_chair), agenda["meeting"], school_outsider.organisation)
    for facts in (KIERAN, LEON, MIA):
        assert _has(text, facts) == [False, False, False]
    for position in (1, 2, 3):
        assert f"Item {position} withheld: not shared with your agency." in text
    for case in ("kieran", "leon", "mia"):
        assert agenda[case].reference not in text


def test_police_and_the_chair_get_every_case(signed_in, mace_chair, hub_officer, wmp, agenda):
    for client, agency in ((signed_in(hub_officer), wmp), (signed_in(mace_chair), mace_chair.organisation)):
        text = _text(client, agenda["meeting"], agency)
        for facts in (KIERAN, LEON, MIA):
            assert _has(text, facts) == [True, True, True]
        assert "withheld" not in text


def test_withheld_items_can_be_left_out_altogether(settings, signed_in, walsall_partner, agenda):
    settings.SOCEX_MACE_MINUTES_WITHHELD = "omit"
    text = _text(signed_in(walsall_partner), agenda["meeting"], walsall_partner.organisation)
    assert "withheld" not in text
    assert "Item 2" not in text
    assert "Item 1: " in text
    assert "Item 3: " in text


def test_a_revoked_share_takes_the_case_out_of_the_next_copy(signed_in, hub_officer, walsall_partner, agenda):
    share = shares_for(agenda["kieran"]).filter(organisation=walsall_partner.organisation).get()
    share_revoke(actor=hub_officer, share=share, reason="Family moved to Dudley")
    text = _text(signed_in(walsall_partner), agenda["meeting"], walsall_partner.organisation)
    assert _has(text, KIERAN) == [False, False, False]
    assert "Item 1 withheld: not shared with your agency." in text


def test_a_copy_never_holds_more_than_the_person_downloading_may_see(
    signed_in, hub_officer, mace_chair, walsall_partner, agenda
):
    share = shares_for(agenda["kieran"]).filter(organisation=mace_chair.organisation).get()
    share_revoke(actor=hub_officer, share=share, reason="No longer needed by Sandwell")
    text = _text(signed_in(mace_chair), agenda["meeting"], walsall_partner.organisation)
    assert _has(text, KIERAN) == [False, False, False]  # Walsall may see it, but the chair no longer can
    assert _has(text, MIA) == [True, True, True]


def test_each_download_is_an_audited_export(signed_in, walsall_partner, agenda):
    _text(signed_in(walsall_partner), agenda["meeting"], walsall_partner.organisation)
    event = Event.objects.filter(action=AuditAction.EXPORT, object_type="safeguarding.meeting").latest("id")
    assert event.object_id == str(agenda["meeting"].pk)
    assert event.export_count == 2
    assert event.detail["recipient_agency"] == "Walsall Council Early Help"
    assert event.detail["cases_included"] == [agenda["kieran"].reference, agenda["mia"].reference]
    assert event.detail["items_withheld"] == 1
    assert event.actor_id == walsall_partner.pk


def test_draft_minutes_say_so(signed_in, mace_chair, walsall_partner, case):
    meeting = services.meeting_create(
        actor=mace_chair, title="Draft MACE", meeting_date=in_days(1), chair=mace_chair,
        agencies=[walsall_partner.organisation],
    )  # fmt: skip
    text = _text(signed_in(walsall_partner), meeting, walsall_partner.organisation)
    assert "Draft: not yet agreed" in text
    assert "No agenda items are shared with your agency." in text
