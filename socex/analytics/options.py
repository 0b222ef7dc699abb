"""Settings for the threat-risk ranking, hub siting, briefings and internal figures (part B).

Each is a function so tests can override settings. The lead documents them in the README:

* ``SOCEX_ANALYTICS_WEIGHTS_VERSION`` (``"v1"``): which ``reference/weights-<version>.json``
  scores the LPAs. A new version is a new file; old ones stay, so any past page can be rebuilt.
* ``SOCEX_ANALYTICS_SITING_VERSION`` (``"v1"``): which ``reference/siting-<version>.json`` holds
  the siting rules (largest share of demand per hub, distance limit, minimum posts).
* ``SOCEX_ANALYTICS_LPA_CONTEXT`` (``"lpa-context-west-midlands.csv"``): the reference file with
  each LPA's deprivation and population-weighted centre (another force ships its own).
* ``SOCEX_ANALYTICS_SUPPRESS_BELOW`` (``5``): counts of internal records from 1 up to this
  number are shown as ``*`` to viewers outside the police.
* ``SOCEX_ANALYTICS_PERIOD_MONTHS`` (``12``): the default length of the period the pages cover.
* ``SOCEX_ANALYTICS_DETECTIVE_CAPABILITY`` (``"investigation.manage"``): a hub team member whose
  roles grant this counts as a detective post; every other member as a non-detective post.
* ``SOCEX_ANALYTICS_BRIEFING_MARKING`` (``"OFFICIAL-SENSITIVE"``): the protective marking
  printed on area briefings.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def weights_version() -> str:
    return str(getattr(settings, "SOCEX_ANALYTICS_WEIGHTS_VERSION", "v1"))


def siting_version() -> str:
    return str(getattr(settings, "SOCEX_ANALYTICS_SITING_VERSION", "v1"))


def lpa_context_file() -> Path:
    name = str(getattr(settings, "SOCEX_ANALYTICS_LPA_CONTEXT", "lpa-context-west-midlands.csv"))
    path = Path(name)
    return path if path.is_absolute() else REFERENCE_DIR / path


def suppress_below() -> int:
    return int(getattr(settings, "SOCEX_ANALYTICS_SUPPRESS_BELOW", 5))


def period_months() -> int:
    return int(getattr(settings, "SOCEX_ANALYTICS_PERIOD_MONTHS", 12))


def detective_capability() -> str:
    return str(getattr(settings, "SOCEX_ANALYTICS_DETECTIVE_CAPABILITY", "investigation.manage"))


def briefing_marking() -> str:
    return str(getattr(settings, "SOCEX_ANALYTICS_BRIEFING_MARKING", "OFFICIAL-SENSITIVE"))
