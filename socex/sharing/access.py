"""Who may see and change entries in the sharing ledger, and who may manage legal bases.

* ``sharing.view_all`` (auditors, information managers): every share.
* Otherwise, holders of ``sharing.manage`` or ``case.view_shared`` see the shares their own
  organisation made or received, and nothing else. A share between two other organisations
  is a 404: its existence is not confirmed.
* A share can be changed (revoked) only by a holder of ``sharing.manage`` in the organisation
  that made it; the recipient sees it but gets 403.
* Legal bases are reference data every signed-in user may read; ``users.manage`` edits them.

Every read of one share is written to the audit log: the ledger says what a partner was
given about a child, so reading it is a consultation (DPA 2018 s62).

This module must not import the models at module level: ``models.py`` imports the queryset
classes from here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from django.db.models import Q
from django.utils import timezone

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.sharing.models import LegalBasis, Share

VIEW_ALL = "sharing.view_all"
MANAGE = "sharing.manage"
LEDGER_CAPABILITIES = (MANAGE, VIEW_ALL, "case.view_shared")
LEGAL_BASES_MANAGE = "users.manage"
EXPIRING_WITHIN_DAYS = 14


def _signed_in(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_use_ledger(user: User | AnonymousUser) -> bool:
    """May this user open the sharing ledger at all? (The same rule as its navigation entry.)"""
    return _signed_in(user) and any(user.has_cap(cap) for cap in LEDGER_CAPABILITIES)  # type: ignore[union-attr]


class ShareQuerySet(ProtectedQuerySet["Share"]):
    def active(self, on: dt.date | None = None) -> Self:
        """In force on ``on`` (today by default): started, not past its last day, not revoked."""
        today = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, shared_at__date__lte=today, until__gte=today)

    def expiring(self, within_days: int = EXPIRING_WITHIN_DAYS, on: dt.date | None = None) -> Self:
        """Active shares whose last day falls within the next ``within_days`` days."""
        today = on or timezone.localdate()
        return self.active(today).filter(until__lte=today + dt.timedelta(days=within_days))

    def expired(self, on: dt.date | None = None) -> Self:
        return self.filter(revoked_at__isnull=True, until__lt=on or timezone.localdate())

    def revoked(self) -> Self:
        return self.filter(revoked_at__isnull=False)

    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Every share for ``sharing.view_all``; those made or received by the user's organisation
        for holders of a ledger capability; none for anyone else."""
        if not can_use_ledger(user):
            return self.none()
        if user.has_cap(VIEW_ALL):  # type: ignore[union-attr]
            return self.all()
        organisation_id = getattr(user, "organisation_id", None)
        if organisation_id is None:
            return self.none()
        return self.filter(Q(shared_by_organisation_id=organisation_id) | Q(organisation_id=organisation_id))

    def editable_by(self, user: User | AnonymousUser) -> Self:
        """Shares made by the user's organisation, if they hold ``sharing.manage``."""
        organisation_id = getattr(user, "organisation_id", None)
        if not _signed_in(user) or organisation_id is None or not user.has_cap(MANAGE):  # type: ignore[union-attr]
            return self.none()
        return self.filter(shared_by_organisation_id=organisation_id)


def get_share_for(user: User | AnonymousUser, share_id: object, need: Need = "view") -> Share:
    """One share for ``user``: 404 if they may not see it, 403 if ``need="edit"`` and they may
    not revoke it. The read is written to the audit log."""
    from socex.sharing.models import Share

    shares = Share.objects.select_related(
        "content_type", "organisation", "legal_basis", "shared_by", "shared_by_organisation", "revoked_by"
    )
    return get_for(user, shares, need=need, sensitive=True, pk=share_id)


class LegalBasisQuerySet(ProtectedQuerySet["LegalBasis"]):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Reference data: every signed-in user may read the list."""
        return self.all() if _signed_in(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_manage_legal_bases(user) else self.none()


def can_manage_legal_bases(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and user.has_cap(LEGAL_BASES_MANAGE)  # type: ignore[union-attr]


def get_legal_basis_for(user: User | AnonymousUser, legal_basis_id: int, need: Need = "view") -> LegalBasis:
    """One legal basis: 404 if it does not exist, 403 for ``need="edit"`` without ``users.manage``."""
    from socex.sharing.models import LegalBasis

    return get_for(user, LegalBasis.objects.all(), need=need, pk=legal_basis_id)
