"""Transactional tests (live server, browser) can write audit events.

pytest-django empties the tables after such a test with DELETE (SQLite) or TRUNCATE
(PostgreSQL), both refused by the audit triggers. The autouse fixture in conftest.py lifts the
triggers for that flush and restores them for the next test; if it did not, the first test
here would fail at teardown and the second would find the triggers gone or the rows still there.
"""

import pytest
from django.db import DatabaseError, transaction

from socex.audit.models import Action, Event
from socex.audit.services import record
from socex.audit.testing import triggers_active


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_writes_events_under_the_triggers():
    assert triggers_active()
    event = record(Action.VIEW, object_type="areas.hub", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_next_transactional_test_starts_empty_with_the_triggers_back(transactional_db):
    assert triggers_active()
    assert not Event.objects.filter(object_type="areas.hub", object_id="1").exists()
