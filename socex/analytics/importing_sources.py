"""Finding and reading data.police.uk files into one DuckDB table, ``raw``.

Two formats (DOMAIN.md §5.3):

* the archive's street-level CSVs (``YYYY-MM-<force>-street.csv``), given as single files,
  month folders or the monthly zip; in folders and zips the outcomes and stop-and-search files
  are left out (and listed as such);
* the API's JSON (``/crimes-street/...``): an array of crimes per request, with no force and
  no LSOA code.

``raw`` has one row per record: ``seq`` (its place in the order the files were read), ``file``
(as the report names it), ``row`` (as a spreadsheet numbers it: the CSV header is row 1; the
first JSON record is record 1), and the fields as text. Nothing here knows about areas or the
database: :mod:`socex.analytics.importing` checks, places and writes the rows.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

ARCHIVE_HEADER = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
# The other files in a data.police.uk archive month: not street-level crime.
OTHER_ARCHIVE_FILES = ("-outcomes.csv", "-stop-and-search.csv")
RAW_COLUMNS = (
    "seq",
    "file",
    "row",
    "record_id",
    "crime_id",
    "month",
    "reported_by",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "crime_type",
    "outcome",
)

Progress = Callable[[int, str], Any]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or skipped), named by file and row as a person would find it."""

    file: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        unit = "record" if self.file.lower().endswith(".json") else "row"
        where = self.file + (f", {unit} {self.row}" if self.row is not None else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "message": self.message}


class ImportRefused(Exception):
    """The files cannot be imported as they are; nothing was written."""

    def __init__(self, problems: Sequence[Problem], total: int | None = None) -> None:
        self.problems = list(problems)
        self.total = total if total is not None else len(self.problems)
        super().__init__(f"{self.total} problem(s); nothing was imported")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    name: str

    @property
    def kind(self) -> str:
        return "json" if self.path.suffix.lower() == ".json" else "csv"


@dataclass
class Sources:
    files: list[SourceFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def format(self) -> str:
        kinds = {f.kind for f in self.files}
        return "api_json" if kinds == {"json"} else "archive_csv"


def _wanted(name: str) -> bool | None:
    """In a folder or zip: True to read, False to ignore as another archive file, None if not data."""
    lower = name.lower()
    if lower.endswith(OTHER_ARCHIVE_FILES):
        return False
    if lower.endswith((".csv", ".json")):
        return True
    return None


def collect_sources(paths: Iterable[Path], workdir: Path) -> Sources:
    """The files to read, from files, folders (searched recursively) and zips (unpacked into ``workdir``).

    Raises :class:`ImportRefused` for a path that does not exist, a corrupt zip, a file type
    this import does not read, or nothing to import at all.
    """
    sources = Sources()
    problems: list[Problem] = []
    for number, path in enumerate(paths):
        if not path.exists():
            problems.append(Problem(str(path), "there is no file or folder here"))
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                _add(sources, child, str(child.relative_to(path.parent)), from_container=True)
        elif path.suffix.lower() == ".zip":
            problems += _unzip(sources, path, workdir / f"zip{number}")
        elif _wanted(path.name) is None:
            problems.append(
                Problem(path.name, "is not a .csv, .json or .zip file: give data.police.uk street-level files")
            )
        else:
            sources.files.append(SourceFile(path, path.name))
    if problems:
        raise ImportRefused(problems)
    if not sources.files:
        raise ImportRefused([Problem(", ".join(str(p) for p in paths), "holds no street-level crime files")])
    if len({f.kind for f in sources.files}) > 1:
        first_csv = next(f for f in sources.files if f.kind == "csv")
        first_json = next(f for f in sources.files if f.kind == "json")
        raise ImportRefused(
            [
                Problem(
                    first_json.name,
                    f"is API JSON but {first_csv.name} is an archive CSV: import one format at a time",
                )
            ]
        )
    return sources


def _add(sources: Sources, path: Path, name: str, *, from_container: bool) -> None:
    wanted = _wanted(path.name)
    if wanted:
        sources.files.append(SourceFile(path, name))
    elif from_container:
        sources.ignored.append(name)


def _unzip(sources: Sources, path: Path, target: Path) -> list[Problem]:
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
            if broken is not None:
                return [Problem(path.name, f"is corrupt: {broken} inside it fails its checksum")]
            target.mkdir(parents=True)
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.is_dir():
                    continue
                inner = Path(info.filename)
                if inner.is_absolute() or ".." in inner.parts:
                    return [Problem(path.name, f"holds a file with an unsafe path: {info.filename}")]
                if not _wanted(inner.name):
                    if _wanted(inner.name) is False:
                        sources.ignored.append(f"{path.name}!{info.filename}")
                    continue
                destination = target / inner
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, destination.open("wb") as out:
                    while chunk := source.read(1 << 20):
                        out.write(chunk)
                sources.files.append(SourceFile(destination, f"{path.name}!{info.filename}"))
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        return [Problem(path.name, f"is not a readable zip file ({error}); download it again")]
    return []


def load_raw(con: duckdb.DuckDBPyConnection, sources: Sources, progress: Progress) -> None:
    """Read every file into the DuckDB table ``raw``. Raises :class:`ImportRefused` for a file
    of the wrong format or a row that cannot be read, naming file and row."""
    if sources.format == "api_json":
        _load_json(con, sources.files, progress)
    else:
        _load_csv(con, sources.files, progress)


def _check_header(source: SourceFile) -> Problem | None:
    with source.path.open("rb") as handle:
        first = handle.readline()
    try:
        line = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        return Problem(source.name, "is not UTF-8 text: is it a data.police.uk CSV?", 1)
    header = tuple(part.strip().strip('"') for part in line.split(","))
    if header == ARCHIVE_HEADER:
        return None
    if not line:
        return Problem(source.name, "is empty", 1)
    hint = ""
    if "Object of search" in header or "Type" in header[:1]:
        hint = " (it looks like a stop-and-search file)"
    elif "Outcome type" in header:
        hint = " (it looks like an outcomes file)"
    return Problem(
        source.name,
        f"is not a data.police.uk street-level crime file{hint}: the header should be '{','.join(ARCHIVE_HEADER)}'",
        1,
    )


def _load_csv(con: duckdb.DuckDBPyConnection, files: Sequence[SourceFile], progress: Progress) -> None:
    bar = progress(len(files), "Checking files")
    problems = []
    for source in files:
        if problem := _check_header(source):
            problems.append(problem)
        bar.update(1)
    bar.close()
    if problems:
        raise ImportRefused(problems)
    names = {str(f.path): f.name for f in files}
    con.execute("CREATE TEMP TABLE file_names (path VARCHAR, name VARCHAR)")
    con.executemany("INSERT INTO file_names VALUES (?, ?)", list(names.items()))
    columns = dict.fromkeys(ARCHIVE_HEADER, "VARCHAR")
    bar = progress(1, "Reading CSV")
    # Every column as text: the checks that follow name each bad value; DuckDB's own rejects
    # table catches rows that are broken as CSV (too few or too many fields, bad quoting).
    con.execute(
        """
        CREATE TEMP TABLE csv_rows AS
        SELECT *, row_number() OVER () AS seq
        FROM read_csv(?, columns = ?, header = true, delim = ',', quote = '"', escape = '"',
                      filename = true, store_rejects = true, auto_detect = false)
        """,
        [[str(f.path) for f in files], columns],
    )
    bar.update(1)
    bar.close()
    rejects = con.execute(
        """
        SELECT s.file_path, min(e.line) AS line, any_value(e.error_type), any_value(e.error_message)
        FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)
        GROUP BY s.file_path, e.line ORDER BY s.file_path, line LIMIT 200
        """
    ).fetchall()
    if rejects:
        total = con.execute("SELECT count(DISTINCT (file_id, line)) FROM reject_errors").fetchone()
        raise ImportRefused(
            [
                Problem(names.get(path, path), f"cannot be read as CSV ({kind.lower()}: {message.strip()})", int(line))
                for path, line, kind, message in rejects
            ],
            total=int(total[0]) if total else len(rejects),
        )
    # Rows are numbered as a spreadsheet shows them: header row 1, first record row 2. Each
    # file's rows are consecutive in ``seq``, so a row's number is its distance from the file's first.
    # A view, not a table: the checks read it once into their own table, so the rows are copied once.
    con.execute(
        """
        CREATE TEMP VIEW raw AS
        WITH starts AS (SELECT filename, min(seq) AS first_seq FROM csv_rows GROUP BY filename)
        SELECT c.seq, n.name AS file,
               (c.seq - s.first_seq + 2)::INTEGER AS row,
               NULL::VARCHAR AS record_id,
               coalesce(trim("Crime ID"), '') AS crime_id,
               coalesce(trim("Month"), '') AS month,
               coalesce(trim("Reported by"), '') AS reported_by,
               coalesce(trim("Longitude"), '') AS longitude,
               coalesce(trim("Latitude"), '') AS latitude,
               coalesce("Location", '') AS location,
               coalesce(trim("LSOA code"), '') AS lsoa_code,
               coalesce(trim("Crime type"), '') AS crime_type,
               coalesce("Last outcome category", '') AS outcome
        FROM csv_rows c JOIN starts s USING (filename) JOIN file_names n ON n.path = c.filename
        """
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _load_json(con: duckdb.DuckDBPyConnection, files: Sequence[SourceFile], progress: Progress) -> None:
    import pyarrow as pa

    data: dict[str, list[Any]] = {name: [] for name in RAW_COLUMNS}
    problems: list[Problem] = []
    bar = progress(len(files), "Reading JSON")
    for source in files:
        try:
            records = json.loads(source.path.read_bytes())
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(Problem(source.name, f"is not valid JSON ({error})"))
            bar.update(1)
            continue
        if not isinstance(records, list):
            problems.append(
                Problem(source.name, "is not data.police.uk API JSON: it should be a list of crimes (a JSON array)")
            )
            bar.update(1)
            continue
        for number, record in enumerate(records, start=1):
            if not isinstance(record, dict) or not {"category", "month", "location", "id"} <= record.keys():
                problems.append(
                    Problem(
                        source.name,
                        "is not a data.police.uk crime record: it needs category, month, location and id",
                        number,
                    )
                )
                if len(problems) >= 200:
                    break
                continue
            location = record.get("location") or {}
            street = location.get("street") or {} if isinstance(location, dict) else {}
            outcome = record.get("outcome_status") or {}
            data["seq"].append(len(data["seq"]) + 1)
            data["file"].append(source.name)
            data["row"].append(number)
            data["record_id"].append(_text(record.get("id")))
            data["crime_id"].append(_text(record.get("persistent_id")))
            data["month"].append(_text(record.get("month")))
            data["reported_by"].append("")
            data["longitude"].append(_text(location.get("longitude")) if isinstance(location, dict) else "")
            data["latitude"].append(_text(location.get("latitude")) if isinstance(location, dict) else "")
            data["location"].append(_text(street.get("name")) if isinstance(street, dict) else "")
            data["lsoa_code"].append("")
            data["crime_type"].append(_text(record.get("category")))
            data["outcome"].append(_text(outcome.get("category")) if isinstance(outcome, dict) else "")
        bar.update(1)
    bar.close()
    if problems:
        raise ImportRefused(problems[:200], total=len(problems))
    table = pa.table(
        {
            name: pa.array(values, type=pa.int64() if name in ("seq", "row") else pa.string())
            for name, values in data.items()
        }
    )
    con.register("json_rows", table)
    con.execute("CREATE TEMP TABLE raw AS SELECT * FROM json_rows")
    con.unregister("json_rows")
