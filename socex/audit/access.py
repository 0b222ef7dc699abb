"""Who may read the audit log: holders of ``audit.view``, and nobody else.

The log is not a record anyone changes (the database refuses it), so nothing is editable.
Reading one event is itself logged, because an event can carry old and new values of a
sensitive record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from socex.core.access import ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.audit.models import Event

AUDIT_VIEW = "audit.view"


def can_read_audit(user: User | AnonymousUser) -> bool:
    """Capability check for the pages that list or export events (403 for anyone else)."""
    return bool(getattr(user, "is_authenticated", False) and user.has_cap(AUDIT_VIEW))  # type: ignore[union-attr]


class EventQuerySet(ProtectedQuerySet["Event"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Every event for auditors; none for anyone else."""
        return self.all() if can_read_audit(user) else self.none()


def get_event_for(user: User | AnonymousUser, event_id: int) -> Event:
    """One event for an auditor, or 404. The read is recorded (it may show sensitive values)."""
    from socex.audit.models import Event

    return get_for(user, Event.objects.all(), sensitive=True, id=event_id)
