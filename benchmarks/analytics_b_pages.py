"""Issue 8 speed target for part B of analytics: each page (threat-risk ranking, "what if", hub
siting, internal figures, area briefing and its PDF, the ranking API) with a force's worth of
data loaded. Target: p95 <= 500 ms.

In a throwaway database it creates and drops itself, it loads the real West Midlands geography
(``load_reference``: 7 LPAs, 1,719 LSOAs), then:

* 36 months of street crime as the monthly aggregates the import keeps (``CrimeCount`` per
  month, LSOA and category, and ``CrimeLPAMonth`` per LPA, which these pages read), drawn
  (Poisson) to about ``--crimes`` crimes in all with the police.uk category mix, each LSOA's
  share following its residents times a random factor, and a summer peak. (Importing the
  street-level rows themselves is part A's benchmark; these pages never read ``Crime``.)
* cases and referrals from the case-work generator (``socex.cases.synth``), intelligence reports
  and NRM referrals by bulk insert, and hub teams with detectives and non-detectives.

Each page is warmed up, then requested ``--runs`` times through Django's test client in process
(middleware, access, queries, the stability check's 500 trials, templates, PDF). The baseline,
measured in the same run: the areas list page (reference data only).

    bash scripts/test-postgres.sh .venv/bin/python benchmarks/analytics_b_pages.py

Without a PostgreSQL ``DATABASE_URL`` it runs on SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _bench import machine, throwaway_database

REPO = Path(__file__).resolve().parent.parent
P95_TARGET_MS = 500
# Rough police.uk category mix (share of all street crime and ASB).
MIX = {
    "violent-crime": 0.34,
    "anti-social-behaviour": 0.14,
    "vehicle-crime": 0.08,
    "other-theft": 0.07,
    "criminal-damage-arson": 0.07,
    "public-order": 0.08,
    "burglary": 0.05,
    "shoplifting": 0.06,
    "other-crime": 0.02,
    "drugs": 0.02,
    "robbery": 0.02,
    "theft-from-the-person": 0.02,
    "possession-of-weapons": 0.01,
    "bicycle-theft": 0.02,
}
SHAPE = [0.95, 0.88, 0.97, 0.98, 1.04, 1.05, 1.12, 1.09, 1.01, 1.03, 0.98, 0.90]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crimes", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--intelligence", type=int, default=200_000)
    parser.add_argument("--nrm", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=20, help="requests per page (default 20)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(REPO))
    os.environ["SOCEX_MODE"] = "test"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with throwaway_database() as vendor, tempfile.TemporaryDirectory(prefix="socex-bench-docs-") as documents:
        os.environ["SOCEX_VAR_DIR"] = os.environ.get("SOCEX_VAR_DIR", documents)
        import django

        django.setup()
        run(args, vendor)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def load_crime(args: argparse.Namespace, last: dt.date) -> int:
    from collections import Counter

    import numpy as np

    from socex.analytics.models import CrimeCount, CrimeLPAMonth
    from socex.areas.models import LSOA

    rng = np.random.default_rng(8)
    lsoas = list(LSOA.objects.values_list("pk", "lpa_id", "population"))
    weights = np.array([p for _, _, p in lsoas], dtype=float) * rng.gamma(2.0, 0.5, len(lsoas))
    weights /= weights.sum()
    first = add_months(last, -(args.months - 1))
    per_month = args.crimes / args.months
    rows, total, by_lpa = [], 0, Counter[tuple[int, dt.date, str]]()
    for m in range(args.months):
        month = add_months(first, m)
        for category, share in MIX.items():
            counts = rng.poisson(weights * per_month * share * SHAPE[month.month - 1])
            for (lsoa, lpa, _), count in zip(lsoas, counts, strict=True):
                if count:
                    rows.append(CrimeCount(month=month, lpa_id=lpa, lsoa_id=lsoa, category=category, count=int(count)))
                    by_lpa[(lpa, month, category)] += int(count)
                    total += int(count)
        if len(rows) > 20_000:
            CrimeCount.objects.bulk_create(rows, batch_size=5_000)
            rows = []
    CrimeCount.objects.bulk_create(rows, batch_size=5_000)
    CrimeLPAMonth.objects.bulk_create(
        CrimeLPAMonth(lpa_id=lpa, month=month, category=category, count=count)
        for (lpa, month, category), count in by_lpa.items()
    )
    return total


def load_internal(args: argparse.Namespace, last: dt.date) -> dict[str, int]:
    import random

    from django.utils import timezone

    from socex.accounts.models import Organisation, Role, Team, User
    from socex.areas.models import LPA, Hub
    from socex.cases.synth import CaseSynth, SynthCounts
    from socex.core.context import acting_as
    from socex.intelligence.models import Report
    from socex.nrm.models import NrmReferral
    from socex.people.models import Person

    with acting_as(None, channel="command"):
        made = CaseSynth(
            SynthCounts(cases=args.cases, referrals=args.referrals, chronology=args.cases, actions=1_000, shares=500)
        ).run()
    rng = random.Random(9)
    lpas = list(LPA.objects.all())
    weights = [lpa.population for lpa in lpas]
    police = Organisation.objects.get(org_type="police")
    officers = list(User.objects.filter(email__startswith="synth.officer").order_by("email"))
    detective = Role.objects.get(code="hub-detective")
    for n, hub in enumerate(Hub.objects.order_by("code")):
        team, _ = Team.objects.get_or_create(organisation=police, name=f"{hub.name} team", hub=hub)
        members = officers[n::3]
        User.objects.filter(pk__in=[u.pk for u in members]).update(team=team)
        for member in members[:4]:
            member.roles.add(detective)
    start = add_months(last, -(args.months - 1))
    span = (add_months(last, 1) - start).days
    author = officers[0]
    Report.objects.bulk_create(
        (
            Report(
                reference=f"INT-B-{n:09d}",
                source_type="officer",
                obtained_on=start + dt.timedelta(days=rng.randrange(span)),
                lpa=rng.choices(lpas, weights)[0],
                text="Synthetic benchmark report.",
                author=author,
                owner=police,
            )
            for n in range(args.intelligence)
        ),
        batch_size=5_000,
    )
    people = Person.objects.bulk_create(
        [Person(given_name="Synthetic", family_name=f"Person {n}", owner=police) for n in range(args.nrm)],
        batch_size=5_000,
    )
    NrmReferral.objects.bulk_create(
        (
            NrmReferral(
                reference=f"NRM-B-{n:08d}",
                person=person,
                lpa=rng.choices(lpas, weights)[0],
                first_responder=police,
                first_responder_type="police",
                officer=author,
                age_group="child",
                exploitation_types=["criminal"],
                exploitation_types_version="bench",
                under_18="yes",
                consent="not_needed",
                status="awaiting_rg",
                submitted_on=start + dt.timedelta(days=rng.randrange(span)),
                referred_on=timezone.localdate(),
            )
            for n, person in enumerate(people)
        ),
        batch_size=5_000,
    )
    return {**made, "intelligence reports": args.intelligence, "NRM referrals": args.nrm}


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(runs: int, last: dt.date) -> dict[str, tuple[float, float]]:
    from django.core.cache import cache
    from django.test import Client

    from socex.accounts.models import User
    from socex.accounts.services import api_token_create

    analyst = User.objects.filter(roles__code="hub-detective").order_by("email").first()
    assert analyst is not None
    client = Client()
    client.force_login(analyst)
    _, secret = api_token_create(user=analyst, name="bench")
    period = f"to={last:%Y-%m}&months=12"
    what_if = (
        f"{period}&whatif=1&w_crime_rate=1&w_youth_violence=1&w_exploitation_referrals=3&w_nrm_referrals=3"
        "&w_intelligence=1&w_deprivation=2&capacity=0.1"
    )
    pages: list[tuple[str, str, dict[str, Any]]] = [
        ("Baseline: areas list (reference data only)", "/areas/", {}),
        ("Threat-risk ranking", f"/analytics/ranking/?{period}", {}),
        ("Threat-risk ranking, what-if weights", f"/analytics/ranking/?{what_if}", {}),
        ("Hub siting (today's 3 hubs)", "/analytics/siting/", {}),
        (
            "Hub siting, 4 hubs, no distance limit",
            "/analytics/siting/?hubs=4&detective_posts=24&non_detective_posts=36&max_share=60&max_km=",
            {},
        ),
        ("Internal figures", f"/analytics/internal/?{period}", {}),
        ("Area briefing (Walsall)", f"/analytics/briefings/E08000030/?{period}", {}),
        ("Area briefing, first visit (outlook not cached)", f"/analytics/briefings/E08000030/?{period}", {"cold": 1}),
        ("Area briefing PDF (Walsall)", f"/analytics/briefings/E08000030/pdf/?{period}", {}),
        ("API: ranking", f"/api/v1/analytics/ranking?{period}", {"HTTP_AUTHORIZATION": f"Bearer {secret}"}),
    ]
    results = {}
    for label, url, options in pages:
        headers = {k: v for k, v in options.items() if k != "cold"}
        for _ in range(2):
            response = client.get(url, **headers)
            assert response.status_code == 200, (label, response.status_code)
        times = []
        for _ in range(runs):
            if options.get("cold"):
                cache.clear()  # the briefing's seasonal outlook is cached by its series: start without it
            started = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, label
        results[label] = (statistics.median(times), _p95(times))
    return results


def run(args: argparse.Namespace, vendor: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from socex.analytics.models import CrimeCount

    call_command("migrate", verbosity=0)
    version = connection.pg_version if vendor == "postgresql" else connection.Database.sqlite_version  # type: ignore[attr-defined]
    print(f"Database: {vendor} {version}")
    print(f"Machine: {machine()}")
    started = time.perf_counter()
    call_command("load_reference", verbosity=0)
    last = dt.date(2025, 12, 1)
    crimes = load_crime(args, last)
    made = load_internal(args, last)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Loaded in {time.perf_counter() - started:.0f} s: {crimes:,} crimes in {CrimeCount.objects.count():,} "
          f"monthly LSOA-category counts over {args.months} months; "
          + ", ".join(f"{n:,} {label}" for label, n in made.items()))  # fmt: skip
    results = measure(args.runs, last)
    base50, _ = results["Baseline: areas list (reference data only)"]
    print(f"\n{'page':48} {'p50 ms':>8} {'p95 ms':>8}  {'target':6}  p50 / baseline")
    for label, (p50, p95) in results.items():
        verdict = "" if label.startswith("Baseline") else ("met" if p95 <= P95_TARGET_MS else "MISSED")
        print(f"{label:48} {p50:8.1f} {p95:8.1f}  {verdict:6}  {p50 / base50:6.1f}x")


if __name__ == "__main__":
    main()
