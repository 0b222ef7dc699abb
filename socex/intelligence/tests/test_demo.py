"""The demo's intelligence (socex/demo/intelligence.py): a small county-line network in Walsall and
Birmingham, made once through the services however often the seed runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from socex.accounts.models import Organisation
from socex.demo.intelligence import REPORTS, seed_demo_intelligence
from socex.demo.seed import SeedSummary
from socex.intelligence.models import Dissemination, Entity, Group, Link, Mention, Report, ReportStatus
from socex.intelligence.search import search_reports

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    """The whole demo, which runs ``seed_demo_intelligence`` among the rest; its output says what it made."""
    call_command("load_reference", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO())
    return {org.name: org for org in Organisation.objects.all()}, out.getvalue()


def test_the_demo_network_is_made_once_through_the_services(demo):
    demo, out = demo
    assert len(REPORTS) >= 40
    assert f"Intelligence reports: {len(REPORTS)} created, 0 already there" in out
    counts = (Report.objects.count(), Entity.objects.count(), Link.objects.count(), Mention.objects.count())
    again = SeedSummary()
    seed_demo_intelligence(organisations=demo, summary=again)
    assert (again.created["intelligence reports"], again.existing["intelligence reports"]) == (0, len(REPORTS))
    assert (Report.objects.count(), Entity.objects.count(), Link.objects.count(), Mention.objects.count()) == counts

    statuses = {status: Report.objects.filter(status=status).count() for status in ReportStatus.values}
    assert statuses["published"] >= 15
    assert statuses["submitted"] >= 2
    assert statuses["evaluated"] >= 3
    assert Report.objects.filter(grading_scheme="5x5x5", legacy_grading="B24").exists()
    assert Report.objects.filter(handling_code="C").exclude(handling_conditions="").count() >= 2
    assert Report.objects.filter(restricted_team__name="Birmingham SOCEX Hub").count() == 1
    assert set(Group.objects.values_list("name", flat=True)) == {"Ace line", "Bando line", "Small Heath crew"}
    assert Link.objects.count() >= 40
    [dissemination] = Dissemination.objects.select_related("share__organisation")
    assert dissemination.share.organisation.name == "Walsall Council Early Help"
    assert dissemination.report.status == "published"

    # The demo personas find it: the analyst searches by a street name.
    from socex.accounts.models import User

    analyst = User.objects.get(email="analyst@demo.socex.example")
    results = search_reports(analyst, "Smudge")
    assert results.total >= 8
    assert all("Smudge" in hit.report.text for hit in results.hits)
