"""The demo's safeguarding records (``socex.demo.safeguarding``): actions with some overdue, one
past MACE meeting with final minutes, places in Walsall and Birmingham and a peer group, built
once however often it runs, and still useful when the cases demo has not run."""

import datetime as dt

import pytest
from django.urls import reverse

from socex.accounts.models import OrganisationType
from socex.core.testing.factories import OrganisationFactory, UserFactory
from socex.demo.safeguarding import MEETING_TITLE, demo_counts, seed_demo_safeguarding
from socex.demo.seed import SeedSummary
from socex.safeguarding.models import Location, MeetingStatus, PeerGroup
from socex.safeguarding.tests.conftest import make_case, make_person, share_case

pytestmark = pytest.mark.django_db

DOMAIN = "demo.socex.example"


@pytest.fixture
def demo_people(west_midlands):
    police = OrganisationFactory(name="West Midlands Police", org_type=OrganisationType.POLICE)
    early_help = OrganisationFactory(name="Walsall Council Early Help", org_type=OrganisationType.EARLY_HELP)
    trust = OrganisationFactory(name="Sandwell Children's Trust", org_type=OrganisationType.CHILDRENS_SERVICES)
    users = {
        "officer": UserFactory(email=f"hub.officer.wolverhampton@{DOMAIN}", organisation=police, roles=["hub-officer"]),
        "detective": UserFactory(email=f"hub.detective@{DOMAIN}", organisation=police, roles=["hub-detective"]),
        "early_help": UserFactory(
            email=f"earlyhelp.walsall@{DOMAIN}", organisation=early_help, roles=["partner-practitioner"]
        ),
        "chair": UserFactory(email=f"mace.sandwell@{DOMAIN}", organisation=trust, roles=["mace-chair"]),
    }
    organisations = {org.name: org for org in (police, early_help, trust)}
    return users, organisations


@pytest.fixture
def demo_cases(demo_people):
    users, _ = demo_people
    officer = users["officer"]
    walsall = make_case(officer, make_person(users["early_help"], "Tyler", "Green", dt.date(2010, 1, 1)))
    share_case(walsall, officer, users["early_help"].organisation)
    second = make_case(officer, make_person(officer, "Jay", "Ward", dt.date(2011, 2, 2)))
    birmingham = make_case(officer, make_person(officer, "Leon", "Parry", dt.date(2010, 5, 6)), lpa="Birmingham")
    return [walsall, second, birmingham]


def test_the_demo_has_overdue_actions_a_final_meeting_places_and_a_group(client, demo_people, demo_cases):
    users, organisations = demo_people
    summary = SeedSummary()
    seed_demo_safeguarding(organisations=organisations, summary=summary)
    counts = demo_counts()
    assert counts["actions"] >= 9  # 2-3 per case, and one per agenda item
    assert counts["overdue"] >= 3  # at least the meeting's actions, due a week after it
    assert counts["meetings"] == 1
    meeting = users["chair"].chaired_meetings.get(title=MEETING_TITLE)
    assert meeting.status == MeetingStatus.HELD
    assert meeting.items.count() == 3
    assert set(Location.objects.values_list("lpa__name", flat=True)) == {"Walsall", "Birmingham"}
    group = PeerGroup.objects.get()
    assert group.members.exists()
    assert list(group.cases.all()) == [demo_cases[0]]
    client.force_login(users["early_help"])
    minutes = client.get(reverse("safeguarding:minutes", args=[meeting.pk]))
    assert (minutes.status_code, minutes["Content-Type"]) == (200, "application/pdf")
    assert summary.created["safeguarding actions"] == counts["actions"] - 3


def test_seeding_twice_adds_nothing(demo_people, demo_cases):
    _, organisations = demo_people
    seed_demo_safeguarding(organisations=organisations, summary=SeedSummary())
    before = demo_counts()
    again = SeedSummary()
    seed_demo_safeguarding(organisations=organisations, summary=again)
    assert demo_counts() == before
    assert sum(again.created.values()) == 0
    assert again.existing["locations of concern"] == 7


def test_without_cases_the_places_and_group_are_still_made(demo_people):
    _, organisations = demo_people
    summary = SeedSummary()
    seed_demo_safeguarding(organisations=organisations, summary=summary)
    assert demo_counts()["actions"] == 0
    assert summary.created["locations of concern"] == 7
    assert summary.created["peer groups"] == 1
    assert "safeguarding actions and MACE meeting (no cases yet: skipped)" in summary.existing
