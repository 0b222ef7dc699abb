"""The NRM app's settings, each read from ``settings.SOCEX_NRM_*`` with a default.

Rules that change with national policy (recovery periods, working-day targets, decision makers,
the first responder list, exploitation labels, guidance versions) are not settings: they are
versioned data files in ``socex/nrm/reference/`` (see its README).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def reference_dir() -> Path:
    """Where the versioned rule and label files live (``SOCEX_NRM_REFERENCE_DIR``)."""
    return Path(getattr(settings, "SOCEX_NRM_REFERENCE_DIR", REFERENCE_DIR))


def suppression_threshold() -> int:
    """Counts from 1 up to this number minus one are shown as ``*`` in exports for partners
    (``SOCEX_NRM_SUPPRESSION_THRESHOLD``, default 5: counts 1 to 4 are suppressed)."""
    return int(getattr(settings, "SOCEX_NRM_SUPPRESSION_THRESHOLD", 5))


def published_area() -> str:
    """The area whose published figures sit beside the hub's own (``SOCEX_NRM_PUBLISHED_AREA``)."""
    return str(getattr(settings, "SOCEX_NRM_PUBLISHED_AREA", "West Midlands Police"))


def form_location() -> str:
    """The Home Office form's 'Where are you making this report?' answer (``SOCEX_NRM_FORM_LOCATION``:
    england, wales, scotland or northern-ireland)."""
    return str(getattr(settings, "SOCEX_NRM_FORM_LOCATION", "england"))


def form_region() -> str:
    """The region drafted for 'Where is the potential victim staying?' (``SOCEX_NRM_FORM_REGION``)."""
    return str(getattr(settings, "SOCEX_NRM_FORM_REGION", "West Midlands"))


def import_max_bytes() -> int:
    """The largest published-figures file accepted (``SOCEX_NRM_IMPORT_MAX_BYTES``, default 2 MB)."""
    return int(getattr(settings, "SOCEX_NRM_IMPORT_MAX_BYTES", 2 * 1024 * 1024))


def import_max_rows() -> int:
    """The most rows one published-figures file may hold (``SOCEX_NRM_IMPORT_MAX_ROWS``, default 20,000)."""
    return int(getattr(settings, "SOCEX_NRM_IMPORT_MAX_ROWS", 20_000))


def reminder_repeat_days() -> int:
    """A reminder of the same kind about the same record is sent again after this many days
    (``SOCEX_NRM_REMINDER_REPEAT_DAYS``, default 7)."""
    return int(getattr(settings, "SOCEX_NRM_REMINDER_REPEAT_DAYS", 7))
