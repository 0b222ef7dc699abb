"""Fixtures for the sharing tests: a record shared by West Midlands Police with Walsall Early Help.

The shared record is the Birmingham hub (an ``areas.Hub``): any saved model can be shared, and
the hub is geography every test already has.
"""

import pytest

from socex.areas.models import Hub
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
