"""Who may see and change exploitation cases (DESIGN.md, "Access model").

* **Police** users with ``case.view_all`` see every case in the force.
* **Partners** with ``case.view_shared`` see the cases their organisation leads and the cases
  shared with their organisation in the sharing ledger (a participating agency is one with an
  active share of the case: the share records the legal basis, what it covers and until when).
* ``case.edit`` lets a user change a case they can see. A partner may change only cases their
  organisation leads; participating partners add chronology entries and work their actions
  through their own services.
* Anyone else gets a 404. A search by a partner whose agency is not on the case shows only a
  signpost ("a record exists: contact the hub"), written by the cases app and audited.

Every read of one case is audited (``sensitive=True``).

This module must not import the models at module level: ``models.py`` imports the querysets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db.models import Q

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.cases.models import Case, ChronologyEntry  # noqa: F401 (named in the querysets' type parameters)

RECORD_TYPE = "cases.case"
VIEW_ALL = "case.view_all"
VIEW_SHARED = "case.view_shared"
EDIT = "case.edit"


def _signed_in(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def sees_all_cases(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and bool(getattr(user, "is_police", False)) and user.has_cap(VIEW_ALL)  # type: ignore[union-attr]


def can_use_cases(user: User | AnonymousUser) -> bool:
    """May this user open the cases area at all? (The rule of its navigation entry.)"""
    return _signed_in(user) and (sees_all_cases(user) or user.has_cap(VIEW_SHARED))  # type: ignore[union-attr]


def _partner_rule(user: User) -> Q:
    from socex.cases.models import Case
    from socex.sharing.services import active_shared_ids

    organisation = user.organisation
    return Q(lead_agency=organisation) | Q(pk__in=active_shared_ids(Case, organisation))


class CaseQuerySet(ProtectedQuerySet["Case"]):
    def open(self) -> Self:
        from socex.cases.models import CaseStatus

        return self.exclude(status=CaseStatus.CLOSED)

    def visible_to(self, user: User | AnonymousUser) -> Self:
        if sees_all_cases(user):
            return self.all()
        if not can_use_cases(user) or getattr(user, "organisation", None) is None:
            return self.none()
        return self.filter(_partner_rule(user))  # type: ignore[arg-type]

    def editable_by(self, user: User | AnonymousUser) -> Self:
        if not _signed_in(user) or not user.has_cap(EDIT):  # type: ignore[union-attr]
            return self.none()
        if sees_all_cases(user):
            return self.all()
        if getattr(user, "organisation", None) is None:
            return self.none()
        return self.filter(lead_agency=user.organisation)  # type: ignore[union-attr]


class ChronologyQuerySet(ProtectedQuerySet["ChronologyEntry"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        from socex.cases.models import Case

        return self.filter(case__in=Case.objects.visible_to(user))

    def editable_by(self, user: User | AnonymousUser) -> Self:
        # Chronology entries are never edited: a correction is a new entry.
        return self.none()


def get_case_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> Case:
    from socex.cases.models import Case

    return get_for(user, Case.objects.all(), need=need, sensitive=True, **lookup)
