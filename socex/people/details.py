"""The identifying details of a person, as matching, blocking keys, imports and synthesis see them.

:class:`PersonDetails` is plain data (no database): what someone typed into a referral form,
one row of a school's list, or a person already in the index (:func:`details_from_person`).
Values are expected in normal form (see :mod:`socex.people.normalise`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socex.people.models import Person


@dataclass
class PersonDetails:
    given_name: str = ""
    family_name: str = ""
    middle_names: str = ""
    preferred_name: str = ""
    aliases: list[tuple[str, str]] = field(default_factory=list)
    """Other names as (given, family); either part may be blank (a street name is often one word)."""
    date_of_birth: dt.date | None = None
    dob_precision: str = ""
    """``exact``, ``year`` or ``age`` (see ``models.DobPrecision``); blank means exact if a date is given."""
    gender: str = ""
    postcodes: list[str] = field(default_factory=list)
    """Current address first, then earlier ones."""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    """(kind, value) pairs, e.g. ("nhs", "9434765919")."""

    @property
    def dob_is_exact(self) -> bool:
        return self.date_of_birth is not None and self.dob_precision in ("", "exact")

    def names(self) -> list[tuple[str, str]]:
        """Every (given, family) the person is known by: the main name, the preferred name, then aliases."""
        names = [(self.given_name, self.family_name)]
        if self.preferred_name and self.preferred_name != self.given_name:
            names.append((self.preferred_name, self.family_name))
        names.extend(self.aliases)
        return [(given, family) for given, family in names if given or family]

    def is_empty(self) -> bool:
        return not (
            self.names() or self.date_of_birth or self.postcodes or self.phones or self.emails or self.identifiers
        )


def details_from_person(person: Person) -> PersonDetails:
    """The details of a person in the index. Prefetch aliases, addresses, phones, emails and
    identifiers when calling this for many people."""
    return PersonDetails(
        given_name=person.given_name,
        family_name=person.family_name,
        middle_names=person.middle_names,
        preferred_name=person.preferred_name,
        aliases=[(a.given_name, a.family_name) for a in person.aliases.all()],
        date_of_birth=person.date_of_birth,
        dob_precision=person.dob_precision,
        gender=person.gender,
        postcodes=[a.postcode for a in person.addresses.all() if a.postcode],
        phones=[p.number for p in person.phones.all()],
        emails=[e.address for e in person.emails.all()],
        identifiers=[(i.kind, i.value) for i in person.identifiers.all()],
    )
