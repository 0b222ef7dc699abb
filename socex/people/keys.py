"""Blocking keys: how live matching finds candidates through an index instead of a scan.

Every person in the index has a handful of short keys (``MatchKey`` rows). A query builds its
own keys the same way, plus the variants a person typing might produce (names the other way
round, nicknames, day and month swapped), and looks each up through the ``(key, person)``
index. Each key is designed so that one common kind of difference still shares at least one
key with the true record:

* ``nm:<family>:<given>``: phonetic codes of family and given name (and of the full names a
  nickname is short for); still found when the date of birth is missing or mistyped, or they moved.
* ``db:<date>``: exact date of birth; found when the names are mistyped or changed.
* ``fy:<family>:<year>``: family name code and year of birth; found when the given name is a
  street name and the date of birth has a typo.
* ``pc:<postcode>``: full postcode; found when names and date of birth are both unreliable.
* ``pd:<district>:<family>``: postcode district and family name code; moved nearby, no DOB.
* ``id:``, ``ph:``, ``em:``: an identifier, phone number or email; found whatever else differs.

Keys are plain strings so the same lookup runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from socex.people.details import PersonDetails
from socex.people.names import name_roots, phonetic
from socex.people.normalise import postcode_district

MAX_KEY_LENGTH = 80


def _name_codes(given: str, family: str) -> tuple[str, set[str]]:
    """The family name's code and the codes of the given name and of the full names it may be short for."""
    given_codes = {phonetic(root) for root in name_roots(given)} - {""}
    return phonetic(family), given_codes


def _name_keys(names: Iterable[tuple[str, str]]) -> set[str]:
    keys: set[str] = set()
    for given, family in names:
        family_code, given_codes = _name_codes(given, family)
        if family_code and given_codes:
            keys.update(f"nm:{family_code}:{code}" for code in given_codes)
        elif family_code:
            keys.add(f"nm:{family_code}:")
    return keys


def _family_codes(details: PersonDetails, *, swapped: bool) -> set[str]:
    codes = {phonetic(family) for _, family in details.names()}
    if swapped:
        codes |= {phonetic(given) for given, _ in details.names()}
    return codes - {""}


def _dob_keys(details: PersonDetails, *, variants: bool) -> set[str]:
    dob = details.date_of_birth
    if dob is None:
        return set()
    keys = set()
    years = {dob.year}
    if details.dob_is_exact:
        keys.add(f"db:{dob.isoformat()}")
        if variants:
            keys.update(f"db:{date.isoformat()}" for date in _mistyped_dates(dob))
    if variants and not details.dob_is_exact:
        years |= {dob.year - 1, dob.year + 1}
    for family_code in _family_codes(details, swapped=variants):
        keys.update(f"fy:{family_code}:{year}" for year in years)
    return keys


def _mistyped_dates(dob: dt.date) -> list[dt.date]:
    """Day and month the other way round (03/02 for 02/03), when that is a date."""
    if dob.day <= 12 and dob.day != dob.month:
        try:
            return [dob.replace(month=dob.day, day=dob.month)]
        except ValueError:
            return []
    return []


def _place_keys(details: PersonDetails, *, variants: bool) -> set[str]:
    keys = set()
    family_codes = _family_codes(details, swapped=variants)
    for postcode in details.postcodes:
        if not postcode:
            continue
        keys.add(f"pc:{postcode}")
        keys.update(f"pd:{postcode_district(postcode)}:{code}" for code in family_codes)
    return keys


def _contact_keys(details: PersonDetails) -> set[str]:
    keys = {f"id:{kind}:{value}" for kind, value in details.identifiers if value}
    keys |= {f"ph:{number}" for number in details.phones if number}
    keys |= {f"em:{address.lower()}" for address in details.emails if address}
    return keys


def index_keys(details: PersonDetails) -> set[str]:
    """The keys stored for a person in the index."""
    keys = _name_keys(details.names()) | _dob_keys(details, variants=False)
    keys |= _place_keys(details, variants=False) | _contact_keys(details)
    return {key[:MAX_KEY_LENGTH] for key in keys}


def query_keys(details: PersonDetails) -> set[str]:
    """The keys to look up for a query: the index keys plus swapped names and mistyped dates."""
    names = details.names()
    swapped = [(family, given) for given, family in names]
    keys = _name_keys(names + swapped) | _dob_keys(details, variants=True)
    keys |= _place_keys(details, variants=True) | _contact_keys(details)
    return {key[:MAX_KEY_LENGTH] for key in keys}
