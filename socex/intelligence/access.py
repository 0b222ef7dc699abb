"""Who may see intelligence.

* Intelligence is police-only: ``intel.view`` (a police-only capability) to read reports,
  entities, links and the network; ``intel.create`` to submit; ``intel.evaluate`` to grade,
  sanitise and publish.
* A report with a ``restricted_team`` is visible only to that team's members.
* Partners never see a report, its grading or its source. What they receive is a sanitised
  copy disseminated to their agency through the sharing ledger, served by its own view.

Every read of one report is audited (``sensitive=True``).

This module must not import the models at module level: ``models.py`` imports the querysets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db.models import Q

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.intelligence.models import Entity, Group, Link, Report  # noqa: F401 (named in the querysets' type parameters)

RECORD_TYPE = "intelligence.report"
VIEW = "intel.view"
CREATE = "intel.create"
EVALUATE = "intel.evaluate"


def _signed_in(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_read_intel(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and bool(getattr(user, "is_police", False)) and user.has_cap(VIEW)  # type: ignore[union-attr]


def can_evaluate(user: User | AnonymousUser) -> bool:
    return can_read_intel(user) and user.has_cap(EVALUATE)  # type: ignore[union-attr]


def can_submit(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and bool(getattr(user, "is_police", False)) and user.has_cap(CREATE)  # type: ignore[union-attr]


def _team_rule(user: User) -> Q:
    return Q(restricted_team__isnull=True) | Q(restricted_team_id=user.team_id)


class ReportQuerySet(ProtectedQuerySet["Report"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        if can_read_intel(user):
            return self.filter(_team_rule(user))  # type: ignore[arg-type]
        if can_submit(user):
            # An officer who may submit but not read intelligence sees only their own reports.
            return self.filter(author=user)
        return self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        if can_evaluate(user):
            return self.visible_to(user)
        if can_submit(user):
            return self.filter(author=user, status="submitted")
        return self.none()


def _may_add_links(user: User | AnonymousUser) -> bool:
    return can_read_intel(user) and user.has_cap(CREATE)  # type: ignore[union-attr]


class EntityQuerySet(ProtectedQuerySet["Entity"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_read_intel(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if _may_add_links(user) else self.none()


class GroupQuerySet(ProtectedQuerySet["Group"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_read_intel(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if _may_add_links(user) else self.none()


class LinkQuerySet(ProtectedQuerySet["Link"]):
    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.visible_to(user) if _may_add_links(user) else self.none()

    def visible_to(self, user: User | AnonymousUser) -> Self:
        if not can_read_intel(user):
            return self.none()
        return self.filter(
            Q(report__restricted_team__isnull=True) | Q(report__restricted_team_id=user.team_id)  # type: ignore[union-attr]
        )


def get_report_for(user: User | AnonymousUser, need: Need = "view", **lookup: Any) -> Report:
    from socex.intelligence.models import Report

    return get_for(user, Report.objects.all(), need=need, sensitive=True, **lookup)
