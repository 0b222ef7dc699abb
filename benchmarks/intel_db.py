"""A database holding synthetic intelligence, shared by the intelligence benchmarks.

:func:`open_intel` points Django at a database (SQLite by default; PostgreSQL when
``DATABASE_URL`` names a server), migrates it, adds the West Midlands areas, a police force with
a team and an intelligence analyst, and fills it with ``manage.py synth_intel`` (COPY on
PostgreSQL, ``executemany`` on SQLite; the full-text index is kept by the database as rows go
in). With ``reuse=True`` the database is kept (SQLite: ``var/bench/intel-<tag>.sqlite3``;
PostgreSQL: a database named after the sizes on the server ``DATABASE_URL`` names) and a later
run with the same sizes skips the load, so the search and network benchmarks can share one
load. Never touches ``var/socex.sqlite3`` or the database ``DATABASE_URL`` itself names.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "var" / "bench"
sys.path.insert(0, str(REPO))


@dataclass
class IntelDb:
    vendor: str
    version: str
    reports: int
    entities: int
    links: int
    load_seconds: float | None  # None when reused
    size_bytes: int | None
    analyst: Any


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    return f"{os.cpu_count()} CPUs ({model}){memory}, Python {platform.python_version()}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def tag_for(reports: int, entities: int, links: int, seed: int) -> str:
    return f"r{reports}-e{entities}-l{links}-s{seed}"


@contextlib.contextmanager
def _database(tag: str, reuse: bool) -> Iterator[tuple[str, Path | None]]:
    """Point DATABASE_URL at the benchmark database; yield (vendor, SQLite file or None)."""
    url = os.environ.get("DATABASE_URL", "")
    os.environ["SOCEX_MODE"] = "demo"
    os.environ["DEBUG"] = "0"  # no debug cursor wrapper: it would time Django's query log, not ours
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not url.startswith(("postgres://", "postgresql://")):
        if reuse:
            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            path = BENCH_DIR / f"intel-{tag}.sqlite3"
            os.environ["DATABASE_URL"] = f"sqlite:///{path}"
            yield "sqlite", path
            return
        folder = Path(tempfile.mkdtemp(prefix="socex-bench-intel-"))
        path = folder / "intel.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        try:
            yield "sqlite", path
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg

    name = "socex_bench_intel_" + re.sub(r"[^a-z0-9_]", "_", tag.lower())
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            admin.execute(f'DROP DATABASE "{name}"')
        if not exists or not reuse:
            admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield "postgresql", None
    finally:
        if not reuse:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextlib.contextmanager
def open_intel(*, reports: int, entities: int, links: int, seed: int = 0, reuse: bool = False) -> Iterator[IntelDb]:
    tag = tag_for(reports, entities, links, seed)
    with _database(tag, reuse) as (vendor, sqlite_path):
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        try:
            call_command("migrate", verbosity=0)
        except Exception as error:  # e.g. another app's migrations were rewritten since the last run
            if reuse:
                raise SystemExit(
                    f"The kept benchmark database cannot be migrated ({error}): delete it "
                    "(var/bench/intel-*.sqlite3, or the socex_bench_intel_* database) and run again."
                ) from error
            raise
        version = (
            connection.Database.sqlite_version if vendor == "sqlite" else str(connection.pg_version)  # type: ignore[attr-defined]
        )
        analyst = _people()
        from socex.intelligence.models import Entity, Link, Report

        counts = (Report.objects.count(), Entity.objects.count(), Link.objects.count())
        load_seconds = None
        if counts != (reports, entities, links):
            if any(counts):
                raise SystemExit(
                    f"The benchmark database holds {counts} (reports, entities, links), not what was asked: "
                    "delete it (var/bench/intel-*.sqlite3) or run without --reuse."
                )
            if vendor == "sqlite":
                with connection.cursor() as cursor:
                    # Load speed only: a benchmark database that a crash would simply rebuild.
                    cursor.execute("PRAGMA synchronous=OFF")
                    cursor.execute("PRAGMA cache_size=-1000000")
            started = time.perf_counter()
            call_command(
                "synth_intel",
                reports=reports,
                entities=entities,
                links=links,
                seed=seed,
                batch=20_000,
                owner="West Midlands Police",
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            load_seconds = time.perf_counter() - started
        size = None
        if vendor == "sqlite" and sqlite_path is not None and sqlite_path.exists():
            size = sqlite_path.stat().st_size
        elif vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database())")
                size = int(cursor.fetchone()[0])
        yield IntelDb(vendor, version, reports, entities, links, load_seconds, size, analyst)


def _people() -> Any:
    """The force, its areas, a Birmingham hub team and the analyst whose queries are timed."""
    from socex.accounts.models import Organisation, OrganisationType, Role, Team, User
    from socex.areas.models import Hub
    from socex.core.testing.factories import make_west_midlands

    make_west_midlands()
    wmp, _ = Organisation.objects.get_or_create(
        name="West Midlands Police", defaults={"org_type": OrganisationType.POLICE}
    )
    # Reports restricted to this team (about 2%) are hidden from the analyst, who is in no team,
    # so every timed query applies the restricted-team rule for real.
    Team.objects.get_or_create(
        organisation=wmp, name="Birmingham hub team", defaults={"hub": Hub.objects.get(code="birmingham")}
    )
    analyst = User.objects.filter(email="bench.analyst@police.example").first()
    if analyst is None:
        analyst = User(email="bench.analyst@police.example", full_name="Benchmark Analyst", organisation=wmp)
        analyst.set_unusable_password()
        analyst.save()
        analyst.roles.set(Role.objects.filter(code="intelligence-analyst"))
    return analyst
