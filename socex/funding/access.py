"""Who may see and change VRP funding.

* **VRP staff** (``funding.view``; ``funding.manage`` to change; ``funding.approve`` to approve
  spend and let an allocation exceed its budget) see everything: budgets, allocations, bids,
  response awards, claims and returns.
* **A lead organisation** sees its own allocations only, with their spend claims and monitoring
  returns, and any of its staff may report on them (submit a claim or a quarterly return).
  It does not see budgets, other organisations' allocations, bids or response awards, except
  bids it leads or joins.
* Anyone else: 404.

Everything is audited: every change by its service, and every read of one record (``sensitive=True``),
because the issue's users (elected members, the PCC) must be able to see who looked at what.

This module must not import the models at module level: ``models.py`` imports the querysets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db.models import Q

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.funding.models import (  # noqa: F401 (named in the querysets' type parameters)
        Allocation,
        Bid,
        Budget,
        MonitoringReturn,
        ResponseAward,
        SpendClaim,
    )

VIEW = "funding.view"
MANAGE = "funding.manage"
APPROVE = "funding.approve"


def _signed_in(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def sees_all_funding(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and any(user.has_cap(cap) for cap in (VIEW, MANAGE, APPROVE))  # type: ignore[union-attr]


def can_manage(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and user.has_cap(MANAGE)  # type: ignore[union-attr]


def can_approve(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and user.has_cap(APPROVE)  # type: ignore[union-attr]


def _organisation_id(user: User | AnonymousUser) -> Any:
    return getattr(user, "organisation_id", None) if _signed_in(user) else None


def leads_allocations(user: User | AnonymousUser) -> bool:
    """Does the user's organisation lead any allocation? (Shows them the funding pages.)"""
    from socex.funding.models import Allocation

    organisation_id = _organisation_id(user)
    return organisation_id is not None and Allocation.objects.filter(lead_id=organisation_id).exists()


def can_use_funding(user: User | AnonymousUser) -> bool:
    return sees_all_funding(user) or leads_allocations(user)


class BudgetQuerySet(ProtectedQuerySet["Budget"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.all() if sees_all_funding(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_manage(user) else self.none()


class AllocationQuerySet(ProtectedQuerySet["Allocation"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        if sees_all_funding(user):
            return self.all()
        organisation_id = _organisation_id(user)
        return self.filter(lead_id=organisation_id) if organisation_id else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_manage(user) else self.none()

    def reportable_by(self, user: User | AnonymousUser) -> Self:
        """Allocations the user may submit claims and monitoring returns for."""
        if can_manage(user):
            return self.all()
        organisation_id = _organisation_id(user)
        return self.filter(lead_id=organisation_id) if organisation_id else self.none()


class BidQuerySet(ProtectedQuerySet["Bid"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        if sees_all_funding(user):
            return self.all()
        organisation_id = _organisation_id(user)
        if not organisation_id:
            return self.none()
        return self.filter(Q(lead_id=organisation_id) | Q(partners__id=organisation_id)).distinct()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_manage(user) else self.none()


class ResponseAwardQuerySet(ProtectedQuerySet["ResponseAward"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.all() if sees_all_funding(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_manage(user) else self.none()


class _ReportQuerySet[M](ProtectedQuerySet):  # type: ignore[type-arg]
    """Claims and returns: visible with their allocation; decided only by approvers."""

    def visible_to(self, user: User | AnonymousUser) -> Self:
        from socex.funding.models import Allocation

        return self.filter(allocation__in=Allocation.objects.visible_to(user))

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.visible_to(user) if can_approve(user) else self.none()


class SpendClaimQuerySet(_ReportQuerySet["SpendClaim"]):
    pass


class MonitoringReturnQuerySet(_ReportQuerySet["MonitoringReturn"]):
    def editable_by(self, user: User | AnonymousUser) -> Self:
        # A return is a statement by the lead organisation: corrected by a new return, never edited.
        return self.none()


def get_budget_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> Budget:
    from socex.funding.models import Budget

    return get_for(user, Budget.objects.all(), need=need, sensitive=True, **lookup)


def get_allocation_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> Allocation:
    from socex.funding.models import Allocation

    return get_for(user, Allocation.objects.all(), need=need, sensitive=True, **lookup)


def get_bid_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> Bid:
    from socex.funding.models import Bid

    return get_for(user, Bid.objects.all(), need=need, sensitive=True, **lookup)


def get_award_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> ResponseAward:
    from socex.funding.models import ResponseAward

    return get_for(user, ResponseAward.objects.all(), need=need, sensitive=True, **lookup)


def get_claim_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> SpendClaim:
    from socex.funding.models import SpendClaim

    return get_for(user, SpendClaim.objects.all(), need=need, sensitive=True, **lookup)
