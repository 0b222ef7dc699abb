"""Settings of the safeguarding app, each read when it is used (so tests can override them).

* ``SOCEX_ACTION_DUE_SOON_DAYS`` (7): an open action due within this many calendar days
  (today included) is "due soon".
* ``SOCEX_ACTION_REMINDERS_INCLUDE_UNASSIGNED`` (True): reminder emails also list the agency's
  actions that no one person owns yet.
* ``SOCEX_SITE_URL`` (config/settings.py, via ``socex.core.site``): the service's address, for links in emails.
* ``SOCEX_MACE_MINUTES_WITHHELD`` ("placeholder"): how an agency's copy of the minutes shows an
  item not shared with it: "placeholder" ("Item 3 withheld: not shared with your agency") or
  "omit" (left out; the numbering is kept, so the gap shows).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_DUE_SOON_DAYS = 7
WITHHELD_MODES = ("placeholder", "omit")


def due_soon_days() -> int:
    """Calendar days, not working days: an action due on Monday is "due soon" from the Monday before."""
    days = int(getattr(settings, "SOCEX_ACTION_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))
    if days < 0:
        raise ImproperlyConfigured(f"SOCEX_ACTION_DUE_SOON_DAYS must be 0 or more, not {days}.")
    return days


def reminders_include_unassigned() -> bool:
    return bool(getattr(settings, "SOCEX_ACTION_REMINDERS_INCLUDE_UNASSIGNED", True))


def minutes_withheld_mode() -> str:
    mode = str(getattr(settings, "SOCEX_MACE_MINUTES_WITHHELD", "placeholder"))
    if mode not in WITHHELD_MODES:
        raise ImproperlyConfigured(f"SOCEX_MACE_MINUTES_WITHHELD must be one of {', '.join(WITHHELD_MODES)}.")
    return mode
