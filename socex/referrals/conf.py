"""Settings of the referrals app, each read when used so tests and deployments can change them.

* ``SOCEX_TRIAGE_TARGET_HOURS`` (default ``{"significant": 4, "at_risk": 24, "none": 72}``): how
  long a submitted referral at each confirmed risk level may wait for triage before it shows as
  a breach. [U] agree the figures with the hub.
* ``SOCEX_SCREENING_TOOL_VERSION`` (default ``"1"``): the screening definition new referrals use,
  ``screening-v<version>.json``.
* ``SOCEX_SCREENING_DIR`` (default ``socex/referrals/reference``): where the screening definition
  files are; another force can point at its own.
* ``SOCEX_SITE_URL`` (config/settings.py, via ``socex.core.site``): the web app's address for links in emails
  (``https://socex.example.police.uk``); blank gives paths only.
* ``SOCEX_REFERRALS_CHART_PERIODS`` (default ``12``): how many weeks or months the referrals
  dashboard charts.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from socex.cases.vocab import RiskLevel

DEFAULT_TRIAGE_TARGET_HOURS: dict[str, float] = {
    RiskLevel.SIGNIFICANT: 4,
    RiskLevel.AT_RISK: 24,
    RiskLevel.NO_CURRENT_RISK: 72,
}
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def triage_target_hours() -> dict[str, float]:
    """Hours a referral may wait for triage, by confirmed risk level. A missing or non-positive
    level is a configuration error, named here rather than found out in the queue."""
    targets = getattr(settings, "SOCEX_TRIAGE_TARGET_HOURS", DEFAULT_TRIAGE_TARGET_HOURS)
    missing = [level for level in RiskLevel.values if level not in targets]
    if missing:
        raise ImproperlyConfigured(
            f"SOCEX_TRIAGE_TARGET_HOURS needs a target for every risk level; missing: {', '.join(missing)}."
        )
    for level in RiskLevel.values:
        hours = targets[level]
        if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
            raise ImproperlyConfigured(
                f"SOCEX_TRIAGE_TARGET_HOURS[{level!r}] must be a positive number of hours, not {hours!r}."
            )
    return {level: float(targets[level]) for level in RiskLevel.values}


def screening_tool_version() -> str:
    return str(getattr(settings, "SOCEX_SCREENING_TOOL_VERSION", "1"))


def screening_dir() -> Path:
    return Path(getattr(settings, "SOCEX_SCREENING_DIR", REFERENCE_DIR))


def chart_periods() -> int:
    periods = getattr(settings, "SOCEX_REFERRALS_CHART_PERIODS", 12)
    if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= 104:
        raise ImproperlyConfigured(
            f"SOCEX_REFERRALS_CHART_PERIODS must be a whole number from 1 to 104, not {periods!r}."
        )
    return periods
