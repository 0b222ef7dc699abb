# ruff: noqa: S608 - every name in this SQL is a constant of this module; no value is ever formatted in
"""The full-text index behind report search, one per database engine.

* **PostgreSQL**: a stored generated ``tsvector`` column (``search_vector``, English
  configuration, over the reference and the original text) with a GIN index. The model does not
  declare the column: the search module reads it in SQL, so SQLite never sees it.
* **SQLite**: an FTS5 virtual table (``intelligence_report_fts``, Porter stemming) holding the
  reference, the text and the sanitised text, kept in step with the report table by three
  triggers. It is an *external content* table: it stores the index, not a second copy of the text.

Both are created by migration ``0003_report_search`` and only on their own engine. On SQLite,
Django rebuilds a table to alter it (new table, copy, drop, rename), and dropping a table drops
its triggers: a later migration that alters ``intelligence_report`` must call
:func:`install_sqlite_search` again (as a ``RunPython`` after its other operations). The test
``test_search.py::test_the_sqlite_index_follows_every_change`` fails if the triggers are missing.
"""

from __future__ import annotations

from typing import Any

REPORT_TABLE = "intelligence_report"
FTS_TABLE = "intelligence_report_fts"
TEXT_SEARCH_CONFIG = "english"
GIN_INDEX = "intel_report_search_gin"

_FTS_COLUMNS = "reference, text, sanitised_text"
_SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_ai": f"""
        CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON {REPORT_TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, new.reference, new.text, new.sanitised_text);
        END""",
    f"{FTS_TABLE}_ad": f"""
        CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON {REPORT_TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS})
            VALUES ('delete', old.id, old.reference, old.text, old.sanitised_text);
        END""",
    f"{FTS_TABLE}_au": f"""
        CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF reference, text, sanitised_text ON {REPORT_TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS})
            VALUES ('delete', old.id, old.reference, old.text, old.sanitised_text);
            INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, new.reference, new.text, new.sanitised_text);
        END""",
}


def install_sqlite_search(schema_editor: Any) -> None:
    """Create (or re-create) the FTS5 table and its triggers, and index every report."""
    execute = schema_editor.execute
    execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_FTS_COLUMNS}, "
        f"content='{REPORT_TABLE}', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    for name, sql in _SQLITE_TRIGGERS.items():
        execute(f"DROP TRIGGER IF EXISTS {name}")
        execute(sql)
    execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def remove_sqlite_search(schema_editor: Any) -> None:
    for name in _SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def install_postgres_search(schema_editor: Any) -> None:
    """The generated ``search_vector`` column and its GIN index (building both reads every report)."""
    schema_editor.execute(
        f"ALTER TABLE {REPORT_TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, "
        f"coalesce(reference, '') || ' ' || coalesce(text, ''))) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {REPORT_TABLE} USING gin (search_vector)")


def remove_postgres_search(schema_editor: Any) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    schema_editor.execute(f"ALTER TABLE {REPORT_TABLE} DROP COLUMN IF EXISTS search_vector")


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        install_postgres_search(schema_editor)
    elif vendor == "sqlite":
        install_sqlite_search(schema_editor)


def remove(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        remove_postgres_search(schema_editor)
    elif vendor == "sqlite":
        remove_sqlite_search(schema_editor)
