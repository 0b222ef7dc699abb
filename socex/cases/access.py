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
* Everyone who *takes part* in a case (police with ``case.edit``, and partners whose agency
  leads it or has an active share of it) adds practitioner entries to its chronology and
  uploads documents. Police with ``case.view_all`` but not ``case.edit`` (analysts) only read.
* ``case.approve_closure`` (supervisors) approves or rejects a request to close a case the
  supervisor can see, never their own request.

Every read of one case is audited (``sensitive=True``).

This module must not import the models at module level: ``models.py`` imports the querysets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db.models import Q

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from socex.accounts.models import User
    from socex.cases.models import (  # noqa: F401 (named in the querysets' type parameters)
        Case,
        CaseDocument,
        ChronologyEntry,
        RiskReview,
    )

RECORD_TYPE = "cases.case"
VIEW_ALL = "case.view_all"
VIEW_SHARED = "case.view_shared"
EDIT = "case.edit"
APPROVE_CLOSURE = "case.approve_closure"
CHRONOLOGY_RECORD_TYPE = "cases.chronologyentry"


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


def can_edit_case(user: User | AnonymousUser, case: Case) -> bool:
    """May ``user`` change ``case`` itself (details, subjects, flags, risk, closure)?"""
    from socex.cases.models import Case

    return Case.objects.editable_by(user).filter(pk=case.pk).exists()


def takes_part(user: User | AnonymousUser, case: Case) -> bool:
    """Is ``user``'s agency on ``case`` (it leads it, or has an active share of it), with ``case.view_shared``?"""
    from socex.sharing.services import is_shared_with

    if not _signed_in(user) or not user.has_cap(VIEW_SHARED):  # type: ignore[union-attr]
        return False
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return False
    return case.lead_agency_id == organisation.pk or is_shared_with(case, organisation)


def can_contribute(user: User | AnonymousUser, case: Case) -> bool:
    """May ``user`` add practitioner entries and documents to ``case`` (which they can see)?"""
    return can_edit_case(user, case) or takes_part(user, case)


def can_approve_closure(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and user.has_cap(APPROVE_CLOSURE)  # type: ignore[union-attr]


def signposted(user: User | AnonymousUser, matches: QuerySet[Case]) -> QuerySet[Case]:
    """The cases among ``matches`` (a search over every case) that ``user`` gets only a signpost for.

    A partner with ``case.view_shared`` whose agency is not on a matching case learns that a
    record exists and whom to contact, nothing more. Police who see every case, and anyone
    outside the cases area, get no signposts: the former see the cases, the latter nothing.
    """
    if sees_all_cases(user) or not can_use_cases(user):
        return matches.none()
    from socex.cases.models import Case

    return matches.exclude(pk__in=Case.objects.visible_to(user).values("pk"))


class ChronologyQuerySet(ProtectedQuerySet["ChronologyEntry"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        from socex.cases.models import Case

        return self.filter(case__in=Case.objects.visible_to(user))

    def editable_by(self, user: User | AnonymousUser) -> Self:
        # Chronology entries are never edited: a correction is a new entry.
        return self.none()


class RiskReviewQuerySet(ProtectedQuerySet["RiskReview"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        from socex.cases.models import Case

        return self.filter(case__in=Case.objects.visible_to(user))


class CaseDocumentQuerySet(ProtectedQuerySet["CaseDocument"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        from socex.cases.models import Case

        return self.filter(case__in=Case.objects.visible_to(user))


def get_case_for(user: User | AnonymousUser, case_id: object = None, need: Need = "view", **lookup: Any) -> Case:
    """One case for ``user`` (``get_case_for(user, case_id)`` or by any lookup, e.g.
    ``reference=...``): 404 if they may not see it, 403 if ``need="edit"`` and they may not change
    it. The read is written to the audit log."""
    from socex.cases.models import Case

    if case_id is not None:
        lookup["pk"] = case_id
    if need not in ("view", "edit"):
        raise ValueError(f"need must be 'view' or 'edit', not {need!r}")

    cases = Case.objects.select_related("lead_agency", "keyworker", "lpa")
    return get_for(user, cases, need=need, sensitive=True, **lookup)


def get_document_for(user: User | AnonymousUser, case: Case, document_id: object) -> CaseDocument:
    """One document of ``case`` (fetched by the caller through :func:`get_case_for`): 404 if it
    is not this case's or the user may not see it. Reading it is written to the audit log."""
    from socex.cases.models import CaseDocument

    return get_for(user, CaseDocument.objects.filter(case=case), sensitive=True, pk=document_id)
