"""SQL for the triggers that make ``audit_event`` append-only, per database.

Row triggers reject UPDATE and DELETE on both databases. PostgreSQL's TRUNCATE fires no row
trigger, so a statement trigger refuses that too (migration 0003). Triggers stop mistakes and
casual tampering by the application's own database user; a production deployment should also
grant that user only SELECT and INSERT on ``audit_event`` (see docs), because the owner of a
table can disable its triggers. ``manage.py audit_verify`` detects whatever gets past both.
"""

from __future__ import annotations

from typing import Any

MESSAGE = "audit_event is append-only: UPDATE and DELETE are not allowed"
MESSAGE_TRUNCATE = "audit_event is append-only: TRUNCATE is not allowed"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]
POSTGRES_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event;",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();",
]
POSTGRES_CREATE_NO_TRUNCATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE_TRUNCATE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event;",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();",
]
POSTGRES_DROP_NO_TRUNCATE = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event;",
    "DROP FUNCTION IF EXISTS audit_event_no_truncate();",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event;",
    "DROP FUNCTION IF EXISTS audit_event_append_only();",
]


def _run(schema_editor: Any, by_vendor: dict[str, list[str]]) -> None:
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


def create_no_truncate(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"postgresql": POSTGRES_CREATE_NO_TRUNCATE})


def drop_no_truncate(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"postgresql": POSTGRES_DROP_NO_TRUNCATE})
