"""manage.py seed_demo: a synthetic West Midlands that every persona can sign in to, built
once however often it runs, never in production and never without the reference data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from socex.accounts.models import Organisation, OrganisationType, Team, User
from socex.audit.models import Event
from socex.demo.seed import DEFAULT_DEMO_PASSWORD, DEMO_DOMAIN, DEMO_SHARES, PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db) -> None:
    call_command("load_reference", stdout=StringIO(), stderr=StringIO())


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def sign_in(client, email: str, password: str):
    """Through the sign-in page, as a person would (django-axes watches it)."""
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), Team.objects.count(), User.objects.count()


def test_seeding_twice_creates_the_same_demo_once(reference):
    first = seed()
    after_first = counts()

    second = seed()

    assert "Demo data created" in first
    assert counts() == after_first
    assert "Users: 0 created, 42 already there" in second
    assert "Nothing to do" in second


def test_every_persona_can_sign_in_with_the_demo_password(reference, client):
    seed()

    for persona in PERSONAS:
        response = sign_in(client, persona.email, DEFAULT_DEMO_PASSWORD)

        assert response.status_code == 302, persona.label
        assert client.session["_auth_user_id"] == str(User.objects.get(email=persona.email).pk)
        client.logout()


def test_demo_password_can_come_from_the_environment(reference, client, monkeypatch):
    monkeypatch.setenv("SOCEX_DEMO_PASSWORD", "another-long-demo-phrase")

    out = seed()

    sign_in(client, f"analyst@{DEMO_DOMAIN}", "another-long-demo-phrase")
    assert client.session["_auth_user_id"] == str(User.objects.get(email=f"analyst@{DEMO_DOMAIN}").pk)
    assert "Password for every demo account: another-long-demo-phrase" in out


def test_a_weak_demo_password_is_refused_and_nothing_created(reference, monkeypatch):
    monkeypatch.setenv("SOCEX_DEMO_PASSWORD", "short")

    with pytest.raises(CommandError, match="SOCEX_DEMO_PASSWORD is not allowed"):
        seed()

    assert counts() == (0, 0, 0)


def test_personas_have_their_organisations_teams_and_roles(reference):
    seed()

    detective = User.objects.get(email=f"hub.detective@{DEMO_DOMAIN}")
    assert detective.organisation.name == "West Midlands Police"
    assert detective.team.hub.code == "birmingham"
    assert detective.has_cap("case.view_all")
    outsider = User.objects.get(email=f"dsl.dudley@{DEMO_DOMAIN}")
    assert outsider.organisation.org_type == OrganisationType.EDUCATION
    assert outsider.organisation.lpa.name == "Dudley"
    mace_chair = User.objects.get(email=f"mace.sandwell@{DEMO_DOMAIN}")
    assert mace_chair.organisation.name == "Sandwell Children's Trust"
    assert mace_chair.has_cap("mace.manage")
    assert not User.objects.filter(must_change_password=True).exists()


def test_the_partnership_is_all_there(reference):
    seed()

    police = Organisation.objects.get(name="West Midlands Police")
    assert set(police.teams.exclude(hub=None).values_list("hub__code", flat=True)) == {
        "birmingham",
        "coventry",
        "wolverhampton",
    }
    assert police.teams.count() == 6
    for borough in ("Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"):
        assert Organisation.objects.get(name=f"{borough} Council Early Help").lpa.name == borough
        assert Organisation.objects.filter(org_type=OrganisationType.CHILDRENS_SERVICES, lpa__name=borough).count() == 1
        assert Organisation.objects.filter(org_type=OrganisationType.EDUCATION, lpa__name=borough).count() >= 3
    assert (
        Organisation.objects.get(org_type=OrganisationType.VRP).name == "West Midlands Violence Reduction Partnership"
    )
    assert Organisation.objects.filter(org_type=OrganisationType.VOLUNTARY_SECTOR).count() >= 3
    assert Organisation.objects.filter(org_type=OrganisationType.PROBATION).count() == 1
    assert User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").count() == len(PERSONAS) + 31


def test_seeding_is_audited_through_the_accounts_services(reference):
    seed()

    created = Event.objects.filter(action="create")
    assert created.filter(object_type="accounts.organisation").count() == Organisation.objects.count()
    assert created.filter(object_type="accounts.user").count() == User.objects.count()


def test_refuses_in_production_mode(reference):
    with override_settings(MODE="production"), pytest.raises(CommandError, match="never runs in production"):
        seed()

    assert counts() == (0, 0, 0)


def test_refuses_without_reference_data(db):
    with pytest.raises(CommandError, match=r"Run `manage\.py load_reference` first"):
        seed()

    assert counts() == (0, 0, 0)


def test_sign_ins_lists_the_personas_and_changes_nothing(reference):
    seed()
    before, events = counts(), Event.objects.count()

    out = seed("--sign-ins")

    assert counts() == before
    assert Event.objects.count() == events
    for persona in PERSONAS:
        assert persona.email in out
        assert persona.organisation in out
    assert f"Password for every demo account: {DEFAULT_DEMO_PASSWORD}" in out
    assert "Organisations:" not in out


def test_sign_ins_before_seeding_says_to_seed(reference):
    out = seed("--sign-ins")

    assert "run manage.py seed_demo first" in out
    assert counts() == (0, 0, 0)


def test_the_demo_ledger_has_shares_a_partner_can_see_and_an_outsider_cannot(reference):
    from socex.sharing.models import Share

    seed()
    seed()

    from socex.demo.people import SHARED_COUNT

    assert Share.objects.filter(content_type__model="team").count() == len(DEMO_SHARES)
    assert Share.objects.filter(content_type__model="person").count() == SHARED_COUNT
    walsall = User.objects.get(email=f"earlyhelp.walsall@{DEMO_DOMAIN}")
    outsider = User.objects.get(email=f"dsl.dudley@{DEMO_DOMAIN}")
    kinds = ["team", "person"]  # other apps' demos share cases and intelligence with Walsall too
    assert Share.objects.visible_to(walsall).active().filter(content_type__model__in=kinds).count() == 1 + SHARED_COUNT
    assert Share.objects.visible_to(outsider).count() == 0


def test_the_demo_person_index_has_duplicates_for_review_and_people_shared_with_a_partner(reference):
    from django.db.models import Count

    from socex.demo.people import SHARED_COUNT
    from socex.people.details import details_from_person
    from socex.people.matching import match_person
    from socex.people.models import CandidatePair, DedupeRun, Holding, Identifier, Marker, Person

    seed()
    out = seed()
    # the first seed ran one duplicate check, so the review queue has pairs; the second did not
    assert DedupeRun.objects.get().status == "finished"
    assert CandidatePair.objects.filter(decision="pending").count() >= 5
    assert "Duplicate checks: 0 created, 1 already there" in out

    people = Person.objects.all()
    assert 150 <= people.count() <= 300
    # Other apps' demos add people too (a referral's new child), so count the people demo's own records.
    demo_people = people.filter(holdings__local_reference__startswith="DEMO-P-").distinct()
    assert (
        f"People: 0 created, {Holding.objects.filter(local_reference__startswith='DEMO-P-').count()} already there"
        in out
    )
    assert demo_people.count() >= 150
    created = Event.objects.filter(action="create", object_type="people.person")
    assert created.count() == people.count()  # each one through person_create, audited
    assert people.values("owner").distinct().count() >= 8  # held across the partnership
    assert Holding.objects.count() > people.count()  # some known to a second agency
    assert Marker.objects.exists()
    shared_nhs = Identifier.objects.filter(kind="nhs").values("value").annotate(n=Count("person")).filter(n__gt=1)
    assert shared_nhs.count() >= 5  # deliberate duplicates, for the review queue and merging
    kiernan = Person.objects.get(given_name="Kiernan", family_name="Smith")
    best = match_person(details_from_person(kiernan), exclude=[kiernan.pk])[0]
    assert (best.person.given_name, best.person.family_name, best.person.owner.name) == (
        "Kieran",
        "Smyth",
        "West Midlands Police",
    )
    walsall = User.objects.get(email=f"earlyhelp.walsall@{DEMO_DOMAIN}")
    outsider = User.objects.get(email=f"dsl.dudley@{DEMO_DOMAIN}")
    seen_by_walsall = Person.objects.visible_to(walsall)
    assert seen_by_walsall.filter(owner__name="West Midlands Police").count() >= SHARED_COUNT
    assert not Person.objects.visible_to(outsider).exclude(holdings__organisation=outsider.organisation).exists()


def test_the_real_walsall_2024_25_allocations_are_in_the_demo_to_the_penny(reference):
    from decimal import Decimal

    from socex.funding.models import Allocation, Bid, ResponseAward

    seed()
    walsall = Allocation.objects.filter(budget__lpa__name="Walsall", budget__financial_year=2024)
    assert {(a.project, a.lead.name, a.amount, a.is_synthetic) for a in walsall} == {
        ("CARE Project", "Walsall Council Early Help", Decimal("35000.00"), False),
        ("Modern Slavery Response", "Walsall Council", Decimal("5000.00"), False),
        ("ASB/Violence Response funding", "Walsall Council", Decimal("7981.29"), False),
    }
    awards = ResponseAward.objects.filter(awarded_on__year=2024, awarded_on__month=5)
    assert awards.count() == 2
    assert all(award.is_synthetic and award.recipients.get().lpa.name == "Walsall" for award in awards)
    assert Bid.objects.get(funder="James Brindley Foundation").resulting_budget.amount > Decimal("150000")
    assert Bid.objects.get(amount_sought=Decimal("1000000.00")).status == "submitted"
