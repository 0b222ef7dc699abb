"""Settings of the funding app (override in Django settings or the environment-driven config)."""

from __future__ import annotations

from django.conf import settings


def suppress_below() -> int:
    """Counts of people from 1 up to this number (exclusive) are shown as ``*`` outside the police."""
    return int(getattr(settings, "SOCEX_FUNDING_SUPPRESS_BELOW", 5))
