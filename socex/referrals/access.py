"""Who may see, change and triage referrals (DESIGN.md "Access model").

* **Hub staff** with ``referral.triage`` see every submitted referral in the force (the queue is
  the force's), and triage them.
* **Referrers** with ``referral.create`` see the referrals their organisation made once
  submitted, and their own drafts. A colleague's draft stays private until it is sent.
* Only a draft's author changes it (``editable_by``). Nobody changes a submitted referral's
  answers; triage is its own rule (:func:`can_triage`).
* Anyone else sees none: a referral they may not see is a 404.

Every read of one referral is audited (``sensitive=True``): each is about a child or adult the
service protects.

This module must not import the models at module level: ``models.py`` imports the queryset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db.models import Q

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.referrals.models import Referral

RECORD_TYPE = "referrals.referral"
CREATE = "referral.create"
TRIAGE = "referral.triage"


def _signed_in(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_triage(user: User | AnonymousUser) -> bool:
    """May this user work the triage queue?"""
    return _signed_in(user) and user.has_cap(TRIAGE)  # type: ignore[union-attr]


def can_refer(user: User | AnonymousUser) -> bool:
    """May this user make referrals? (They need an organisation: the referral is its.)"""
    return _signed_in(user) and user.has_cap(CREATE) and getattr(user, "organisation_id", None) is not None  # type: ignore[union-attr]


def can_use_referrals(user: User | AnonymousUser) -> bool:
    """May this user open the referrals area at all? (The rule of its navigation entry.)"""
    return can_triage(user) or can_refer(user)


class ReferralQuerySet(ProtectedQuerySet["Referral"]):
    def submitted(self) -> Self:
        from socex.referrals.models import ReferralStatus

        return self.exclude(status=ReferralStatus.DRAFT)

    def awaiting_triage(self) -> Self:
        from socex.referrals.models import ReferralStatus

        return self.filter(status=ReferralStatus.SUBMITTED)

    def visible_to(self, user: User | AnonymousUser) -> Self:
        from socex.referrals.models import ReferralStatus

        own_drafts = Q(status=ReferralStatus.DRAFT, referrer_id=getattr(user, "pk", None))
        sent = ~Q(status=ReferralStatus.DRAFT)
        if can_triage(user):
            return self.filter(sent | own_drafts)
        if can_refer(user):
            return self.filter(Q(referrer_agency_id=user.organisation_id) & sent | own_drafts)  # type: ignore[union-attr]
        return self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        from socex.referrals.models import ReferralStatus

        if not can_refer(user):
            return self.none()
        return self.filter(status=ReferralStatus.DRAFT, referrer_id=user.pk)

    def triageable_by(self, user: User | AnonymousUser) -> Self:
        return self.awaiting_triage() if can_triage(user) else self.none()


def get_referral_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> Referral:
    """One referral for ``user``: 404 if they may not see it, 403 if ``need="edit"`` and it is not
    their draft. The read is written to the audit log."""
    from socex.referrals.models import Referral

    referrals = Referral.objects.select_related("referrer", "referrer_agency", "lpa", "triaged_by", "case")
    return get_for(user, referrals, need=need, sensitive=True, **lookup)
