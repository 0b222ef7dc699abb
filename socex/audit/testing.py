"""Test helpers for the append-only audit table.

Two uses:

* tamper tests, which must change history on purpose: ``with triggers_lifted(): ...``;
* pytest-django's flush after a transactional test (``transactional_db``, ``live_server``,
  ``django_db(transaction=True)``). On SQLite the flush empties every table with ``DELETE``
  and on PostgreSQL with ``TRUNCATE``; the audit triggers refuse both. The autouse fixture
  in the project's ``conftest.py`` calls :func:`keep_append_only_triggers`, which lifts the
  triggers just before the flush and puts them back before the next test that uses the
  database.
"""

from __future__ import annotations

import contextlib
import unittest
from collections.abc import Iterator

import pytest
from django.db import connection

from socex.audit import triggers

_DB_FIXTURES = frozenset(
    {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)
_TRANSACTIONAL_FIXTURES = frozenset({"transactional_db", "live_server", "django_db_reset_sequences"})


def triggers_active() -> bool:
    """Are the append-only triggers on ``audit_event`` in force on this connection?"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            )
            return bool(cursor.fetchone()[0] >= 2)
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
            return bool(cursor.fetchone()[0] >= 2)
    raise NotImplementedError(f"No audit triggers are defined for {connection.vendor}.")


def lift_triggers() -> None:
    """Switch the append-only triggers off (PostgreSQL) or drop them (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER USER")
        else:
            for statement in triggers.SQLITE_DROP:
                cursor.execute(statement)


def restore_triggers() -> None:
    """Put the append-only triggers back as the migrations left them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER USER")
        else:
            for statement in triggers.SQLITE_CREATE:
                cursor.execute(statement)


@contextlib.contextmanager
def triggers_lifted() -> Iterator[None]:
    """Allow UPDATE and DELETE on ``audit_event`` for the length of the block (tamper tests)."""
    lift_triggers()
    try:
        yield
    finally:
        restore_triggers()


def _uses_database(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(_DB_FIXTURES & set(request.fixturenames))


def is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(_TRANSACTIONAL_FIXTURES & set(request.fixturenames))


def keep_append_only_triggers(request: pytest.FixtureRequest) -> Iterator[None]:
    """Body of the autouse fixture: triggers on during every database test, off for the flush.

    Requesting the database fixture here makes pytest-django set it up before this fixture,
    so this fixture's teardown (lifting the triggers) runs before pytest-django's flush.
    """
    test_class = getattr(request.node, "cls", None)
    if not _uses_database(request) or (test_class is not None and issubclass(test_class, unittest.TestCase)):
        yield
        return
    transactional = is_transactional(request)
    request.getfixturevalue("transactional_db" if transactional else "db")
    if not triggers_active():
        # Lifted by an earlier transactional test's teardown. Inside a non-transactional
        # test this is rolled back with the test, so the next test puts them back again.
        restore_triggers()
    yield
    if transactional:
        lift_triggers()
