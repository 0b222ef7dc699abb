"""Who may see, change and merge people in the person index.

* ``person.view`` is needed for anything here.
* **Police** users with ``person.view`` see and change every person in the force: the index is
  the force's, and the hub's value is in seeing across agencies.
* **Partners** with ``person.view`` see the people their organisation created or holds a record
  about (a :class:`~socex.people.models.Holding`), and people shared with their organisation in
  the sharing ledger. They change only the people their organisation created or holds.
  Anyone else is a 404: a school does not learn whom the police know.
* ``person.merge`` (police only) reviews duplicates and merges and unmerges people.
* **Warning markers** are operational information: police users see them all; a partner sees
  the markers its own staff added, and every marker of a person shared with its organisation in
  the sharing ledger (the share is the disclosure decision). Holding a record about a child does
  not, by itself, show a partner what the police have flagged.

Every read of one person is audited (``sensitive=True``): each person is someone the service
protects or investigates. Searches and matches are audited by the views and API that run them.

This module must not import the models at module level: ``models.py`` imports the queryset
class from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db.models import Q

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from socex.accounts.models import User
    from socex.people.models import Marker, Person

RECORD_TYPE = "people.person"
"""How the audit log names a person record (searches, imports, bulk creation)."""
VIEW = "person.view"
MERGE = "person.merge"


def _signed_in(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_use_index(user: User | AnonymousUser) -> bool:
    """May this user search the person index at all? (The rule of its navigation entry.)"""
    return _signed_in(user) and user.has_cap(VIEW)  # type: ignore[union-attr]


def sees_whole_index(user: User | AnonymousUser) -> bool:
    return can_use_index(user) and bool(getattr(user, "is_police", False))


def can_merge(user: User | AnonymousUser) -> bool:
    return sees_whole_index(user) and user.has_cap(MERGE)  # type: ignore[union-attr]


def can_create(user: User | AnonymousUser) -> bool:
    """Police and partners with ``person.view`` may add people (partners for their own organisation)."""
    return can_use_index(user) and getattr(user, "organisation_id", None) is not None


class PersonQuerySet(ProtectedQuerySet["Person"]):
    def current(self) -> Self:
        """People not merged into someone else."""
        return self.filter(merged_into__isnull=True)

    def held_by(self, organisation_id: object) -> Self:
        return self.filter(Q(owner_id=organisation_id) | Q(holdings__organisation_id=organisation_id)).distinct()

    def visible_to(self, user: User | AnonymousUser) -> Self:
        if not can_use_index(user):
            return self.none()
        if sees_whole_index(user):
            return self.all()
        organisation = getattr(user, "organisation", None)
        if organisation is None:
            return self.none()
        from socex.people.models import Person
        from socex.sharing.services import active_shared_ids

        shared = active_shared_ids(Person, organisation)
        held = Q(owner_id=organisation.pk) | Q(holdings__organisation_id=organisation.pk)
        return self.filter(held | Q(pk__in=shared)).distinct()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        if not can_use_index(user):
            return self.none()
        if sees_whole_index(user):
            return self.all()
        organisation_id = getattr(user, "organisation_id", None)
        if organisation_id is None:
            return self.none()
        return self.held_by(organisation_id)


def markers_visible_to(user: User | AnonymousUser, person: Person) -> QuerySet[Marker]:
    """The warning markers of ``person`` that ``user`` (who may see the person) may see."""
    from socex.sharing.services import is_shared_with

    markers = person.markers.select_related("added_by")
    if sees_whole_index(user):
        return markers
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return markers.none()
    if is_shared_with(person, organisation):
        return markers
    return markers.filter(added_by__organisation_id=organisation.pk)


def get_person_for(
    user: User | AnonymousUser, person_id: object, need: Need = "view", justification: str = ""
) -> Person:
    """One person for ``user``: 404 if they may not see them, 403 if ``need="edit"`` and they may
    not change them. The read is written to the audit log."""
    from socex.people.models import Person

    people = Person.objects.select_related("owner", "lpa", "merged_into")
    return get_for(user, people, need=need, sensitive=True, justification=justification, pk=person_id)
