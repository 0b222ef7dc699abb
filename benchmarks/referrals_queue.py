"""Server time of the referral pages with 100,000 referrals: the triage queue (first page, a deep
page, breaches only), the referrals dashboard, My referrals and the home page.

In a throwaway database it creates and drops itself, it loads the West Midlands geography, then
bulk-inserts referrals straight into the tables (as a generator or import would): by default
100,000 referrals from 20 agencies over two years, 10% awaiting triage, 5% drafts, the rest
triaged (signposted or no further action), each about one of 5,000 people. Each page is warmed up
and then requested ``--runs`` times through Django's test client in process (middleware, access
rules, audit writes, queries and templates). It reports p50 and p95. The baseline, in the same
run: the same pages with the referrals app's own indexes dropped.

    bash scripts/test-postgres.sh .venv/bin/python benchmarks/referrals_queue.py

Without a PostgreSQL ``DATABASE_URL`` it runs on SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

from _bench import machine, throwaway_database

REPO = Path(__file__).resolve().parent.parent
INDEXES = ("referral_queue", "referral_agency", "referral_submitted", "referral_triaged")
LEVELS = ("significant", "at_risk", "none")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the queue query's plan (PostgreSQL)")
    return parser.parse_args()


def load(count: int) -> dict[str, object]:
    """Bulk-insert the people and referrals; return the users the pages are timed as."""
    from django.db import transaction
    from django.utils import timezone

    from socex.accounts.models import OrganisationType
    from socex.areas.models import LPA
    from socex.core.testing.factories import OrganisationFactory, UserFactory, make_west_midlands
    from socex.people.models import Person
    from socex.referrals.models import Referral, ReferralSubject

    rng = random.Random(2026)
    make_west_midlands()
    lpas = list(LPA.objects.all())
    police = OrganisationFactory(name="West Midlands Police", org_type=OrganisationType.POLICE)
    agencies = [
        OrganisationFactory(name=f"Agency {n}", org_type=OrganisationType.EARLY_HELP, lpa=lpas[n % len(lpas)])
        for n in range(20)
    ]
    officer = UserFactory(email="officer@bench.example", organisation=police, roles=["hub-officer"])
    referrers = [
        UserFactory(email=f"referrer{n}@bench.example", organisation=agency, roles=["partner-practitioner"])
        for n, agency in enumerate(agencies)
    ]
    people = Person.objects.bulk_create(
        Person(given_name=f"Child{n}", family_name="Bench", owner=agencies[n % 20]) for n in range(5_000)
    )
    now = timezone.now()
    batch: list[Referral] = []
    subjects: list[ReferralSubject] = []
    for n in range(count):
        roll = rng.random()
        referrer = rng.choice(referrers)
        created = now - dt.timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
        status = "submitted" if roll < 0.10 else "draft" if roll < 0.15 else "triaged"
        if status == "submitted":
            created = now - dt.timedelta(minutes=rng.randint(0, 14 * 24 * 60))
        submitted = None if status == "draft" else created + dt.timedelta(minutes=30)
        triaged = status == "triaged"
        level = rng.choice(LEVELS)
        referral = Referral(
            id=uuid.uuid4(),
            reference=None if status == "draft" else f"REF-{created.year}-{n + 1:06d}",
            status=status,
            referrer=referrer,
            referrer_agency=referrer.organisation,
            lpa=referrer.organisation.lpa,
            exploitation_types=["cce"],
            concern_summary="Benchmark referral",
            tool_version="1",
            suggested_level=level,
            confirmed_level=level,
            child_aware="yes",
            family_aware="no",
            immediate_risks="None known",
            created_at=created,
            updated_at=created,
            submitted_at=submitted,
            triage_outcome=rng.choice(("signposted", "no_further_action")) if triaged else "",
            triage_reason="Benchmark decision" if triaged else "",
            signposted_to="CAMHS" if triaged else "",
            triaged_by=officer if triaged else None,
            triaged_at=submitted + dt.timedelta(hours=rng.randint(1, 72)) if triaged and submitted else None,
        )
        batch.append(referral)
        subjects.append(ReferralSubject(referral_id=referral.id, person=rng.choice(people), added_at=created))
        if len(batch) == 5_000:
            with transaction.atomic():
                Referral.objects.bulk_create(batch)
                ReferralSubject.objects.bulk_create(subjects)
            batch, subjects = [], []
    with transaction.atomic():
        Referral.objects.bulk_create(batch)
        ReferralSubject.objects.bulk_create(subjects)
    return {"officer": officer, "partner": referrers[0]}


def time_pages(users: dict[str, object], runs: int) -> dict[str, tuple[float, float]]:
    from django.test import Client

    from socex.referrals.models import Referral

    waiting = Referral.objects.filter(status="submitted").count()
    deep = max(1, waiting // 50 - 1)
    pages = [
        ("Triage queue, first page", "officer", "/referrals/queue/"),
        (f"Triage queue, page {deep}", "officer", f"/referrals/queue/?page={deep}"),
        ("Triage queue, over target only", "officer", "/referrals/queue/?breach=over"),
        ("Referrals dashboard (hub, by week)", "officer", "/referrals/dashboard/"),
        ("Referrals dashboard (hub, by month)", "officer", "/referrals/dashboard/?period=month"),
        ("Home page (hub officer)", "officer", "/"),
        ("My referrals (partner)", "partner", "/referrals/mine/"),
    ]
    results = {}
    for label, who, url in pages:
        client = Client()
        client.force_login(users[who])
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        results[label] = (statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)])
    return results


def drop_indexes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE referrals_referral")


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(REPO))
    os.environ["SOCEX_MODE"] = "test"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with throwaway_database() as vendor:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        users = load(args.referrals)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"Loaded {args.referrals:,} referrals in {time.perf_counter() - started:.0f} s on {vendor}")
        print(f"Machine: {machine()}")
        if args.explain and connection.vendor == "postgresql":
            from socex.referrals.triage import queue_for

            print(queue_for(users["officer"])[:50].explain(analyze=True))
        indexed = time_pages(users, args.runs)
        baseline = {} if args.no_baseline else (drop_indexes() or time_pages(users, args.runs))
        print(f"\n| page | p50 ms | p95 ms |{' p50 without indexes | p95 without indexes |' if baseline else ''}")
        print(f"|---|---|---|{'---|---|' if baseline else ''}")
        for label, (p50, p95) in indexed.items():
            extra = ""
            if baseline:
                b50, b95 = baseline[label]
                extra = f" {b50:.1f} | {b95:.1f} ({b95 / p95:.1f}x) |"
            print(f"| {label} | {p50:.1f} | {p95:.1f} |{extra}")


if __name__ == "__main__":
    main()
