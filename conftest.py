"""Shared test fixtures: the named personas every app's tests use.

Each persona states who they are so a test reads as the rule it checks:
``hub_detective`` sees every case in the force; ``walsall_partner`` sees what is shared with
Walsall Early Help; ``school_outsider`` works for a school that is on nothing.
"""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from socex.accounts.default_roles import DEFAULT_ROLES
from socex.accounts.models import Organisation, OrganisationType, Role, Team, User
from socex.areas.models import LPA, Hub
from socex.core.testing.factories import (
    TEST_PASSWORD,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
    in_days,
    make_west_midlands,
)
from socex.sharing.default_legal_bases import add_default_legal_bases
from socex.sharing.models import LegalBasis, Share

# Browser fixtures (Chromium via Playwright, axe-core) for every app's browser tests.
pytest_plugins = ["socex.core.testing.browser"]


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def west_midlands(db):
    return make_west_midlands()


@pytest.fixture
def wmp(west_midlands) -> Organisation:
    return OrganisationFactory(name="West Midlands Police", org_type=OrganisationType.POLICE)


def _hub_team(wmp: Organisation, hub_code: str) -> Team:
    hub = Hub.objects.get(code=hub_code)
    return TeamFactory(organisation=wmp, name=f"{hub.name} team", hub=hub)


def _partner_org(name: str, org_type: str, lpa_name: str) -> Organisation:
    return OrganisationFactory(name=name, org_type=org_type, lpa=LPA.objects.get(name=lpa_name))


@pytest.fixture
def hub_detective(wmp) -> User:
    return UserFactory(
        email="det.birmingham@police.example",
        full_name="DC Priya Sandhu",
        organisation=wmp,
        team=_hub_team(wmp, "birmingham"),
        roles=["hub-detective"],
    )


@pytest.fixture
def hub_officer(wmp) -> User:
    return UserFactory(
        email="officer.coventry@police.example",
        full_name="Sam Whitfield",
        organisation=wmp,
        team=_hub_team(wmp, "coventry"),
        roles=["hub-officer"],
    )


@pytest.fixture
def analyst(wmp) -> User:
    return UserFactory(
        email="analyst@police.example", full_name="Tom Okafor", organisation=wmp, roles=["intelligence-analyst"]
    )


@pytest.fixture
def walsall_partner(west_midlands) -> User:
    org = _partner_org("Walsall Council Early Help", OrganisationType.EARLY_HELP, "Walsall")
    return UserFactory(
        email="earlyhelp@walsall.example", full_name="Jo Bennett", organisation=org, roles=["partner-practitioner"]
    )


@pytest.fixture
def school_outsider(west_midlands) -> User:
    org = _partner_org("Dudley Park Academy", OrganisationType.EDUCATION, "Dudley")
    return UserFactory(
        email="dsl@dudleypark.example", full_name="Alex Morgan", organisation=org, roles=["partner-practitioner"]
    )


@pytest.fixture
def mace_chair(west_midlands) -> User:
    org = _partner_org("Sandwell Children's Trust", OrganisationType.CHILDRENS_SERVICES, "Sandwell")
    return UserFactory(email="mace@sandwell.example", full_name="Ruth Adeyemi", organisation=org, roles=["mace-chair"])


@pytest.fixture
def vrp_officer(west_midlands) -> User:
    org = OrganisationFactory(name="West Midlands Violence Reduction Partnership", org_type=OrganisationType.VRP)
    return UserFactory(email="vrp@wmvrp.example", full_name="Imran Hussain", organisation=org, roles=["vrp-officer"])


@pytest.fixture
def supervisor(wmp) -> User:
    return UserFactory(
        email="sergeant@police.example", full_name="DS Helen Clarke", organisation=wmp, roles=["supervisor"]
    )


@pytest.fixture
def auditor(wmp) -> User:
    return UserFactory(email="auditor@police.example", full_name="Grace Liu", organisation=wmp, roles=["auditor"])


@pytest.fixture
def administrator(wmp) -> User:
    return UserFactory(email="admin@police.example", full_name="Chris Evans", organisation=wmp, roles=["administrator"])


@pytest.fixture
def signed_in(client):
    """``signed_in(user)`` returns the test client signed in as that user (MFA already passed)."""

    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _audit_triggers_survive_flush(request):
    """The audit table refuses DELETE/TRUNCATE, which pytest-django's flush after a
    transactional test uses: lift its triggers for the flush, restore them for the next test."""
    from socex.audit.testing import keep_append_only_triggers

    yield from keep_append_only_triggers(request)


@pytest.fixture(autouse=True)
def _rows_the_data_migrations_load(request, _audit_triggers_survive_flush):
    """Put back the default roles and legal bases before each transactional test.

    pytest-django empties every table after a transactional test (browser tests are
    transactional: the live server runs in another thread, so data must be committed),
    including the rows data migrations created. Without this, the next transactional test on
    the same worker would find no roles to give the personas.
    """
    from socex.audit.testing import is_transactional

    if is_transactional(request):
        for spec in DEFAULT_ROLES:
            Role.objects.get_or_create(code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"})
        add_default_legal_bases(LegalBasis)


@pytest.fixture
def wmp_walsall_share(hub_detective, walsall_partner) -> Share:
    """West Midlands Police shares a record (the Birmingham hub) with Walsall Early Help for 30 days."""
    from socex.sharing.services import share_grant

    return share_grant(
        actor=hub_detective,
        obj=Hub.objects.get(code="birmingham"),
        organisation=walsall_partner.organisation,
        legal_basis=LegalBasis.objects.get(code="children-act-1989-s47"),
        scope="Hub contact list for the Walsall MACE meeting",
        until=in_days(30),
    )
