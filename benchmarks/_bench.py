"""What every benchmark script shares: a throwaway database and a description of the machine.

Run the scripts as ``python benchmarks/<name>.py`` (optionally under ``scripts/test-postgres.sh``);
Python puts this folder on the import path, so ``from _bench import ...`` finds this module.
"""

from __future__ import annotations

import contextlib
import os
import platform
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@contextlib.contextmanager
def throwaway_database() -> Iterator[str]:
    """Point the settings at a new, empty database; yield its vendor; remove it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        with tempfile.TemporaryDirectory(prefix="socex-bench-") as var_dir:
            os.environ.pop("DATABASE_URL", None)
            os.environ["SOCEX_VAR_DIR"] = var_dir
            yield "sqlite"
        return
    import psycopg

    name = f"socex_bench_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield "postgresql"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"
