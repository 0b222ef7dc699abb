"""A database holding a synthetic person index, shared by the people benchmarks.

:func:`open_index` points Django at a database (SQLite by default; PostgreSQL when
``DATABASE_URL`` names a server), migrates it, and fills it with ``count`` synthetic records
from :class:`socex.people.synth.Population` through ``people_bulk_create``, the path
``manage.py synth_people`` takes. It returns which person id holds which record, so benchmarks
can check answers against the ground truth.

With ``reuse=True`` the database is kept (SQLite: a file under ``var/bench/``; PostgreSQL: a
database named after the parameters on the server ``DATABASE_URL`` names) and a later run with
the same parameters skips the load. Without it, SQLite lives in a temporary folder and the
PostgreSQL database is dropped afterwards. Never touches ``var/socex.sqlite3`` or the database
``DATABASE_URL`` itself names.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "var" / "bench"


@dataclass
class IndexInfo:
    vendor: str
    version: str
    count: int
    first_id: int
    entities: array  # entities[position] = ground-truth person of the record with id first_id + position
    load_seconds: float | None  # None when reused

    def entity_of(self, person_id: int) -> int:
        return self.entities[person_id - self.first_id]

    def ids_by_entity(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for position, entity in enumerate(self.entities):
            found.setdefault(entity, []).append(self.first_id + position)
        return found


def tag_for(count: int, duplicate_rate: float, seed: int, balanced: bool) -> str:
    return f"{count}-r{duplicate_rate:g}-s{seed}{'-balanced' if balanced else ''}".replace(".", "_")


@contextlib.contextmanager
def _database(tag: str, reuse: bool) -> Iterator[tuple[str, Path]]:
    """Point DATABASE_URL at the benchmark database; yield (vendor, folder for side files)."""
    url = os.environ.get("DATABASE_URL", "")
    os.environ["SOCEX_MODE"] = "demo"
    os.environ["DEBUG"] = "0"  # no debug cursor wrapper: it would time Django's query log, not ours
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not url.startswith(("postgres://", "postgresql://")):
        if reuse:
            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / f'people-{tag}.sqlite3'}"
            yield "sqlite", BENCH_DIR
            return
        with tempfile.TemporaryDirectory(prefix="socex-bench-") as folder:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'people.sqlite3'}"
            yield "sqlite", Path(folder)
        return
    import psycopg

    name = "socex_bench_people_" + re.sub(r"[^a-z0-9_]", "_", tag.lower())
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            admin.execute(f'DROP DATABASE "{name}"')
        if not exists or not reuse:
            admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    side = BENCH_DIR if reuse else Path(tempfile.mkdtemp(prefix="socex-bench-"))
    side.mkdir(parents=True, exist_ok=True)
    try:
        yield "postgresql", side
    finally:
        if not reuse:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextlib.contextmanager
def open_index(
    *,
    count: int,
    duplicate_rate: float,
    seed: int,
    origin_weights: Mapping[str, float] | None = None,
    reuse: bool = False,
    progress: bool = True,
    via_service: bool = False,
) -> Iterator[IndexInfo]:
    """A migrated database holding ``count`` synthetic records; see the module docstring."""
    balanced = origin_weights is not None
    tag = tag_for(count, duplicate_rate, seed, balanced)
    with _database(tag, reuse) as (vendor, side):
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        version = (
            connection.Database.sqlite_version if vendor == "sqlite" else str(connection.pg_version)  # type: ignore[attr-defined]
        )
        meta_path = side / f"people-{tag}-{vendor}.json"
        entities_path = side / f"people-{tag}-entities.bin"
        info = _reused(meta_path, entities_path, vendor, version, count) if reuse else None
        if info is None:
            info = _load(vendor, version, count, duplicate_rate, seed, origin_weights, progress, via_service)
            meta_path.write_text(json.dumps({"count": count, "first_id": info.first_id}))
            with entities_path.open("wb") as handle:
                info.entities.tofile(handle)
        yield info


def _reused(meta_path: Path, entities_path: Path, vendor: str, version: str, count: int) -> IndexInfo | None:
    from socex.people.models import Person

    if not (meta_path.exists() and entities_path.exists()) or Person.objects.count() != count:
        return None
    meta = json.loads(meta_path.read_text())
    entities = array("l")
    with entities_path.open("rb") as handle:
        entities.fromfile(handle, count)
    return IndexInfo(vendor, version, count, meta["first_id"], entities, None)


def _load(
    vendor: str,
    version: str,
    count: int,
    duplicate_rate: float,
    seed: int,
    origin_weights: Mapping[str, float] | None,
    progress: bool,
    via_service: bool,
) -> IndexInfo:
    from django.db import connection
    from tqdm import tqdm

    from socex.accounts.models import Organisation, OrganisationType
    from socex.people.models import Person
    from socex.people.services import people_bulk_create
    from socex.people.synth import Population

    if Person.objects.exists():
        # A half-built database from an interrupted run: start again.
        with connection.cursor() as cursor:
            for table in ("people_matchkey", "people_holding", "people_email", "people_phone", "people_address",
                          "people_identifier", "people_alias", "people_person"):  # fmt: skip
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    owner, _ = Organisation.objects.get_or_create(
        name="West Midlands Police", defaults={"org_type": OrganisationType.POLICE}
    )
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            # Load speed only: a benchmark database that a crash would simply rebuild.
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
    population = Population(seed=seed, duplicate_rate=duplicate_rate, origin_weights=origin_weights)
    entities = array("l")

    def rows() -> Iterator[tuple[object, dict[str, str]]]:
        for record in population.stream(count):
            entities.append(record.entity)
            yield record.details, record.profile

    started = time.perf_counter()
    with tqdm(total=count, desc="Loading synthetic people", unit=" people", disable=not progress) as bar:
        if via_service:
            people_bulk_create(rows(), owner=owner, batch_size=5_000, progress=lambda done: bar.update(done - bar.n))
        else:
            fast_load(rows(), owner_id=owner.pk, progress=lambda done: bar.update(done - bar.n))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    first_id = Person.objects.order_by("id").values_list("id", flat=True).first() or 1
    info = IndexInfo(vendor, version, count, first_id, entities, seconds)
    _check_order(info, population)
    return info


def _check_order(info: IndexInfo, population: object) -> None:
    """Person ids follow the order records were written in: check a spread of them."""
    from socex.people.models import Person

    step = max(info.count // 50, 1)
    positions = list(range(0, info.count, step))
    names = dict(
        Person.objects.filter(id__in=[info.first_id + p for p in positions]).values_list("id", "date_of_birth")
    )
    for position in positions:
        records = population.records_of(info.entities[position])  # type: ignore[attr-defined]
        dobs = {r.details.date_of_birth for r in records}
        if names.get(info.first_id + position) not in dobs:
            raise SystemExit(f"Person ids do not follow the load order (position {position}); cannot check answers.")


def fast_load(
    rows: Iterable[tuple[Any, Mapping[str, str]]], *, owner_id: Any, progress: Any, batch: int = 5_000
) -> int:
    """The rows ``people_bulk_create`` would write, written with plain ``executemany``.

    Django's ``bulk_create`` spends most of its time building model instances and SQL (about
    1 ms a person on this machine); this writes the same tables, columns and blocking keys
    (``keys.index_keys``) about five times faster, so a million-person index loads in minutes.
    Person ids are given explicitly, in row order.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from socex.people.keys import index_keys
    from socex.people.models import Address, Alias, Email, Holding, Identifier, MatchKey, Person, Phone

    now = timezone.now()
    db_now = Person._meta.get_field("created_at").get_db_prep_value(now, connection)
    date_field = Person._meta.get_field("date_of_birth")
    owner_id = Person._meta.get_field("owner").get_db_prep_value(owner_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {Person._meta.db_table}")  # noqa: S608
        next_id = (cursor.fetchone()[0] or 0) + 1
    written = 0
    chunk: list[tuple[Any, Mapping[str, str]]] = []

    def flush() -> None:
        nonlocal next_id, written
        tables: dict[type, list[tuple[Any, ...]]] = {
            m: [] for m in (Person, Alias, Identifier, Address, Phone, Email, Holding, MatchKey)
        }
        for details, profile in chunk:
            pid = next_id
            next_id += 1
            dob = date_field.get_db_prep_value(details.date_of_birth, connection)
            precision = details.dob_precision or ("exact" if details.date_of_birth else "")
            tables[Person].append((pid, details.given_name, details.middle_names, details.family_name,
                                   details.preferred_name, dob, precision, profile.get("gender") or "unknown",
                                   profile.get("ethnicity") or "NS", profile.get("nationality", ""),
                                   owner_id, db_now, db_now))  # fmt: skip
            tables[Alias].extend((pid, db_now, "alias", g, f) for g, f in details.aliases)
            tables[Identifier].extend((pid, db_now, k, v) for k, v in details.identifiers)
            tables[Address].extend((pid, db_now, pc) for pc in details.postcodes)
            tables[Phone].extend((pid, db_now, n) for n in details.phones)
            tables[Email].extend((pid, db_now, a) for a in details.emails)
            tables[Holding].append((pid, db_now, owner_id))
            tables[MatchKey].extend((pid, key) for key in sorted(index_keys(details)))
        sql = {
            Person: ("id, given_name, middle_names, family_name, preferred_name, date_of_birth, dob_precision, "
                     "gender, ethnicity, nationality, owner_id, created_at, updated_at, gender_self_described, "
                     "ethnicity_self_described, notes", 13, ", '', '', ''"),
            Alias: ("person_id, created_at, kind, given_name, family_name", 5, ""),
            Identifier: ("person_id, created_at, kind, value, issued_by", 4, ", ''"),
            Address: ("person_id, created_at, postcode, line_1, line_2, town", 3, ", '', '', ''"),
            Phone: ("person_id, created_at, number, label", 3, ", ''"),
            Email: ("person_id, created_at, address", 3, ""),
            Holding: ("person_id, created_at, organisation_id, local_reference", 3, ", ''"),
            MatchKey: ("person_id, key", 2, ""),
        }  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            for model, values in tables.items():
                if not values:
                    continue
                columns, n, constants = sql[model]
                quoted = ", ".join(connection.ops.quote_name(c.strip()) for c in columns.split(","))
                placeholders = ", ".join(["%s"] * n) + constants
                cursor.executemany(
                    f"INSERT INTO {model._meta.db_table} ({quoted}) VALUES ({placeholders})",  # noqa: S608
                    values,
                )
        written += len(chunk)
        chunk.clear()
        progress(written)

    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{Person._meta.db_table}', 'id'), %s)",
                [next_id - 1],
            )
    return written
