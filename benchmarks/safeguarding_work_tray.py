"""Server time of the safeguarding work trays, the overdue-by-agency page and the home page with
200,000 actions, and what the action indexes are worth.

In a throwaway database it creates and removes itself, it bulk-loads ``--cases`` cases (a share
of them shared with Walsall Early Help in the sharing ledger) and ``--actions`` actions over 21
agencies (about half open, due dates spread two months either side of today), then times each
page through Django's test client, in process (middleware, access rules, queries and templates:
everything but the network), ``--runs`` times per page, and reports the median and 95th
percentile. The baseline, measured in the same run: the same pages with the four action
indexes dropped.

SQLite by default (a file in a temporary directory). If ``DATABASE_URL`` points at PostgreSQL,
a temporary database is created on that server and dropped after:

    bash scripts/test-postgres.sh .venv/bin/python benchmarks/safeguarding_work_tray.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

from _bench import machine, throwaway_database

REPO = Path(__file__).resolve().parent.parent
INDEXES = (
    "action_agency_status_due",
    "action_owner_status_due",
    "action_open_agency_due",
    "action_open_owner_due",
    "action_case_status_due",
    "action_open_due",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--actions", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the run without indexes")
    parser.add_argument("--profile", action="store_true", help="list each page's queries and their times")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(REPO))
    os.environ["SOCEX_MODE"] = "test"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with throwaway_database() as vendor:
        import django

        django.setup()
        run(args, vendor)


def load(args: argparse.Namespace) -> dict[str, object]:
    """The data: organisations, two users, cases, shares and actions, bulk-inserted."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from socex.accounts.models import OrganisationType, Role
    from socex.areas.models import LPA
    from socex.cases.models import Case
    from socex.core.testing.factories import OrganisationFactory, UserFactory, make_west_midlands
    from socex.safeguarding.models import Action
    from socex.sharing.models import LegalBasis, Share

    rng = random.Random(2026)
    make_west_midlands()
    lpas = list(LPA.objects.all())
    police = OrganisationFactory(name="West Midlands Police", org_type=OrganisationType.POLICE)
    walsall = OrganisationFactory(name="Walsall Council Early Help", org_type=OrganisationType.EARLY_HELP)
    partners = [walsall] + [
        OrganisationFactory(name=f"Partner agency {n}", org_type=OrganisationType.EARLY_HELP) for n in range(19)
    ]
    assert Role.objects.filter(code="hub-officer").exists()
    officer = UserFactory(email="officer@police.example", organisation=police, roles=["hub-officer"])
    partner = UserFactory(email="jo@walsall.example", organisation=walsall, roles=["partner-practitioner"])
    now = timezone.now()
    year = timezone.localdate().year
    cases = [
        Case(
            reference=f"CASE-{year}-{n:06d}",
            lead_agency=police if rng.random() < 0.8 else rng.choice(partners),
            lpa=rng.choice(lpas),
            opened_at=now - dt.timedelta(days=rng.randint(0, 1500)),
        )
        for n in range(1, args.cases + 1)
    ]
    Case.objects.bulk_create(cases, batch_size=5_000)
    ids = list(Case.objects.values_list("pk", flat=True))
    shared = rng.sample(ids, k=max(1, len(ids) // 50))  # 2% shared with Walsall Early Help
    basis = LegalBasis.objects.first()
    case_type = ContentType.objects.get_for_model(Case)
    until = timezone.localdate() + dt.timedelta(days=60)
    Share.objects.bulk_create(
        [
            Share(
                reference=f"SHR-{year}-{n:06d}", content_type=case_type, object_id=str(pk), object_repr=f"case {pk}",
                organisation=walsall, legal_basis=basis, scope="Benchmark", shared_by=officer,
                shared_by_organisation=police, shared_at=now - dt.timedelta(days=1), until=until,
            )
            for n, pk in enumerate(shared, start=1)
        ],
        batch_size=5_000,
    )  # fmt: skip
    walsall_cases = shared + list(Case.objects.filter(lead_agency=walsall).values_list("pk", flat=True))
    today = timezone.localdate()
    batch: list[Action] = []
    for n in range(1, args.actions + 1):
        # Walsall owns about 5% of actions (on cases it can see), the police 40%, the rest the others.
        roll = rng.random()
        if roll < 0.05:
            agency, case_id = walsall, rng.choice(walsall_cases)
        elif roll < 0.45:
            agency, case_id = police, rng.choice(ids)
        else:
            agency, case_id = rng.choice(partners[1:]), rng.choice(ids)
        owner = (
            officer
            if agency is police and rng.random() < 0.004
            else partner
            if agency is walsall and rng.random() < 0.1
            else None
        )
        status = rng.choices(["open", "in_progress", "done", "cancelled"], weights=[45, 10, 40, 5])[0]
        closed = status in ("done", "cancelled")
        batch.append(
            Action(
                reference=f"ACT-{year}-{n:06d}", case_id=case_id, description="Benchmark action: home visit",
                owner_agency=agency, owner=owner, due_date=today + dt.timedelta(days=rng.randint(-60, 60)),
                status=status, completed_at=now if closed else None, completion_note="Done" if closed else "",
            )
        )  # fmt: skip
        if len(batch) == 10_000:
            Action.objects.bulk_create(batch)
            batch = []
    Action.objects.bulk_create(batch)
    return {"officer": officer, "partner": partner}


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


PAGES = [
    ("My actions (hub officer)", "officer", "/safeguarding/"),
    ("Agency tray (police)", "officer", "/safeguarding/agency/"),
    ("Agency tray, overdue filter (police)", "officer", "/safeguarding/agency/?state=overdue"),
    ("Agency tray (Walsall partner)", "partner", "/safeguarding/agency/"),
    ("All actions (Walsall partner)", "partner", "/safeguarding/actions/"),
    ("Overdue by agency (police: all open)", "officer", "/safeguarding/overdue/"),
    ("Home page with the panel (police)", "officer", "/"),
    ("Home page with the panel (partner)", "partner", "/"),
]


def _clients(users: dict[str, object]) -> dict[str, object]:
    from django.test import Client

    clients = {}
    for key, user in users.items():
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        clients[key] = client
    return clients


def profile(users: dict[str, object]) -> None:
    """Each page's queries, slowest first, with their times (one request each, after a warm-up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = _clients(users)
    for label, who, url in PAGES:
        clients[who].get(url)  # type: ignore[attr-defined]
        with CaptureQueriesContext(connection) as captured:
            clients[who].get(url)  # type: ignore[attr-defined]
        queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        total = sum(float(q["time"]) for q in queries) * 1000
        print(f"\n{label}: {len(queries)} queries, {total:.0f} ms in the database")
        for query in queries[:5]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        if os.environ.get("CPROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(clients[who].get, url)  # type: ignore[attr-defined]
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        if os.environ.get("EXPLAIN") and connection.vendor == "postgresql":
            for query in queries[:2]:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN ANALYZE {query['sql']}")
                    print("\n".join(f"      {row[0][:160]}" for row in cursor.fetchall()))


def measure(users: dict[str, object], runs: int) -> dict[str, tuple[float, float, int]]:
    clients = _clients(users)
    results = {}
    for label, who, url in PAGES:
        client = clients[who]
        assert client.get(url).status_code == 200, url  # type: ignore[attr-defined]
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        results[label] = (statistics.median(times), p95, len(response.content))
    return results


def drop_indexes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX {name}")


def run(args: argparse.Namespace, vendor: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"Database: {vendor} {connection.pg_version if vendor == 'postgresql' else ''}".strip())
    print(f"Machine: {machine()}")
    started = time.perf_counter()
    users = load(args)
    analyse()
    print(f"Loaded {args.cases:,} cases and {args.actions:,} actions in {time.perf_counter() - started:.0f} s")
    if args.profile:
        profile(users)
        return
    with_indexes = measure(users, args.runs)
    baseline = {}
    if not args.no_baseline:
        drop_indexes()
        analyse()
        baseline = measure(users, args.runs)
    print(f"\n{'page':45} {'p50 ms':>8} {'p95 ms':>8}" + ("  no-index p50  p95   p50 ratio" if baseline else ""))
    for label, (p50, p95, _) in with_indexes.items():
        line = f"{label:45} {p50:8.1f} {p95:8.1f}"
        if baseline:
            b50, b95, _ = baseline[label]
            line += f"  {b50:12.1f} {b95:5.1f}  {b50 / p50:8.1f}x"
        print(line)


if __name__ == "__main__":
    main()
