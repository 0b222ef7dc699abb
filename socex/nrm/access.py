"""Who may see and change NRM referrals and Duty to Notify reports.

NRM records are among the most sensitive the service holds, so the rule is narrow:

* **Hub staff**: police users with ``nrm.manage`` see and change every NRM referral and DtN report.
* **The referring first responder organisation**: its users with ``nrm.manage`` see and change the
  records their organisation made; its case workers (``case.view_all`` or ``case.view_shared``)
  see them but cannot change them (403).
* **Anyone else** gets a 404, whatever cases they can see: a school on the case, an auditor or a
  VRP officer does not learn that a referral exists. (Auditors see NRM events in the audit log.)

Every read of one record is audited (``sensitive=True``). Decisions, reconsiderations and support
referrals are reached only through their referral, so they follow its rule.

The first responder list is reference data: anyone with ``nrm.manage`` may read it; changing it
needs ``users.manage`` (administrators, who manage organisations).

This module must not import the models at module level: ``models.py`` imports the querysets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.nrm.models import DutyToNotify, FirstResponder, NrmReferral  # noqa: F401

MANAGE = "nrm.manage"
CASE_CAPS = ("case.view_all", "case.view_shared")
REFERRAL_RECORD = "nrm.nrmreferral"
DTN_RECORD = "nrm.dutytonotify"
PUBLISHED_RECORD = "nrm.publishedfigure"


def _signed_in(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_use_nrm(user: User | AnonymousUser) -> bool:
    """May this user open the NRM area (its navigation entry, work tray and statistics)?"""
    return _signed_in(user) and user.has_cap(MANAGE)  # type: ignore[union-attr]


def is_hub_staff(user: User | AnonymousUser) -> bool:
    return can_use_nrm(user) and bool(getattr(user, "is_police", False))


def can_manage_first_responders(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and user.has_cap("users.manage")  # type: ignore[union-attr]


def _reads_own_organisation(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and any(user.has_cap(cap) for cap in (MANAGE, *CASE_CAPS))  # type: ignore[union-attr]


class _NrmQuerySet[M: Any](ProtectedQuerySet[M]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        if is_hub_staff(user):
            return self.all()
        organisation_id = getattr(user, "organisation_id", None)
        if organisation_id is None or not _reads_own_organisation(user):
            return self.none()
        return self.filter(first_responder_id=organisation_id)

    def editable_by(self, user: User | AnonymousUser) -> Self:
        if is_hub_staff(user):
            return self.all()
        organisation_id = getattr(user, "organisation_id", None)
        if organisation_id is None or not can_use_nrm(user):
            return self.none()
        return self.filter(first_responder_id=organisation_id)


class NrmReferralQuerySet(_NrmQuerySet["NrmReferral"]):
    pass


class DutyToNotifyQuerySet(_NrmQuerySet["DutyToNotify"]):
    pass


class FirstResponderQuerySet(ProtectedQuerySet["FirstResponder"]):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def visible_to(self, user: User | AnonymousUser) -> Self:
        if can_use_nrm(user) or can_manage_first_responders(user):
            return self.all()
        return self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_manage_first_responders(user) else self.none()


def get_referral_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> NrmReferral:
    """One NRM referral for ``user``: 404 if they may not see it, 403 if ``need="edit"`` and they may
    not change it. The read is written to the audit log."""
    from socex.nrm.models import NrmReferral

    referrals = NrmReferral.objects.select_related("person", "case", "lpa", "first_responder", "officer")
    return get_for(user, referrals, need=need, sensitive=True, **lookup)


def get_dtn_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> DutyToNotify:
    """One Duty to Notify report for ``user`` (404 / 403 as for referrals); the read is audited."""
    from socex.nrm.models import DutyToNotify

    reports = DutyToNotify.objects.select_related("lpa", "first_responder", "officer")
    return get_for(user, reports, need=need, sensitive=True, **lookup)
