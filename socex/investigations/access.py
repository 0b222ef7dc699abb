"""Who may see investigations, operations, disruptions and hub workload.

* Investigations are **police-only**. Police users with ``investigation.manage`` see and change
  them; police managers with ``workload.view`` see them (read-only) for the dashboards.
* A partner never sees an investigation. On a case shared with their agency they see only that
  an investigation exists and its status (the case page's investigations panel).
* Operations and the disruption log follow the same rule; hub staffing and workload need
  ``workload.view`` (police).

Every read of one investigation is audited (``sensitive=True``).

This module must not import the models at module level: ``models.py`` imports the querysets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.investigations.models import (  # noqa: F401 (named in the querysets' type parameters)
        Disruption,
        Investigation,
        Operation,
        StaffMember,
    )

RECORD_TYPE = "investigations.investigation"
MANAGE = "investigation.manage"
WORKLOAD = "workload.view"


def _police(user: User | AnonymousUser) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_police", False)
    )


def can_manage(user: User | AnonymousUser) -> bool:
    return _police(user) and user.has_cap(MANAGE)  # type: ignore[union-attr]


def can_see_workload(user: User | AnonymousUser) -> bool:
    return _police(user) and user.has_cap(WORKLOAD)  # type: ignore[union-attr]


def can_read(user: User | AnonymousUser) -> bool:
    return can_manage(user) or can_see_workload(user)


class _PoliceQuerySet(ProtectedQuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_read(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_manage(user) else self.none()


class InvestigationQuerySet(_PoliceQuerySet):
    def open(self) -> Self:
        return self.exclude(status="closed")


class OperationQuerySet(_PoliceQuerySet):
    pass


class DisruptionQuerySet(_PoliceQuerySet):
    pass


class StaffMemberQuerySet(ProtectedQuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_read(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_see_workload(user) else self.none()


def get_investigation_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> Investigation:
    from socex.investigations.models import Investigation

    return get_for(user, Investigation.objects.all(), need=need, sensitive=True, **lookup)


def get_operation_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> Operation:
    from socex.investigations.models import Operation

    return get_for(user, Operation.objects.all(), need=need, **lookup)
