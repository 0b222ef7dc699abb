"""Who may see intelligence.

* Intelligence is police-only: ``intel.view`` (a police-only capability) to read reports,
  entities, links and the network; ``intel.create`` to submit; ``intel.evaluate`` to grade,
  sanitise and publish.
* A report with a ``restricted_team`` is visible only to that team's members.
* Partners never see a report, its grading or its source. What they receive is a sanitised
  copy disseminated to their agency through the sharing ledger, served by its own view.

* A published report disseminated to a partner agency (an active share in the sharing ledger)
  is seen by that agency's users only as a :class:`SharedReport`: reference, area, the
  sanitised text and the share. The original text, grading and source are never read for them.

Every read of one report, entity, group or shared report is audited (``sensitive=True``).

This module must not import the models at module level: ``models.py`` imports the querysets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.db.models import Q
from django.http import Http404

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.intelligence.models import Entity, Group, Link, Report  # noqa: F401 (named in the querysets' type parameters)
    from socex.sharing.models import Share

RECORD_TYPE = "intelligence.report"
VIEW = "intel.view"
CREATE = "intel.create"
EVALUATE = "intel.evaluate"
SHARING_MANAGE = "sharing.manage"
ENTITY_TYPE = "intelligence.entity"
GROUP_TYPE = "intelligence.group"


def _signed_in(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_read_intel(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and bool(getattr(user, "is_police", False)) and user.has_cap(VIEW)  # type: ignore[union-attr]


def can_evaluate(user: User | AnonymousUser) -> bool:
    return can_read_intel(user) and user.has_cap(EVALUATE)  # type: ignore[union-attr]


def can_submit(user: User | AnonymousUser) -> bool:
    return _signed_in(user) and bool(getattr(user, "is_police", False)) and user.has_cap(CREATE)  # type: ignore[union-attr]


def can_use_intelligence(user: User | AnonymousUser) -> bool:
    """May this user open the intelligence pages at all? (The rule of its navigation entry.)"""
    return can_read_intel(user) or can_submit(user)


def can_disseminate(user: User | AnonymousUser) -> bool:
    """Police intelligence readers who may also share records (``sharing.manage``)."""
    return can_read_intel(user) and user.has_cap(SHARING_MANAGE)  # type: ignore[union-attr]


def can_add_mentions(user: User | AnonymousUser, report: Report) -> bool:
    """May ``user`` (who can see ``report``) confirm entities and add links on it?

    Intelligence readers who may submit (``intel.view`` and ``intel.create``) on any report they
    see; evaluators on any; the author while it is still submitted.
    """
    from socex.intelligence.models import Report

    if _may_add_links(user):
        return True
    return Report.objects.editable_by(user).filter(pk=report.pk).exists()


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
    """One report for ``user`` (404 if they may not see it, 403 for ``need="edit"`` if they may not
    change it); the read is audited."""
    from socex.intelligence.models import Report

    reports = Report.objects.select_related("lpa", "author", "owner", "evaluated_by", "restricted_team")
    return get_for(user, reports, need=need, sensitive=True, **lookup)


def get_entity_for(user: User | AnonymousUser, entity_id: object, need: Need = "view") -> Entity:
    """One entity (a person, phone, vehicle, place...) for an intelligence reader; audited."""
    from socex.intelligence.models import Entity

    entities = Entity.objects.select_related("person", "group")
    return get_for(user, entities, need=need, sensitive=True, pk=entity_id)


def get_group_for(user: User | AnonymousUser, group_id: object, need: Need = "view") -> Group:
    """One organised crime group or county line for an intelligence reader; audited."""
    from socex.intelligence.models import Group

    return get_for(user, Group.objects.all(), need=need, sensitive=True, pk=group_id)


# --- What a partner agency sees ------------------------------------------------------------------


@dataclass(frozen=True)
class SharedReport:
    """A disseminated report as its recipient sees it: never the original text, grading or source."""

    id: int
    reference: str
    lpa: str
    sanitised_text: str
    published_at: dt.datetime | None
    share_reference: str
    shared_at: dt.datetime
    until: dt.date
    legal_basis: str
    scope: str
    shared_by_organisation: str


# The only report columns a partner's query ever reads.
SHARED_FIELDS = ("id", "reference", "lpa__name", "sanitised_text", "published_at")


def disseminated_reports(user: User | AnonymousUser) -> Any:
    """The published reports shared with ``user``'s organisation today (a ``Report`` queryset, to be
    read only through :func:`shared_report_rows`). None for anyone signed out or without an
    organisation."""
    from socex.intelligence.models import Report, ReportStatus
    from socex.sharing.services import active_shared_ids

    organisation = getattr(user, "organisation", None) if _signed_in(user) else None
    if organisation is None:
        return Report.objects.none()
    ids = active_shared_ids(Report, organisation)
    return Report.objects.filter(pk__in=ids, status=ReportStatus.PUBLISHED).exclude(sanitised_text="")


def _latest_shares(user: User | AnonymousUser, report_ids: list[int]) -> dict[str, Share]:
    from django.contrib.contenttypes.models import ContentType

    from socex.intelligence.models import Report
    from socex.sharing.models import Share

    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return {}
    shares = (
        Share.objects.active()
        .filter(
            content_type=ContentType.objects.get_for_model(Report),
            object_id__in=[str(pk) for pk in report_ids],
            organisation_id=organisation_id,
        )
        .select_related("legal_basis", "shared_by_organisation")
        .order_by("shared_at")
    )
    return {share.object_id: share for share in shares}  # the latest share of each wins


def shared_report_rows(user: User | AnonymousUser, reports: Any) -> list[SharedReport]:
    """``reports`` (from :func:`disseminated_reports`, perhaps narrowed) as :class:`SharedReport` rows."""
    rows = list(reports.values(*SHARED_FIELDS))
    shares = _latest_shares(user, [row["id"] for row in rows])
    shared = []
    for row in rows:
        share = shares.get(str(row["id"]))
        if share is None:
            continue
        shared.append(
            SharedReport(
                id=row["id"],
                reference=row["reference"],
                lpa=row["lpa__name"],
                sanitised_text=row["sanitised_text"],
                published_at=row["published_at"],
                share_reference=share.reference,
                shared_at=share.shared_at,
                until=share.until,
                legal_basis=share.legal_basis.title,
                scope=share.scope,
                shared_by_organisation=share.shared_by_organisation.name,
            )
        )
    return shared


def get_shared_report_for(user: User | AnonymousUser, reference: str) -> SharedReport:
    """One report disseminated to ``user``'s organisation, as its sanitised copy; 404 otherwise.

    The read is audited as a view of the report, noting that only the sanitised copy was shown.
    """
    from socex.audit.models import Action
    from socex.audit.services import record

    rows = shared_report_rows(user, disseminated_reports(user).filter(reference=reference))
    if not rows:
        raise Http404
    shared = rows[0]
    record(
        Action.VIEW,
        object_type=RECORD_TYPE,
        object_id=str(shared.id),
        object_repr=shared.reference,
        detail={"shown": "sanitised copy", "share_reference": shared.share_reference},
    )
    return shared
