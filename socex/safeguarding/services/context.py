"""Contextual safeguarding: locations of concern and peer groups, and the cases they bear on.

Linking a location or a peer group to a case writes that into the case's chronology (category
``contextual``), so the case shows the places and groups it is connected to.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from socex.audit.services import record_change, record_create, snapshot
from socex.cases.models import Case
from socex.cases.services import chronology_add
from socex.people.normalise import clean_postcode
from socex.safeguarding.access import can_use_safeguarding
from socex.safeguarding.models import Location, LocationKind, PeerGroup

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.areas.models import LPA
    from socex.people.models import Person

LOCATION_FIELDS = ("name", "kind", "address", "postcode", "latitude", "longitude", "lpa", "notes", "cases")
GROUP_FIELDS = ("name", "lpa", "notes", "members", "cases")
# A point must fall in the United Kingdom (with its near waters): a typo such as a swapped
# latitude and longitude lands far outside.
UK_LATITUDE = (Decimal("49.8"), Decimal("60.9"))
UK_LONGITUDE = (Decimal("-8.7"), Decimal("1.8"))


def _check_can_record(actor: User) -> None:
    if not can_use_safeguarding(actor) or actor.organisation_id is None:
        raise PermissionDenied("Your roles do not include contextual safeguarding.")


def _check_version(obj: Location | PeerGroup, version: int) -> Location | PeerGroup:
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if current.version != version:
        raise ValidationError(
            {
                "version": f"Someone else changed {current} while you were looking at it. Your change was not "
                "saved: look at it again, then make your change."
            }
        )
    return current


def _check_can_change(actor: User, obj: Location | PeerGroup) -> None:
    if not type(obj).objects.editable_by(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied("Only the agency that recorded this can change it.")


def _visible_cases(actor: User, cases: Iterable[Case]) -> list[Case]:
    cases = list(cases)
    visible = set(Case.objects.visible_to(actor).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True))
    hidden = [case.reference for case in cases if case.pk not in visible]
    if hidden:
        raise ValidationError({"cases": f"There is no case you can see with the reference {', '.join(hidden)}."})
    return cases


def _location_values(
    *,
    name: str,
    kind: str,
    address: str,
    postcode: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"name": name.strip(), "kind": kind, "address": address.strip()}
    if not values["name"]:
        errors["name"] = "Enter what the place is called, for example 'Bus station underpass'."
    if kind not in LocationKind.values:
        errors["kind"] = "Choose the type of place."
    try:
        values["postcode"] = clean_postcode(postcode)
    except ValidationError as error:
        errors["postcode"] = error.messages[0]
    if (latitude is None) != (longitude is None):
        errors["latitude" if latitude is None else "longitude"] = (
            "Enter both the latitude and the longitude of the point, or neither."
        )
    elif latitude is not None and longitude is not None:
        if not UK_LATITUDE[0] <= latitude <= UK_LATITUDE[1]:
            errors["latitude"] = f"The latitude must be in the UK, between {UK_LATITUDE[0]} and {UK_LATITUDE[1]}."
        if not UK_LONGITUDE[0] <= longitude <= UK_LONGITUDE[1]:
            errors["longitude"] = f"The longitude must be in the UK, between {UK_LONGITUDE[0]} and {UK_LONGITUDE[1]}."
    values["latitude"] = latitude.quantize(Decimal("0.000001")) if latitude is not None else None
    values["longitude"] = longitude.quantize(Decimal("0.000001")) if longitude is not None else None
    if not errors and not (values["address"] or values["postcode"] or latitude is not None):
        errors["address"] = "Enter an address, a postcode or a point on the map (latitude and longitude)."
    if errors:
        raise ValidationError(errors)
    return values


def _note_links(*, actor: User, obj: Location | PeerGroup, cases: Iterable[Case], what: str) -> None:
    for case in cases:
        chronology_add(case=case, category="contextual", summary=f"Linked to {what}: {obj}", actor=actor, source=obj)


def _location_label(location: Location) -> str:
    return f"location of concern ({location.get_kind_display().lower()})"


@transaction.atomic
def location_create(
    *,
    actor: User,
    name: str,
    kind: str,
    lpa: LPA,
    address: str = "",
    postcode: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    notes: str = "",
    cases: Iterable[Case] = (),
) -> Location:
    """Record a location of concern, owned by the actor's agency.

    It needs an address, a postcode or a point (latitude and longitude together, in the UK);
    a postcode must be a real UK postcode. Each linked case must be one the actor can see, and
    gets a chronology entry.
    """
    _check_can_record(actor)
    values = _location_values(
        name=name, kind=kind, address=address, postcode=postcode, latitude=latitude, longitude=longitude
    )
    cases = _visible_cases(actor, cases)
    location = Location(**values, lpa=lpa, notes=notes.strip(), owner=actor.organisation, created_by=actor)
    location.save(force_insert=True)
    location.cases.set(cases)
    record_create(location, fields=LOCATION_FIELDS, actor=actor)
    _note_links(actor=actor, obj=location, cases=cases, what=_location_label(location))
    return location


@transaction.atomic
def location_update(
    *,
    actor: User,
    location: Location,
    version: int,
    name: str,
    kind: str,
    lpa: LPA,
    address: str = "",
    postcode: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    notes: str = "",
) -> Location:
    """Change a location's details (not its cases: see :func:`location_link_case`)."""
    _check_can_change(actor, location)
    current = _check_version(location, version)
    assert isinstance(current, Location)
    values = _location_values(
        name=name, kind=kind, address=address, postcode=postcode, latitude=latitude, longitude=longitude
    )
    before = snapshot(current, LOCATION_FIELDS)
    for field, value in {**values, "lpa": lpa, "notes": notes.strip()}.items():
        setattr(current, field, value)
    _bump(current, [*values, "lpa", "notes"])
    record_change(current, before=before, fields=LOCATION_FIELDS)
    return current


def _bump(obj: models.Model, fields: list[str]) -> None:
    obj.version += 1  # type: ignore[attr-defined]
    obj.updated_at = timezone.now()  # type: ignore[attr-defined]
    obj.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def context_link_case(*, actor: User, obj: Location | PeerGroup, case: Case) -> None:
    """Link a location or peer group to a case the actor can see (once); noted in the chronology."""
    _check_can_change(actor, obj)
    _visible_cases(actor, [case])
    if obj.cases.filter(pk=case.pk).exists():
        raise ValidationError({"case": f"{case.reference} is already linked."})
    before = snapshot(obj, ("cases",))
    obj.cases.add(case)
    record_change(obj, before=before, fields=("cases",))
    what = _location_label(obj) if isinstance(obj, Location) else "peer group"
    _note_links(actor=actor, obj=obj, cases=[case], what=what)


@transaction.atomic
def context_unlink_case(*, actor: User, obj: Location | PeerGroup, case: Case) -> None:
    """Remove the link between a location or peer group and a case (the chronology keeps both)."""
    _check_can_change(actor, obj)
    before = snapshot(obj, ("cases",))
    obj.cases.remove(case)
    record_change(obj, before=before, fields=("cases",))
    what = _location_label(obj) if isinstance(obj, Location) else "peer group"
    chronology_add(case=case, category="contextual", summary=f"No longer linked to {what}: {obj}", actor=actor)


@transaction.atomic
def peer_group_create(
    *,
    actor: User,
    name: str,
    lpa: LPA | None = None,
    notes: str = "",
    members: Iterable[Person] = (),
    cases: Iterable[Case] = (),
) -> PeerGroup:
    """Record a peer group of concern, owned by the actor's agency. Members must be people the
    actor can see in the index; cases, cases they can see (each gets a chronology entry)."""
    from socex.people.models import Person

    _check_can_record(actor)
    if not name.strip():
        raise ValidationError({"name": "Enter a working name for the group, for example 'Caldmore Green group'."})
    members, cases = list(members), _visible_cases(actor, cases)
    visible = set(Person.objects.visible_to(actor).filter(pk__in=[p.pk for p in members]).values_list("pk", flat=True))
    if any(person.pk not in visible for person in members):
        raise ValidationError({"members": "A member must be someone you can see in the person index."})
    group = PeerGroup(name=name.strip(), lpa=lpa, notes=notes.strip(), owner=actor.organisation, created_by=actor)
    group.save(force_insert=True)
    group.members.set(members)
    group.cases.set(cases)
    record_create(group, fields=GROUP_FIELDS, actor=actor)
    _note_links(actor=actor, obj=group, cases=cases, what="peer group")
    return group


@transaction.atomic
def peer_group_update(
    *, actor: User, group: PeerGroup, version: int, name: str, lpa: LPA | None = None, notes: str = ""
) -> PeerGroup:
    _check_can_change(actor, group)
    current = _check_version(group, version)
    assert isinstance(current, PeerGroup)
    if not name.strip():
        raise ValidationError({"name": "Enter a working name for the group, for example 'Caldmore Green group'."})
    before = snapshot(current, GROUP_FIELDS)
    current.name, current.lpa, current.notes = name.strip(), lpa, notes.strip()
    _bump(current, ["name", "lpa", "notes"])
    record_change(current, before=before, fields=GROUP_FIELDS)
    return current


@transaction.atomic
def peer_group_add_member(*, actor: User, group: PeerGroup, person: Person) -> PeerGroup:
    """Add someone the actor can see in the person index to the group (once)."""
    from socex.people.models import Person

    _check_can_change(actor, group)
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": "There is no one with that reference that you can see in the person index."})
    if person.merged_into_id is not None:
        raise ValidationError({"person": f"{person.reference} was merged into another record: add that one instead."})
    if group.members.filter(pk=person.pk).exists():
        raise ValidationError({"person": f"{person.reference} is already a member of this group."})
    before = snapshot(group, ("members",))
    group.members.add(person)
    record_change(group, before=before, fields=("members",))
    return group


@transaction.atomic
def peer_group_remove_member(*, actor: User, group: PeerGroup, person: Person) -> PeerGroup:
    _check_can_change(actor, group)
    before = snapshot(group, ("members",))
    group.members.remove(person)
    record_change(group, before=before, fields=("members",))
    return group
