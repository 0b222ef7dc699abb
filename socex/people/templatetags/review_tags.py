"""How the duplicate review pages show probabilities and run times."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def percent(probability: float | None) -> str:
    """``0.973`` as ``97%``; never rounds a doubtful pair up to a certain-looking ``100%``."""
    if probability is None:
        return ""
    if 0.99 < probability < 1:
        return "over 99%"
    if 0 < probability < 0.01:
        return "under 1%"
    return f"{probability:.0%}"


@register.filter
def duration(started: dt.datetime | None, finished: dt.datetime | None) -> str:
    """How long a run took: ``42 seconds``, ``3 minutes 5 seconds``, ``1 hour 2 minutes``."""
    if started is None or finished is None:
        return ""
    seconds = max(int((finished - started).total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(hours, "hour"), (minutes, "minute"), (seconds, "second")]
    shown = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n][:2]
    return " ".join(shown) or "under a second"
