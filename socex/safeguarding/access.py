"""Who may see and change safeguarding actions, MACE meetings, locations and peer groups.

Everything here follows the case it belongs to (``socex.cases.access``):

* **Actions** are visible to whoever can see their case. The owning agency's users may update
  an action (status, the person who owns it, a note) and complete it; people who may change the
  case (``case.edit``: hub staff, or the lead agency) may also change its description, due date
  and agency, and cancel it. Everyone else who can see it gets 403; anyone else 404.
  New actions are added by people who may change the case, or at a MACE meeting by its chair.
* **MACE meetings** are visible to police users who see every case, and otherwise to the
  agencies invited, the organising agency and the chair. An agenda item's content is visible
  only to those who can see its case: everyone else sees "Item withheld: not shared with your
  agency", on the page and in the minutes. ``mace.manage`` holders run the meetings their
  organisation organises or they chair.
* **Locations of concern and peer groups** are visible to police users who see every case,
  and otherwise to the agency that recorded them and to those who can see a case they are
  linked to. The recording agency, and police users with ``case.edit``, change them.

Anyone without ``case.view_all``, ``case.view_shared`` or ``mace.manage`` sees none of it.
Every read of one record is audited (``sensitive=True``): each one is about a child at risk.

This module must not import the models at module level: ``models.py`` imports the querysets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q, QuerySet

from socex.cases.access import EDIT as CASE_EDIT
from socex.cases.access import VIEW_ALL, VIEW_SHARED, sees_all_cases
from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import Organisation, User
    from socex.cases.models import Case
    from socex.safeguarding.models import (  # noqa: F401 (named in the querysets' type parameters)
        Action,
        AgendaItem,
        Location,
        Meeting,
        PeerGroup,
    )

    Viewer = User | AnonymousUser

MACE_MANAGE = "mace.manage"
CAPABILITIES = (VIEW_ALL, VIEW_SHARED, MACE_MANAGE)
ACTION_TYPE = "safeguarding.action"
MEETING_TYPE = "safeguarding.meeting"
LOCATION_TYPE = "safeguarding.location"
PEER_GROUP_TYPE = "safeguarding.peergroup"


def _signed_in(user: Viewer) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_use_safeguarding(user: Viewer) -> bool:
    """May this user open the safeguarding area at all? (The rule of its navigation entry.)"""
    return _signed_in(user) and any(user.has_cap(cap) for cap in CAPABILITIES)  # type: ignore[union-attr]


def can_manage_meetings(user: Viewer) -> bool:
    return _signed_in(user) and user.has_cap(MACE_MANAGE)  # type: ignore[union-attr]


def _visible_cases(user: Viewer) -> QuerySet[Case]:
    from socex.cases.models import Case

    return Case.objects.visible_to(user)


def _editable_cases(user: Viewer) -> QuerySet[Case]:
    from socex.cases.models import Case

    return Case.objects.editable_by(user)


def can_add_action(user: Viewer, case: Case) -> bool:
    """Actions are added to a plan directly by people who may change the case."""
    return _editable_cases(user).filter(pk=case.pk).exists()


def can_change_case_of(user: Viewer, action: Action) -> bool:
    """May ``user`` change the whole action (description, due date, agency) or cancel it?"""
    return _editable_cases(user).filter(pk=action.case_id).exists()


# --- Which agencies take part in a case -----------------------------------------------------------


def agency_sees_case(organisation: Organisation | None, case: Case) -> bool:
    """Does ``organisation`` take part in ``case``: police (who see every case), its lead agency,
    or an agency the case is shared with today in the sharing ledger?

    The rule behind each agency's copy of the MACE minutes and behind who may own an action.
    """
    from socex.sharing.services import is_shared_with

    if organisation is None:
        return False
    return organisation.is_police or case.lead_agency_id == organisation.pk or is_shared_with(case, organisation)


def agencies_on_case(case: Case) -> QuerySet[Organisation]:
    """Every active agency that takes part in ``case`` (see :func:`agency_sees_case`)."""
    from socex.accounts.models import Organisation, OrganisationType
    from socex.sharing.services import shares_for

    shared = shares_for(case).active().values("organisation_id")
    return Organisation.objects.filter(
        Q(pk=case.lead_agency_id) | Q(pk__in=shared) | Q(org_type=OrganisationType.POLICE), is_active=True
    )


# --- Querysets ------------------------------------------------------------------------------------


class ActionQuerySet(ProtectedQuerySet["Action"]):
    def open(self) -> Self:
        from socex.safeguarding.models import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: Any = None) -> Self:
        from django.utils import timezone

        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_soon(self, today: Any = None) -> Self:
        """Open and due between today and ``SOCEX_ACTION_DUE_SOON_DAYS`` calendar days ahead."""
        import datetime as dt

        from django.utils import timezone

        from socex.safeguarding.conf import due_soon_days

        today = today or timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=due_soon_days()))

    def visible_to(self, user: Viewer) -> Self:
        if not can_use_safeguarding(user):
            return self.none()
        if sees_all_cases(user):
            return self.all()
        # The ids, not a subquery: a partner sees a few thousand cases at most, and PostgreSQL
        # plans "case_id IN (ids)" on the case index instead of hashing every open action.
        return self.filter(case_id__in=list(_visible_cases(user).order_by().values_list("pk", flat=True)))

    def editable_by(self, user: Viewer) -> Self:
        visible = self.visible_to(user)
        organisation_id = getattr(user, "organisation_id", None)
        own = Q(owner_agency_id=organisation_id) if organisation_id is not None else Q(pk__in=[])
        return visible.filter(own | Q(case__in=_editable_cases(user)))


class MeetingQuerySet(ProtectedQuerySet["Meeting"]):
    def visible_to(self, user: Viewer) -> Self:
        if not can_use_safeguarding(user):
            return self.none()
        if sees_all_cases(user):
            return self.all()
        organisation_id = getattr(user, "organisation_id", None)
        rule = Q(chair_id=user.pk)
        if organisation_id is not None:
            from socex.safeguarding.models import Meeting

            invited = Meeting.agencies.through.objects.filter(organisation_id=organisation_id).values("meeting_id")
            rule |= Q(organiser_id=organisation_id) | Q(pk__in=invited)
        return self.filter(rule)

    def editable_by(self, user: Viewer) -> Self:
        if not can_manage_meetings(user):
            return self.none()
        organisation_id = getattr(user, "organisation_id", None)
        rule = Q(chair_id=user.pk)
        if organisation_id is not None:
            rule |= Q(organiser_id=organisation_id)
        return self.visible_to(user).filter(rule)


class AgendaItemQuerySet(ProtectedQuerySet["AgendaItem"]):
    def visible_to(self, user: Viewer) -> Self:
        """Items whose meeting and whose case the user may both see (the rest are withheld)."""
        from socex.safeguarding.models import Meeting

        items = self.filter(meeting__in=Meeting.objects.visible_to(user))
        return items if sees_all_cases(user) else items.filter(case__in=_visible_cases(user))

    def editable_by(self, user: Viewer) -> Self:
        from socex.safeguarding.models import Meeting

        return self.visible_to(user).filter(meeting__in=Meeting.objects.editable_by(user))


class _ContextQuerySet[M: models.Model](ProtectedQuerySet[M]):
    """Locations and peer groups: the recording agency's, and those linked to a visible case."""

    def visible_to(self, user: Viewer) -> Self:
        if not can_use_safeguarding(user):
            return self.none()
        if sees_all_cases(user):
            return self.all()
        links = self.model.cases.through.objects.filter(case__in=_visible_cases(user))  # type: ignore[attr-defined]
        rule = Q(pk__in=links.values(self._link_column))
        organisation_id = getattr(user, "organisation_id", None)
        if organisation_id is not None:
            rule |= Q(owner_id=organisation_id)
        return self.filter(rule)

    def editable_by(self, user: Viewer) -> Self:
        visible = self.visible_to(user)
        if sees_all_cases(user) and user.has_cap(CASE_EDIT):  # type: ignore[union-attr]
            return visible
        organisation_id = getattr(user, "organisation_id", None)
        if organisation_id is None:
            return self.none()
        return visible.filter(owner_id=organisation_id)

    _link_column = ""


class LocationQuerySet(_ContextQuerySet["Location"]):
    _link_column = "location_id"


class PeerGroupQuerySet(_ContextQuerySet["PeerGroup"]):
    _link_column = "peergroup_id"


# --- One record -----------------------------------------------------------------------------------


def get_action_for(user: Viewer, need: Need = "view", **lookup: Any) -> Action:
    """One action for ``user``: 404 if they cannot see its case, 403 if ``need="edit"`` and they
    neither work for its agency nor may change the case. The read is audited."""
    from socex.safeguarding.models import Action

    actions = Action.objects.select_related("case", "case__lpa", "owner_agency", "owner", "agenda_item__meeting")
    return get_for(user, actions, need=need, sensitive=True, **lookup)


def get_meeting_for(user: Viewer, need: Need = "view", **lookup: Any) -> Meeting:
    """One MACE meeting: 404 if the user's agency is not invited (and they do not see every
    case), 403 if ``need="edit"`` and they do not run it. The read is audited."""
    from socex.safeguarding.models import Meeting

    meetings = Meeting.objects.select_related("chair", "organiser", "lpa")
    return get_for(user, meetings, need=need, sensitive=True, **lookup)


def get_location_for(user: Viewer, need: Need = "view", **lookup: Any) -> Location:
    from socex.safeguarding.models import Location

    return get_for(user, Location.objects.select_related("lpa", "owner"), need=need, sensitive=True, **lookup)


def get_peer_group_for(user: Viewer, need: Need = "view", **lookup: Any) -> PeerGroup:
    from socex.safeguarding.models import PeerGroup

    return get_for(user, PeerGroup.objects.select_related("lpa", "owner"), need=need, sensitive=True, **lookup)
