"""Importing data.police.uk street-level crime: check, place, de-duplicate, replace, aggregate.

:func:`crime_import` is the one way crimes get into the database (``manage.py import_crime``
calls it). DuckDB does the heavy lifting: the files are read into an in-memory DuckDB table
(:mod:`socex.analytics.importing_sources`), checked and joined to the areas there, and only the
rows that will be stored are handed to the database, in bulk.

The rules:

* **All or nothing.** A file of the wrong format, a corrupt zip, a row that cannot be read, an
  unknown crime type, a malformed month, coordinate or LSOA code, files from more than one
  force, too many rows outside the force's areas, or a month only partly present: the import is
  refused with a report naming the file and row, and the crime tables keep their previous state
  (one transaction). The refusal itself is kept as a failed :class:`CrimeImport` with its report.
* **Re-importing a month replaces it**: the force's crimes and counts for every month in the
  files are deleted and written again, so nothing is counted twice.
* **Duplicates** across overlapping files (the API's ward-by-ward pulls) are dropped: API
  records by their ``id``; archive crimes by Crime ID; anti-social behaviour rows, which have no
  Crime ID, as a multiset (identical rows are distinct incidents within a file, so each set of
  identical rows counts as many times as the file holding most of them).
* **Placing**: a row's LSOA code (2021, or 2011 mapped to the 2021 LSOA it overlaps most) gives
  its LSOA and LPA; a row with no code (the API format) is placed by point-in-polygon against
  the LSOA boundaries. Rows with no location, or outside the force, are skipped and listed.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
from django.db import connection, transaction

from socex.analytics import conf
from socex.analytics.importing_sources import (
    ImportRefused,
    Problem,
    Progress,
    Sources,
    collect_sources,
    load_raw,
)
from socex.analytics.models import Crime, CrimeCount, CrimeImport, CrimeLPAMonth, ImportStatus
from socex.audit.models import Action
from socex.audit.services import record

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.areas.models import Force

__all__ = ["ImportRefused", "ImportResult", "Problem", "crime_import", "read_crimes"]

# The report keeps this many skipped rows by file and row (all of them are counted by reason).
REPORT_ROWS = 1000
INSERT_BATCH = 50_000


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _no_progress(total: int, label: str) -> _NoBar:
    return _NoBar()


@dataclass
class ImportResult:
    """What an import found and did. ``crime_import`` (the record) is None for a dry run."""

    source_name: str
    format: str
    force: str = ""
    months: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_imported: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    skipped: list[Problem] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    per_month: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    allow_partial: bool = False
    crime_import: CrimeImport | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped_by_reason.values())

    def report(self) -> dict[str, Any]:
        return {
            "skipped_by_reason": self.skipped_by_reason,
            "skipped": [p.as_dict() for p in self.skipped],
            "skipped_listed": len(self.skipped),
            "ignored_files": self.ignored_files,
            "per_month": self.per_month,
            "replaced": self.replaced,
            "allow_partial": self.allow_partial,
        }

    def summary(self) -> str:
        months = ", ".join(self.months)
        text = (
            f"Imported {self.rows_imported:,} of {self.rows_read:,} rows for {months} ({self.force}); "
            f"{self.rows_skipped:,} skipped."
        )
        if self.replaced:
            text += " Replaced the months already held: " + ", ".join(
                f"{m} ({n:,} rows before)" for m, n in sorted(self.replaced.items())
            )
        return text


# ---------------------------------------------------------------------------------------------
# Reading and checking (no database writes)
# ---------------------------------------------------------------------------------------------


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    return con


def _load_categories(con: duckdb.DuckDBPyConnection) -> None:
    names = {}
    for category in conf.categories():
        names[category.slug] = category.slug
        names[category.label] = category.slug
        for legacy in category.legacy_labels:
            names[legacy] = category.slug
    con.execute("CREATE TEMP TABLE categories (name VARCHAR, slug VARCHAR)")
    con.executemany("INSERT INTO categories VALUES (?, ?)", list(names.items()))


def _check_rows(con: duckdb.DuckDBPyConnection, fmt: str) -> None:
    """Add ``rid``, ``category``, ``lon``, ``lat`` and ``error`` (why a row is unreadable) to ``raw``."""
    _load_categories(con)
    force_check = "WHEN r.reported_by = '' THEN 'Reported by is empty'" if fmt == "archive_csv" else ""
    # The only text put into the SQL is the constant above.
    con.execute(
        rf"""
        CREATE TEMP TABLE checked AS
        SELECT r.seq AS rid, r.*, c.slug AS category,
               CASE WHEN try_cast(r.longitude AS DOUBLE) BETWEEN -180 AND 180
                     AND try_cast(r.latitude AS DOUBLE) BETWEEN -90 AND 90
                     AND NOT (try_cast(r.longitude AS DOUBLE) = 0 AND try_cast(r.latitude AS DOUBLE) = 0)
                    THEN try_cast(r.longitude AS DOUBLE) END AS lon,
               try_cast(r.latitude AS DOUBLE) AS lat,
               CASE
                 WHEN NOT regexp_full_match(r.month, '\d{{4}}-(0[1-9]|1[0-2])')
                   THEN 'Month ''' || r.month || ''' is not a month written YYYY-MM'
                 WHEN c.slug IS NULL
                   THEN 'Crime type ''' || r.crime_type || ''' is not a police.uk crime category'
                 WHEN (r.longitude <> '' AND try_cast(r.longitude AS DOUBLE) IS NULL)
                   OR (r.latitude <> '' AND try_cast(r.latitude AS DOUBLE) IS NULL)
                   THEN 'Longitude ''' || r.longitude || ''' or latitude ''' || r.latitude || ''' is not a number'
                 WHEN r.lsoa_code <> '' AND NOT regexp_full_match(r.lsoa_code, '[EW]01\d{{6}}')
                   THEN 'LSOA code ''' || r.lsoa_code || ''' is not an LSOA code (E01 or W01 and six digits)'
                 {force_check}
               END AS error
        FROM raw r LEFT JOIN categories c ON c.name = r.crime_type
        """,  # noqa: S608
    )
    _drop_raw(con)


def _drop_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Free what the reader left: ``raw`` (a view over ``csv_rows`` for CSV, a table for JSON)."""
    kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
    con.execute("DROP VIEW raw" if kinds.get("raw") == "VIEW" else "DROP TABLE raw")
    if "csv_rows" in kinds:
        con.execute("DROP TABLE csv_rows")


def _refuse_bad_rows(con: duckdb.DuckDBPyConnection) -> None:
    total = _scalar(con, "SELECT count(*) FROM checked WHERE error IS NOT NULL")
    if total:
        rows = con.execute(
            "SELECT file, row, error FROM checked WHERE error IS NOT NULL ORDER BY rid LIMIT 200"
        ).fetchall()
        raise ImportRefused([Problem(f, e, r) for f, r, e in rows], total=total)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> int:
    row = con.execute(sql, list(params)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _resolve_force(con: duckdb.DuckDBPyConnection, fmt: str) -> Force | None:
    """The force named in the archive files (one only). API JSON names none: None."""
    from socex.areas.models import Force

    if fmt != "archive_csv":
        return None
    forces = con.execute(
        "SELECT reported_by, arg_min(file, rid), min_by(row, rid) FROM checked GROUP BY reported_by ORDER BY min(rid)"
    ).fetchall()
    if len(forces) > 1:
        first_name, first_file, first_row = forces[0]
        raise ImportRefused(
            [
                Problem(
                    file,
                    f"is reported by {name}, but {first_file} row {first_row} is reported by {first_name}: "
                    "import one force's files at a time",
                    row,
                )
                for name, file, row in forces[1:]
            ]
        )
    name, file, row = forces[0]
    force = Force.objects.filter(name__iexact=name).first()
    if force is None:
        known = ", ".join(Force.objects.values_list("name", flat=True)) or "none (run manage.py load_reference)"
        raise ImportRefused(
            [Problem(file, f"is reported by {name}, which is not a force in the reference data (known: {known})", row)]
        )
    return force


def _mark_duplicates(con: duckdb.DuckDBPyConnection, fmt: str) -> None:
    """Add ``duplicate_of`` to ``checked``: the text saying which earlier row a duplicate repeats."""
    # Only keys that occur more than once need the window functions: most rows skip them.
    if fmt == "api_json":
        con.execute(
            """
            CREATE TEMP TABLE dups AS
            WITH repeated AS (SELECT record_id FROM checked GROUP BY record_id HAVING count(*) > 1)
            SELECT rid, 'repeats record ' || record_id || ' of ' || first_value(file) OVER w
                        || ' record ' || first_value(row) OVER w AS duplicate_of,
                   row_number() OVER w AS n
            FROM checked SEMI JOIN repeated USING (record_id)
            WINDOW w AS (PARTITION BY record_id ORDER BY rid)
            """
        )
    else:
        # Crimes: by Crime ID. Anti-social behaviour (no ID): identical rows as a multiset; keep
        # every copy from the file holding the most copies, drop the other files' copies.
        con.execute(
            """
            CREATE TEMP TABLE dups AS
            WITH repeated AS (
              SELECT crime_id FROM checked WHERE crime_id <> '' GROUP BY crime_id HAVING count(*) > 1
            ),
            asb AS (
              SELECT rid, file, hash(month, reported_by, longitude, latitude, location, lsoa_code, crime_type,
                                     outcome) AS k
              FROM checked WHERE crime_id = ''
            ),
            shared AS (SELECT k FROM asb GROUP BY k HAVING count(DISTINCT file) > 1),
            per_file AS (
              SELECT k, file, count(*) AS copies, min(rid) AS first_rid
              FROM asb SEMI JOIN shared USING (k) GROUP BY ALL
            ),
            keep AS (SELECT k, arg_max(file, copies * 1e9 - first_rid) AS keep_file FROM per_file GROUP BY k)
            SELECT rid, 'repeats Crime ID ' || crime_id || ' of ' || first_value(file) OVER w
                        || ' row ' || first_value(row) OVER w AS duplicate_of,
                   row_number() OVER w AS n
            FROM checked SEMI JOIN repeated USING (crime_id)
            WINDOW w AS (PARTITION BY crime_id ORDER BY rid)
            UNION ALL
            SELECT a.rid, 'repeats an identical row of ' || keep.keep_file,
                   CASE WHEN a.file = keep.keep_file THEN 1 ELSE 2 END
            FROM asb a JOIN keep USING (k)
            """
        )


def _lookup_table(con: duckdb.DuckDBPyConnection, force: Force | None) -> None:
    """``lookup(code, lsoa_id, lpa_id)``: LSOA 2021 codes and, mapped to them, 2011 codes."""
    from socex.areas.boundaries import lsoa11_to_lsoa21
    from socex.areas.models import LSOA

    lsoas = LSOA.objects.all()
    if force is not None:
        lsoas = lsoas.filter(lpa__force=force)
    rows = {code: (pk, lpa_id) for code, pk, lpa_id in lsoas.values_list("code", "id", "lpa_id")}
    mapped = {old: rows[new] for old, new in lsoa11_to_lsoa21().items() if old not in rows and new in rows}
    import pyarrow as pa

    everything = {**rows, **mapped}
    table = pa.table(
        {
            "code": pa.array(list(everything), pa.string()),
            "lsoa_id": pa.array([pk for pk, _ in everything.values()], pa.int64()),
            "lpa_id": pa.array([lpa for _, lpa in everything.values()], pa.int64()),
        }
    )
    # Registered as Arrow: DuckDB's executemany takes about a millisecond a row.
    con.register("lookup_rows", table)
    con.execute("CREATE TEMP TABLE lookup AS SELECT * FROM lookup_rows")
    con.unregister("lookup_rows")


def _place(con: duckdb.DuckDBPyConnection, force: Force | None, progress: Progress) -> None:
    """``placed``: every row that is not a duplicate, with ``lsoa_id``/``lpa_id`` (null if unplaced)
    and ``skip`` (why it is not imported)."""
    import pyarrow as pa

    from socex.areas.boundaries import lsoa_polygons
    from socex.areas.models import LSOA

    _lookup_table(con, force)
    force_name = force.name if force is not None else "the force"
    con.execute(
        """
        CREATE TEMP TABLE placed AS
        SELECT c.rid, c.file, c.row, c.crime_id, c.month, c.category, c.lon, c.lat, c.location,
               c.outcome, c.lsoa_code, l.lsoa_id, l.lpa_id,
               CASE
                 WHEN l.lpa_id IS NOT NULL THEN NULL
                 WHEN c.lsoa_code <> '' THEN 'outside: LSOA code ' || c.lsoa_code || ' is not in ' || $force
                 WHEN c.lon IS NULL OR c.lat IS NULL THEN 'no location: no LSOA code and no coordinates'
                 ELSE 'outside: the point is in none of ' || $force || '''s LSOAs'
               END AS skip
        FROM checked c LEFT JOIN dups d USING (rid) LEFT JOIN lookup l ON l.code = c.lsoa_code
        WHERE coalesce(d.n, 1) = 1
        """,
        {"force": force_name},
    )
    # Point-in-polygon for the rows with coordinates and no LSOA code, all in one query.
    points = con.execute(
        "SELECT rid, lon, lat FROM placed WHERE lsoa_code = '' AND lon IS NOT NULL AND lat IS NOT NULL"
    ).fetchnumpy()
    if not len(points["rid"]):
        return
    bar = progress(len(points["rid"]), "Placing points in LSOAs")
    polygons = lsoa_polygons()
    found = polygons.locate(points["lon"], points["lat"])
    by_code = {code: (pk, lpa) for code, pk, lpa in LSOA.objects.values_list("code", "id", "lpa_id")}
    if force is not None:
        allowed = set(LSOA.objects.filter(lpa__force=force).values_list("id", flat=True))
        by_code = {code: value for code, value in by_code.items() if value[0] in allowed}
    rids, lsoa_ids, lpa_ids = [], [], []
    for rid, index in zip(points["rid"].tolist(), found, strict=True):
        match = by_code.get(polygons.codes[index]) if index is not None else None
        if match is not None:
            rids.append(rid)
            lsoa_ids.append(match[0])
            lpa_ids.append(match[1])
    con.register("pip", pa.table({"rid": rids, "lsoa_id": lsoa_ids, "lpa_id": lpa_ids}))
    con.execute(
        "UPDATE placed SET lsoa_id = pip.lsoa_id, lpa_id = pip.lpa_id, skip = NULL FROM pip WHERE placed.rid = pip.rid"
    )
    con.unregister("pip")
    bar.update(len(points["rid"]))
    bar.close()


def _reason_key(text: str) -> str:
    return text.split(":", 1)[0]


def _collect_skips(con: duckdb.DuckDBPyConnection, result: ImportResult) -> None:
    skipped = con.execute(
        """
        SELECT file, row, reason FROM (
          SELECT c.rid, c.file, c.row, 'duplicate: ' || d.duplicate_of AS reason
          FROM checked c JOIN dups d USING (rid) WHERE d.n > 1
          UNION ALL SELECT rid, file, row, skip FROM placed WHERE skip IS NOT NULL
        ) ORDER BY rid LIMIT ?
        """,
        [REPORT_ROWS],
    ).fetchall()
    result.skipped = [Problem(f, reason, r) for f, r, reason in skipped]
    counts = con.execute(
        """
        SELECT reason, count(*) FROM (
          SELECT 'duplicate' AS reason FROM dups WHERE n > 1
          UNION ALL SELECT split_part(skip, ':', 1) FROM placed WHERE skip IS NOT NULL
        ) GROUP BY reason ORDER BY reason
        """
    ).fetchall()
    result.skipped_by_reason = {reason: int(n) for reason, n in counts}


def _check_outside_share(con: duckdb.DuckDBPyConnection, result: ImportResult, force_name: str) -> None:
    outside = result.skipped_by_reason.get("outside", 0)
    considered = _scalar(con, "SELECT count(*) FROM placed")
    if considered and outside / considered > conf.max_outside_share():
        rows = con.execute(
            "SELECT file, row, skip FROM placed WHERE skip LIKE 'outside%' ORDER BY rid LIMIT 50"
        ).fetchall()
        share = f"{outside / considered:.0%}"
        head = Problem(
            rows[0][0] if rows else result.source_name,
            f"{outside:,} of {considered:,} rows ({share}) lie outside {force_name}'s areas, more than the "
            f"{conf.max_outside_share():.0%} allowed: are these the right files, and is the reference data loaded?",
        )
        raise ImportRefused([head, *(Problem(f, s, r) for f, r, s in rows)], total=outside + 1)


def _check_months(con: duckdb.DuckDBPyConnection, result: ImportResult, force: Force) -> None:
    """Refuse a month partly present: no crimes in some LPA, or far fewer rows than it replaces."""
    from socex.areas.models import LPA

    lpas = dict(LPA.objects.filter(force=force).values_list("id", "name"))
    present = con.execute(
        "SELECT month, list(DISTINCT lpa_id), count(*), arg_min(file, rid) FROM placed "
        "WHERE skip IS NULL GROUP BY month ORDER BY month"
    ).fetchall()
    problems = []
    existing = _existing_counts(force, [m for m, *_ in present])
    for month, lpa_ids, count, first_file in present:
        result.per_month[month] = int(count)
        if existing.get(month):
            result.replaced[month] = existing[month]
        if result.allow_partial:
            continue
        missing = sorted(name for pk, name in lpas.items() if pk not in set(lpa_ids))
        if missing:
            problems.append(
                Problem(
                    first_file,
                    f"month {month} has no crimes in {', '.join(missing)}: the files seem to hold only part of "
                    "the month. Add the missing files, or import with --allow-partial if that is intended",
                )
            )
        before = existing.get(month, 0)
        if before and count < conf.min_replace_share() * before:
            problems.append(
                Problem(
                    first_file,
                    f"month {month} would go from {before:,} rows to {count:,}: the files seem to hold only part "
                    "of the month. Import the whole month, or use --allow-partial if that is intended",
                )
            )
    if problems:
        raise ImportRefused(problems)


def _existing_counts(force: Force, months: Sequence[str]) -> dict[str, int]:
    from django.db.models import Sum

    dates = [dt.date.fromisoformat(f"{m}-01") for m in months]
    rows = (
        CrimeLPAMonth.objects.filter(month__in=dates, lpa__force=force)
        .values("month")
        .annotate(n=Sum("count"))
        .values_list("month", "n")
    )
    return {f"{month:%Y-%m}": int(n) for month, n in rows}


def _force_of_placed(con: duckdb.DuckDBPyConnection) -> Force:
    from socex.areas.models import LPA, Force

    lpa_ids = [row[0] for row in con.execute("SELECT DISTINCT lpa_id FROM placed WHERE lpa_id IS NOT NULL").fetchall()]
    force_ids = set(LPA.objects.filter(id__in=lpa_ids).values_list("force_id", flat=True))
    if len(force_ids) > 1:
        raise ImportRefused(
            [Problem("(all files)", "the crimes lie in more than one force's areas: import one force at a time")]
        )
    if not force_ids:
        raise ImportRefused([Problem("(all files)", "no crime lies in any LSOA of the reference data")])
    return Force.objects.get(pk=force_ids.pop())


def read_crimes(
    paths: Sequence[Path],
    *,
    workdir: Path,
    allow_partial: bool = False,
    progress: Progress = _no_progress,
    check_months: bool = True,
) -> tuple[duckdb.DuckDBPyConnection, ImportResult, Force]:
    """Read, check, de-duplicate and place the files; return the DuckDB connection holding
    ``placed`` (rows with ``skip IS NULL`` are the ones to store), the result and the force.

    Raises :class:`ImportRefused` with the problems, naming file and row. Writes nothing.
    """
    con = _connect()
    sources: Sources = collect_sources(paths, workdir)
    result = ImportResult(
        source_name=", ".join(p.name for p in paths)[:500],
        format=sources.format,
        ignored_files=sources.ignored,
        allow_partial=allow_partial,
    )
    load_raw(con, sources, progress)
    result.rows_read = _scalar(con, "SELECT count(*) FROM raw")
    if not result.rows_read:
        raise ImportRefused([Problem(sources.files[0].name, "holds no crimes")])
    _check_rows(con, result.format)
    _refuse_bad_rows(con)
    named_force = _resolve_force(con, result.format)
    _mark_duplicates(con, result.format)
    _place(con, named_force, progress)
    force = named_force or _force_of_placed(con)
    result.force = force.name
    _collect_skips(con, result)
    _check_outside_share(con, result, force.name)
    if check_months:
        _check_months(con, result, force)
    result.months = sorted(result.per_month) or sorted(
        m for (m,) in con.execute("SELECT DISTINCT month FROM placed").fetchall()
    )
    result.rows_imported = _scalar(con, "SELECT count(*) FROM placed WHERE skip IS NULL")
    return con, result, force


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

CRIME_COLUMNS = (
    "month",
    "crime_id",
    "category",
    "lsoa_id",
    "lpa_id",
    "longitude",
    "latitude",
    "location",
    "outcome",
    "crime_import_id",
)
CRIME_SELECT = """
    SELECT month || '-01' AS month, left(crime_id, 64), category, lsoa_id, lpa_id,
           lon, CASE WHEN lon IS NULL THEN NULL ELSE lat END, left(location, 200), left(outcome, 200), ?::BIGINT
    FROM placed WHERE skip IS NULL
"""
COUNT_COLUMNS = ("month", "lpa_id", "lsoa_id", "category", "count")
COUNT_SELECT = """
    SELECT month || '-01' AS month, lpa_id, lsoa_id, category, count(*)::INTEGER
    FROM placed WHERE skip IS NULL GROUP BY ALL ORDER BY ALL
"""
LPA_MONTH_COLUMNS = ("month", "lpa_id", "category", "count")
LPA_MONTH_SELECT = """
    SELECT month || '-01' AS month, lpa_id, category, count(*)::INTEGER
    FROM placed WHERE skip IS NULL GROUP BY ALL ORDER BY ALL
"""


def _bulk_insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    select: str,
    params: Sequence[Any],
    total: int,
    bar: Any,
    workdir: Path,
) -> None:
    """Stream DuckDB's rows into ``table``: COPY on PostgreSQL, executemany on SQLite."""
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        path = workdir / f"{table}.csv"
        con.execute(f"COPY ({select}) TO '{path}' (FORMAT csv, HEADER false)", list(params))
        # Table and column names are this module's constants, never input.
        with (
            connection.cursor() as cursor,
            path.open("rb") as handle,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):  # type: ignore[attr-defined]
            done = 0
            while chunk := handle.read(8 << 20):
                copy.write(chunk)
                estimate = min(total, done + max(1, total * len(chunk) // max(1, path.stat().st_size)))
                bar.update(estimate - done)
                done = estimate
            bar.update(total - done)
        path.unlink()
        return
    # SQLite: the driver's own executemany inside Django's transaction (the wrapper's per-row
    # parameter handling costs more than the insert).
    placeholders = ", ".join(["?"] * len(columns))
    reader = con.execute(select, list(params))
    connection.ensure_connection()
    raw = connection.connection
    while batch := reader.fetchmany(INSERT_BATCH):
        raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", batch)  # type: ignore[union-attr]  # noqa: S608
        bar.update(len(batch))


def _delete_months(months: Sequence[dt.date], force: Force) -> None:
    """Delete the force's crimes and counts for ``months`` (inside the caller's transaction).

    When they are everything held, PostgreSQL empties the tables with TRUNCATE (still undone if
    the transaction rolls back): deleting a million rows one by one takes longer than writing them.
    """
    held = set(CrimeLPAMonth.objects.values_list("month", flat=True).distinct())
    everything = held <= set(months) and not CrimeLPAMonth.objects.exclude(lpa__force=force).exists()
    tables = [model._meta.db_table for model in (Crime, CrimeCount, CrimeLPAMonth)]
    if everything and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        return
    Crime.objects.filter(month__in=months, lpa__force=force)._raw_delete(Crime.objects.db)  # type: ignore[attr-defined]
    CrimeCount.objects.filter(month__in=months, lpa__force=force)._raw_delete(CrimeCount.objects.db)  # type: ignore[attr-defined]
    CrimeLPAMonth.objects.filter(month__in=months, lpa__force=force).delete()


def _write(
    con: duckdb.DuckDBPyConnection,
    result: ImportResult,
    force: Force,
    actor: User | None,
    progress: Progress,
    workdir: Path,
) -> CrimeImport:
    months = [dt.date.fromisoformat(f"{m}-01") for m in result.months]
    started = time.perf_counter()
    with transaction.atomic():
        # Replace, never add to, the months in the files (the force's rows only).
        _delete_months(months, force)
        result.timings["delete"] = time.perf_counter() - started
        crime_import = CrimeImport.objects.create(
            source_name=result.source_name,
            format=result.format,
            months=result.months,
            force=force.name,
            rows_read=result.rows_read,
            rows_imported=result.rows_imported,
            rows_skipped=result.rows_skipped,
            report=result.report(),
            status=ImportStatus.COMPLETED,
            created_by=actor,
        )
        started = time.perf_counter()
        bar = progress(result.rows_imported, "Writing crimes")
        _bulk_insert(
            con,
            Crime._meta.db_table,
            CRIME_COLUMNS,
            CRIME_SELECT,
            [crime_import.pk],
            result.rows_imported,
            bar,
            workdir,
        )
        bar.close()
        result.timings["write_crimes"] = time.perf_counter() - started
        started = time.perf_counter()
        groups = _scalar(con, f"SELECT count(*) FROM ({COUNT_SELECT})")  # noqa: S608 - a constant
        bar = progress(groups, "Writing monthly counts")
        _bulk_insert(con, CrimeCount._meta.db_table, COUNT_COLUMNS, COUNT_SELECT, [], groups, bar, workdir)
        bar.close()
        lpa_groups = _scalar(con, f"SELECT count(*) FROM ({LPA_MONTH_SELECT})")  # noqa: S608 - a constant
        _bulk_insert(
            con, CrimeLPAMonth._meta.db_table, LPA_MONTH_COLUMNS, LPA_MONTH_SELECT, [], lpa_groups, _NoBar(), workdir
        )
        result.timings["write_counts"] = time.perf_counter() - started
        started = time.perf_counter()
        record(
            Action.IMPORT,
            obj=crime_import,
            actor=actor,
            export_count=result.rows_imported,
            detail={
                "source": result.source_name,
                "format": result.format,
                "months": result.months,
                "force": force.name,
                "rows_read": result.rows_read,
                "rows_imported": result.rows_imported,
                "rows_skipped": result.rows_skipped,
                "replaced": result.replaced,
            },
        )
    result.timings["audit_and_commit"] = time.perf_counter() - started
    return crime_import


def _record_failure(paths: Sequence[Path], refused: ImportRefused, actor: User | None) -> None:
    crime_import = CrimeImport.objects.create(
        source_name=", ".join(p.name for p in paths)[:500],
        format="api_json" if any(p.suffix.lower() == ".json" for p in paths) else "archive_csv",
        status=ImportStatus.FAILED,
        report={"errors": [p.as_dict() for p in refused.problems], "errors_total": refused.total},
        created_by=actor,
    )
    record(
        Action.IMPORT,
        obj=crime_import,
        actor=actor,
        export_count=0,
        detail={
            "refused": True,
            "problems": refused.total,
            "first": str(refused.problems[0]) if refused.problems else "",
        },
    )


def crime_import(
    *,
    paths: Sequence[Path],
    actor: User | None = None,
    allow_partial: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import data.police.uk street-level crime files (archive CSV, month folders, zips, or API JSON).

    Replaces the force's crimes and monthly counts for every month in the files, in one
    transaction, and writes an IMPORT audit event. ``dry_run`` checks everything and writes
    nothing. Raises :class:`ImportRefused` (file and row for each problem) if the files cannot
    be imported; the crime tables are then untouched and a failed ``CrimeImport`` keeps the report.
    """
    progress = progress or _no_progress
    with tempfile.TemporaryDirectory(prefix="socex-crime-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        try:
            con, result, force = read_crimes(paths, workdir=workdir, allow_partial=allow_partial, progress=progress)
        except ImportRefused as refused:
            if not dry_run:
                _record_failure(paths, refused, actor)
            raise
        result.timings["read_check_place"] = time.perf_counter() - started
        try:
            if not dry_run:
                result.crime_import = _write(con, result, force, actor, progress, workdir)
        finally:
            con.close()
    return result


def monthly_counts_from_files(paths: Sequence[Path]) -> dict[tuple[str, str], int]:
    """Crimes per (month, category) in the files, de-duplicated, without placing them in areas.

    For series from outside the force's geography (the Lambeth months used to test the
    seasonal model) and for cross-checks. Raises :class:`ImportRefused` like an import.
    """
    with tempfile.TemporaryDirectory(prefix="socex-crime-") as tmp:
        con = _connect()
        try:
            sources = collect_sources(paths, Path(tmp))
            load_raw(con, sources, _no_progress)
            _check_rows(con, sources.format)
            _refuse_bad_rows(con)
            _mark_duplicates(con, sources.format)
            rows = con.execute(
                "SELECT c.month, c.category, count(*) FROM checked c LEFT JOIN dups d USING (rid) "
                "WHERE coalesce(d.n, 1) = 1 GROUP BY ALL"
            ).fetchall()
        finally:
            con.close()
    return {(month, category): int(n) for month, category, n in rows}
