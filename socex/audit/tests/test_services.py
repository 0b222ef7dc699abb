"""The audit writer: every event verifies after a round trip, and the table is append-only."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from socex.audit.models import Action, Event
from socex.audit.services import (
    GENESIS_HASH,
    compute_hash,
    record,
    record_change,
    record_create,
    record_search,
    snapshot,
)
from socex.core.context import acting_as

pytestmark = pytest.mark.django_db


def _reloaded(event: Event) -> Event:
    return Event.objects.get(pk=event.pk)


def test_a_recorded_event_verifies_after_reading_it_back(hub_detective):
    with acting_as(hub_detective, ip_address="203.0.113.9", request_id="req-12345678", channel="web"):
        event = record(Action.VIEW, obj=hub_detective.team, justification="Checking team membership")
    stored = _reloaded(event)
    assert stored.hash == compute_hash(stored)
    assert stored.actor_id == hub_detective.pk
    assert stored.organisation_label == "West Midlands Police"
    assert stored.ip_address == "203.0.113.9"
    assert stored.request_id == "req-12345678"
    assert stored.object_type == "accounts.team"


def test_each_event_points_at_the_one_before(hub_detective):
    first = record(Action.SEARCH, actor=hub_detective, search_terms="Smith")
    second = record(Action.EXPORT, actor=hub_detective, export_count=3)
    previous = Event.objects.filter(id__lt=first.id).order_by("-id").values_list("hash", flat=True).first()
    assert first.prev_hash == (previous or GENESIS_HASH)
    assert second.prev_hash == first.hash


def test_awkward_values_hash_the_same_after_the_database_round_trip(hub_detective):
    """Microseconds, UUIDs, Decimals, dates, big and odd floats and NULs all survive either database."""
    detail = {
        "big": 1e20,
        "whole": 2.0,
        "fraction": 0.1,
        "tiny": 1.5e-7,
        "not_a_number": float("nan"),
        "money": Decimal("7981.29"),
        "when": dt.datetime(2024, 7, 3, 14, 5, 9, 123456, tzinfo=dt.UTC),
        "day": dt.date(2024, 7, 3),
        "id": uuid.uuid4(),
        "nested": {"b": [1, (2, 3)], "a": None},
        "text": "nul\x00inside",
    }
    event = record(Action.UPDATE, actor=hub_detective, detail=detail, changes={"amount": [Decimal("1.10"), 2.5]})
    stored = _reloaded(event)
    assert stored.occurred_at == event.occurred_at
    assert stored.detail["big"] == 10**20
    assert stored.detail["not_a_number"] == "nan"
    assert stored.detail["text"] == "nul\ufffdinside"
    assert stored.hash == compute_hash(stored) == event.hash


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
        ("fe80::1%eth0", "fe80::1"),
        ("not an address", None),
        ("", None),
    ],
)
def test_ip_addresses_are_stored_as_the_database_keeps_them(hub_detective, given, stored):
    with acting_as(hub_detective, ip_address=given, channel="web"):
        event = record(Action.LOGIN, actor=hub_detective)
    reloaded = _reloaded(event)
    assert reloaded.ip_address == stored
    assert reloaded.hash == compute_hash(reloaded)


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="not a valid Action"):
        record("teleport")


def test_system_events_name_the_channel():
    with acting_as(None, channel="command"):
        event = record(Action.VERIFY)
    assert event.actor_id is None
    assert event.actor_label == "system (command)"


def test_record_change_keeps_old_and_new_values(hub_detective):
    team = hub_detective.team
    before = snapshot(team, ["name"])
    team.name = "Birmingham hub team (nights)"
    event = record_change(team, before=before, fields=["name"])
    assert event is not None
    assert _reloaded(event).changes == {"name": ["Birmingham SOCEX Hub team", "Birmingham hub team (nights)"]}


def test_record_change_writes_nothing_when_nothing_changed(hub_detective):
    team = hub_detective.team
    count = Event.objects.count()
    assert record_change(team, before=snapshot(team, ["name"]), fields=["name"]) is None
    assert Event.objects.count() == count


def test_record_create_shows_blank_to_value(hub_detective):
    event = record_create(hub_detective.team, fields=["name"])
    assert event.changes == {"name": [None, "Birmingham SOCEX Hub team"]}


def test_a_search_without_terms_is_not_recorded_and_one_with_terms_is(auditor):
    with acting_as(auditor, channel="web"):
        assert record_search(record_type="audit.event", terms={}) is None
        event = record_search(record_type="audit.event", terms={"User": "jo", "Action": "Viewed"}, results=4)
    assert event is not None
    assert event.search_terms == "User: jo; Action: Viewed"
    assert event.detail == {"terms": {"User": "jo", "Action": "Viewed"}, "results": 4}


# --- Append-only ------------------------------------------------------------------------------


def _refused(statement):
    """Run ``statement`` in a savepoint and return the error the database raised."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        statement()
    return str(caught.value)


def test_the_orm_cannot_update_an_event(hub_detective):
    event = record(Action.VIEW, actor=hub_detective)
    message = _refused(lambda: Event.objects.filter(pk=event.pk).update(actor_label="someone else"))
    assert "append-only" in message
    assert _reloaded(event).actor_label == hub_detective.email


def test_the_orm_cannot_save_changes_to_an_event(hub_detective):
    event = record(Action.VIEW, actor=hub_detective)
    event.justification = "added later"
    assert "append-only" in _refused(event.save)


def test_the_orm_cannot_delete_an_event(hub_detective):
    event = record(Action.VIEW, actor=hub_detective)
    assert "append-only" in _refused(lambda: Event.objects.filter(pk=event.pk).delete())
    assert Event.objects.filter(pk=event.pk).exists()


def _raw(sql, params=()):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


def test_raw_sql_cannot_update_or_delete_events(hub_detective):
    event = record(Action.VIEW, actor=hub_detective)
    assert "append-only" in _refused(_raw("UPDATE audit_event SET actor_label = 'x' WHERE id = %s", [event.pk]))
    assert "append-only" in _refused(_raw("DELETE FROM audit_event WHERE id = %s", [event.pk]))
    # Without a WHERE clause SQLite would use its truncate shortcut, were there no trigger.
    assert "append-only" in _refused(_raw("DELETE FROM audit_event"))
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_table_cannot_be_emptied_at_once(hub_detective):
    record(Action.VIEW, actor=hub_detective)
    statement = "TRUNCATE audit_event" if connection.vendor == "postgresql" else "DELETE FROM audit_event"
    assert "append-only" in _refused(_raw(statement))
    assert Event.objects.exists()
