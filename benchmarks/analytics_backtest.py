"""Rolling-origin backtest of the seasonal model on the real Lambeth months (MASE).

Reads the 29 months of Lambeth street crime (API JSON, 2016-01 to 2018-06, March 2016 missing
in the source) from ``../shared/data/crime/``, de-duplicated with the import's own reader, and
for each series trains on the first t months (t = 18 ... 29) and forecasts up to 6 months ahead.
MASE (scaled by the in-sample seasonal naive error) for: this app's model, seasonal naive, and a
default ETS (statsmodels ETSModel defaults: ETS(A,N,N)); and, over the origins with 24+ training
months only, Holt-Winters (additive trend and season) too. Lower is better; below 1 beats the
in-sample seasonal naive.

    .venv/bin/python benchmarks/analytics_backtest.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAMBETH = REPO.parent / "shared" / "data" / "crime" / "policerewired_lambeth_wards_2016-01_to_2018-06_no_2016-03"
SERIES = [
    ("All crime", None),
    (
        "Serious violence and exploitation (4 categories)",
        {"violent-crime", "robbery", "possession-of-weapons", "drugs"},
    ),
    ("Violence and sexual offences", {"violent-crime"}),
    ("Robbery", {"robbery"}),
    ("Drugs", {"drugs"}),
    ("Possession of weapons", {"possession-of-weapons"}),
    ("Anti-social behaviour", {"anti-social-behaviour"}),
    ("Burglary", {"burglary"}),
]


def main() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("SOCEX_MODE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from socex.analytics.importing import monthly_counts_from_files
    from socex.analytics.seasonal import backtest

    counts = monthly_counts_from_files([LAMBETH])
    print(
        "| series | model | seasonal naive | default ETS | model (t>=24) | seasonal naive (t>=24) | "
        "default ETS (t>=24) | Holt-Winters (t>=24) | beats both? |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, categories in SERIES:
        totals: dict[str, int] = {}
        for (month, category), n in counts.items():
            if categories is None or category in categories:
                totals[month] = totals.get(month, 0) + n
        months = sorted(totals)
        r = backtest([dt.date.fromisoformat(f"{m}-01") for m in months], [float(totals[m]) for m in months])
        wins = "yes" if r["model"] < r["seasonal_naive"] and r["model"] < r["default_ets"] else "no"
        print(
            f"| {name} | {r['model']:.3f} | {r['seasonal_naive']:.3f} | {r['default_ets']:.3f} | "
            f"{r['model_24']:.3f} | {r['seasonal_naive_24']:.3f} | {r['default_ets_24']:.3f} | "
            f"{r['holt_winters_24']:.3f} | {wins} |",
            flush=True,
        )
    print(f"\n{len(months)} months; origins: {int(r['origins'])} (all), {int(r['origins_24'])} (24+ training months)")


if __name__ == "__main__":
    main()
