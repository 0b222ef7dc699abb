"""Fixtures for the sharing tests: a record shared by West Midlands Police with Walsall Early Help.

The shared record is the Birmingham hub (an ``areas.Hub``): any saved model can be shared, and
the hub is geography every test already has.
"""

import pytest

from socex.accounts.default_roles import DEFAULT_ROLES
from socex.accounts.models import Role
from socex.areas.models import Hub
from socex.sharing.default_legal_bases import add_default_legal_bases
from socex.sharing.models import LegalBasis
from socex.sharing.tests.factories import make_share


@pytest.fixture
def hub_record(west_midlands):
    return Hub.objects.get(code="birmingham")


@pytest.fixture
def walsall(walsall_partner):
    return walsall_partner.organisation


@pytest.fixture
def share(hub_detective, hub_record, walsall):
    """WMP shares the Birmingham hub record with Walsall Council Early Help for 30 days."""
    return make_share(actor=hub_detective, obj=hub_record, organisation=walsall)


@pytest.fixture
def migration_data(transactional_db):
    """The roles and legal bases the data migrations load, for transactional tests.

    pytest-django empties every table after a transactional test, including rows that data
    migrations created, so a later transactional test on the same worker must put them back.
    List this fixture before the personas.
    """
    for spec in DEFAULT_ROLES:
        Role.objects.get_or_create(code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"})
    add_default_legal_bases(LegalBasis)
