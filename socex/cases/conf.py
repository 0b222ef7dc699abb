"""Settings of the cases app, each read from ``settings.SOCEX_<NAME>`` with a default.

Every number here is a local policy choice, not law: review intervals, upload limits and the
signpost's contact are for each force and partnership to set (DOMAIN.md tags them [U]/[S]).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

DEFAULT_DOCUMENT_MAX_MB = 10
# How long after a risk review (or opening) the next review falls due, by risk level.
# [S] Liverpool reviews within 12 weeks (DOMAIN.md §2.4); the shorter interval for significant
# risk is a local choice [U]: confirm with the partnership.
DEFAULT_REVIEW_DAYS = {"significant": 28, "at_risk": 84, "none": 84}
DEFAULT_FLAGS_FILE = REFERENCE_DIR / "flags.json"
DEFAULT_CHRONOLOGY_PDF_MAX_ENTRIES = 5000


def document_max_mb() -> int:
    """``SOCEX_CASE_DOCUMENT_MAX_MB``: the largest document a case accepts, in megabytes (10)."""
    return int(getattr(settings, "SOCEX_CASE_DOCUMENT_MAX_MB", DEFAULT_DOCUMENT_MAX_MB))


def documents_dir() -> Path:
    """``SOCEX_CASE_DOCUMENTS_DIR``: where uploaded case documents are kept.

    Outside the static files and never given a URL: a document leaves only through the download
    view, after the access check. Defaults to ``var/private/case-documents``.
    """
    configured = getattr(settings, "SOCEX_CASE_DOCUMENTS_DIR", None)
    if configured:
        return Path(configured)
    var_dir = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var"))
    return var_dir / "private" / "case-documents"


def review_days(risk_level: str) -> int:
    """``SOCEX_CASE_REVIEW_DAYS``: days from a risk review to the next, by risk level."""
    configured: dict[str, int] = {**DEFAULT_REVIEW_DAYS, **getattr(settings, "SOCEX_CASE_REVIEW_DAYS", {})}
    return int(configured.get(risk_level, DEFAULT_REVIEW_DAYS["at_risk"]))


def signpost_contact() -> str:
    """``SOCEX_CASE_SIGNPOST_CONTACT``: how a partner reaches the hub when a search finds a record
    they may not see (blank: the police organisation's contact email and phone are shown)."""
    return str(getattr(settings, "SOCEX_CASE_SIGNPOST_CONTACT", ""))


def chronology_pdf_max_entries() -> int:
    """``SOCEX_CASE_CHRONOLOGY_PDF_MAX_ENTRIES``: the most entries one PDF export holds (5,000)."""
    return int(getattr(settings, "SOCEX_CASE_CHRONOLOGY_PDF_MAX_ENTRIES", DEFAULT_CHRONOLOGY_PDF_MAX_ENTRIES))


def flags_file() -> Path:
    """``SOCEX_CASE_FLAGS_FILE``: the versioned list of case flags (reference/flags.json)."""
    return Path(getattr(settings, "SOCEX_CASE_FLAGS_FILE", DEFAULT_FLAGS_FILE))


@lru_cache(maxsize=4)
def _read_flags(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def flag_definitions() -> dict[str, Any]:
    """``{"version": ..., "flags": [{"code", "label", "hint"}, ...]}`` from the flags file."""
    return _read_flags(str(flags_file()))


def flag_labels() -> dict[str, str]:
    return {flag["code"]: flag["label"] for flag in flag_definitions()["flags"]}
