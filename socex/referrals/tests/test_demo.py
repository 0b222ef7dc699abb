"""seed_demo_referrals: a queue with breaches, every kind of decision and a draft, made once."""

import datetime as dt

import pytest
from django.utils import timezone

from socex.accounts.models import OrganisationType
from socex.areas.models import LPA
from socex.core.testing.factories import OrganisationFactory, UserFactory
from socex.demo.referrals import REFERRALS, seed_demo_referrals
from socex.demo.seed import SeedSummary
from socex.people.details import PersonDetails
from socex.people.services import person_create
from socex.referrals.models import Referral, ReferralStatus, TriageOutcome
from socex.referrals.triage import breach_filter

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas(west_midlands):
    """Just the demo personas the referrals need, and Ky, whom Walsall Early Help holds."""
    lpa = {name: LPA.objects.get(name=name) for name in ("Walsall", "Dudley", "Sandwell")}
    orgs = {
        "West Midlands Police": OrganisationFactory(name="West Midlands Police", org_type=OrganisationType.POLICE),
        "Walsall Council Early Help": OrganisationFactory(
            name="Walsall Council Early Help", org_type=OrganisationType.EARLY_HELP, lpa=lpa["Walsall"]
        ),
        "Dudley Park Academy": OrganisationFactory(
            name="Dudley Park Academy", org_type=OrganisationType.EDUCATION, lpa=lpa["Dudley"]
        ),
        "Sandwell Children's Trust": OrganisationFactory(
            name="Sandwell Children's Trust", org_type=OrganisationType.CHILDRENS_SERVICES, lpa=lpa["Sandwell"]
        ),
    }
    people = [
        ("earlyhelp.walsall", "Walsall Council Early Help", "partner-practitioner"),
        ("dsl.dudley", "Dudley Park Academy", "partner-practitioner"),
        ("mace.sandwell", "Sandwell Children's Trust", "mace-chair"),
        ("hub.officer.wolverhampton", "West Midlands Police", "hub-officer"),
        ("hub.officer.coventry", "West Midlands Police", "hub-officer"),
    ]
    users = {
        local: UserFactory(email=f"{local}@demo.socex.example", organisation=orgs[org], roles=[role])
        for local, org, role in people
    }
    for given in ("Kiernan", "Leanne", "Marcus", "Sofia"):
        person_create(
            actor=users["earlyhelp.walsall"],
            details=PersonDetails(given_name=given, family_name="Smith", date_of_birth=dt.date(2011, 2, 3)),
        )
    return orgs


def test_the_demo_has_a_queue_with_breaches_decisions_and_a_draft_once(
    personas, django_capture_on_commit_callbacks, mailoutbox
):
    summary = SeedSummary()
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo_referrals(organisations=personas, summary=summary)
    assert summary.created["referrals"] == len(REFERRALS) == Referral.objects.count()
    by_status = {status: Referral.objects.filter(status=status).count() for status in ReferralStatus.values}
    assert by_status == {"draft": 1, "submitted": 5, "triaged": 5}
    outcomes = set(Referral.objects.exclude(triage_outcome="").values_list("triage_outcome", flat=True))
    assert outcomes == set(TriageOutcome.values)
    assert Referral.objects.filter(breach_filter()).count() == 3
    ky = Referral.objects.get(concern_summary__startswith="Ky has been seen")
    assert ky.subjects.get().person.given_name == "Kiernan"
    joined = Referral.objects.get(triage_outcome=TriageOutcome.EXISTING_CASE)
    amira = Referral.objects.get(concern_summary__startswith="Her sister's boyfriend")
    assert joined.case == amira.case
    assert joined.case.subjects.count() == 2
    oldest = Referral.objects.exclude(submitted_at=None).order_by("submitted_at").first()
    assert oldest.submitted_at < timezone.now() - dt.timedelta(days=50)
    assert len(mailoutbox) == 5  # each referrer told of each decision

    again = SeedSummary()
    seed_demo_referrals(organisations=personas, summary=again)
    assert (again.created["referrals"], again.existing["referrals"]) == (0, len(REFERRALS))
    assert Referral.objects.count() == len(REFERRALS)
