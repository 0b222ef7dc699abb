"""Live matching: who in the index might this be, how likely, and why.

:func:`match_person` finds candidates through the blocking keys (``keys.query_keys``, one
indexed lookup per key, each capped), scores every candidate field by field and returns them
ranked. The score is a Fellegi-Sunter match weight: each field adds the log2 of how much more
often its outcome happens for the same person than for two different people, on top of a prior
for two records picked at random from a large index. Each field also gives a plain-English
reason ("surname sounds alike (Smyth/Smith)"), so an officer sees why, not just a number.

The weights below are the starting model. The batch job (``socex.people.dedupe``) trains a
Splink model on the whole index; its figures are in ``docs/benchmarks.md``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.db import connection, transaction

from socex.people.details import PersonDetails
from socex.people.keys import query_keys
from socex.people.names import are_variants, similarity, sound_alike
from socex.people.normalise import fold_name, postcode_district

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.people.models import Person

Outcome = Literal["agree", "partial", "disagree", "missing"]

PRIOR_WEIGHT = -14.0
"""log2 of the prior odds that a query and one candidate are the same person."""
ROWS_PER_KEY = 200
"""At most this many people are read for any one key, so a common key cannot turn into a scan."""
MAX_CANDIDATES = 100
"""Only the people sharing the most keys with the query are scored."""
SIMILAR = 0.88


def probability_of(match_weight: float) -> float:
    """The match probability a Fellegi-Sunter match weight (log2 odds) stands for."""
    return 1.0 / (1.0 + 2.0 ** (-match_weight))


@dataclass(frozen=True)
class Reason:
    field: str
    outcome: Outcome
    text: str
    weight: float


@dataclass
class Candidate:
    person: Person
    match_weight: float
    reasons: list[Reason] = field(default_factory=list)
    details: PersonDetails = field(default_factory=PersonDetails)
    """The candidate's identifying details as matching read them (postcodes current first)."""

    @property
    def postcodes(self) -> list[str]:
        return [postcode for postcode in self.details.postcodes if postcode]

    @property
    def probability(self) -> float:
        return probability_of(self.match_weight)

    @property
    def percent(self) -> int:
        """The probability as a whole percentage, never shown as 100 unless it is certain."""
        return min(99, math.floor(self.probability * 100))

    @property
    def band(self) -> str:
        if self.probability >= 0.95:
            return "Very likely"
        if self.probability >= 0.8:
            return "Likely"
        return "Possible"

    @property
    def summary(self) -> str:
        said = [reason.text for reason in self.reasons if reason.outcome != "missing"]
        if not said:
            return "Nothing to compare."
        text = "; ".join(said)
        return text[0].upper() + text[1:] + "."


# --- comparing one field -----------------------------------------------------------------------


def _compare_given(query: str, candidate: str) -> tuple[Outcome, str, float]:
    q, c = fold_name(query), fold_name(candidate)
    if not q or not c:
        return "missing", "", 0.0
    pair = f"({query}/{candidate})"
    if q == c:
        return "agree", f"first name matches ({candidate})", 6.5
    if are_variants(q, c):
        return "partial", f"first name is a known variant {pair}", 5.0
    if similarity(q, c) >= SIMILAR:
        return "partial", f"first name is spelt similarly {pair}", 3.5
    if sound_alike(q, c):
        return "partial", f"first name sounds alike {pair}", 3.0
    if (len(q) == 1 or len(c) == 1) and q[0] == c[0]:
        return "partial", f"first initial matches {pair}", 0.5
    return "disagree", f"first name is different {pair}", -4.5


def _compare_family(query: str, candidate: str) -> tuple[Outcome, str, float]:
    q, c = fold_name(query), fold_name(candidate)
    if not q or not c:
        return "missing", "", 0.0
    pair = f"({query}/{candidate})"
    if q == c:
        return "agree", f"surname matches ({candidate})", 8.0
    if sound_alike(q, c):
        return "partial", f"surname sounds alike {pair}", 4.5
    if similarity(q, c) >= SIMILAR:
        return "partial", f"surname is spelt similarly {pair}", 4.0
    return "disagree", f"surname is different {pair}", -4.0


def _name_reasons(query: PersonDetails, candidate: PersonDetails) -> list[Reason]:
    """The best way the query's names line up with any of the candidate's names (aliases included)."""
    query_names = query.names()
    if not query_names:
        return []
    q_given, q_family = query_names[0]
    best: list[Reason] = []
    best_total = -math.inf
    for index, (c_given, c_family) in enumerate(candidate.names()):
        for swapped in (False, True):
            given, family = (q_family, q_given) if swapped else (q_given, q_family)
            g_outcome, g_text, g_weight = _compare_given(given, c_given)
            f_outcome, f_text, f_weight = _compare_family(family, c_family)
            if swapped and "disagree" in (g_outcome, f_outcome):
                continue
            total = g_weight + f_weight - (1.0 if swapped else 0.0)
            if total <= best_total:
                continue
            best_total = total
            best = [
                Reason("given_name", g_outcome, g_text, g_weight),
                Reason("family_name", f_outcome, f_text, f_weight),
            ]
            if swapped:
                best.append(Reason("names", "partial", "first and last names are the other way round", -1.0))
            if index > 0:
                alias = " ".join(part for part in (c_given, c_family) if part)
                best.append(Reason("alias", "partial", f"matched on a name they are also known by ({alias})", 0.0))
    return best


def _one_digit_apart(a: dt.date, b: dt.date) -> bool:
    sa, sb = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    return sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


def _compare_dob(query: PersonDetails, candidate: PersonDetails) -> Reason:
    q, c = query.date_of_birth, candidate.date_of_birth
    if q is None or c is None:
        return Reason("date_of_birth", "missing", "no date of birth to compare", 0.0)
    if query.dob_is_exact and candidate.dob_is_exact:
        shown = c.strftime("%d/%m/%Y")
        if q == c:
            return Reason("date_of_birth", "agree", f"date of birth matches exactly ({shown})", 12.0)
        if q.year == c.year and q.day == c.month and q.month == c.day:
            return Reason("date_of_birth", "partial", f"day and month of birth are the other way round ({shown})", 6.0)
        if _one_digit_apart(q, c):
            return Reason("date_of_birth", "partial", f"date of birth differs by one digit ({shown})", 5.0)
        return Reason("date_of_birth", "disagree", f"date of birth is different ({shown})", -6.0)
    if abs(q.year - c.year) <= 1:
        return Reason("date_of_birth", "partial", f"year of birth is close (about {c.year})", 2.0)
    return Reason("date_of_birth", "disagree", f"year of birth is different (about {c.year})", -5.0)


def _compare_postcode(query: PersonDetails, candidate: PersonDetails) -> Reason:
    q_codes = [p for p in query.postcodes if p]
    c_codes = [p for p in candidate.postcodes if p]
    if not q_codes or not c_codes:
        return Reason("postcode", "missing", "no postcode to compare", 0.0)
    if q_codes[0] == c_codes[0]:
        return Reason("postcode", "agree", f"postcode matches ({c_codes[0]})", 9.0)
    shared = set(q_codes) & set(c_codes)
    if shared:
        return Reason("postcode", "agree", f"postcode matches an earlier address ({sorted(shared)[0]})", 7.0)
    q_districts = {postcode_district(p) for p in q_codes}
    c_districts = {postcode_district(p) for p in c_codes}
    if q_districts & c_districts:
        district = sorted(q_districts & c_districts)[0]
        return Reason("postcode", "partial", f"postcode district matches ({district})", 3.0)
    return Reason("postcode", "disagree", "postcodes are different (they may have moved)", -1.5)


_IDENTIFIER_LABELS = {
    "pnc": "PNC ID",
    "nhs": "NHS number",
    "upn": "Unique Pupil Number",
    "la": "local authority ID",
    "passport": "passport number",
    "other": "other identifier",
}
# One person has one NHS number, PNC ID and UPN; they may hold several passports or local IDs.
UNIQUE_IDENTIFIERS = frozenset({"nhs", "pnc", "upn"})


def _compare_identifiers(query: PersonDetails, candidate: PersonDetails) -> list[Reason]:
    reasons = []
    for kind in sorted({k for k, _ in query.identifiers} & {k for k, _ in candidate.identifiers}):
        label = _IDENTIFIER_LABELS.get(kind, kind)
        q_values = {v for k, v in query.identifiers if k == kind}
        c_values = {v for k, v in candidate.identifiers if k == kind}
        if q_values & c_values:
            reasons.append(Reason(kind, "agree", f"{label} matches", 16.0))
        elif kind in UNIQUE_IDENTIFIERS:
            reasons.append(Reason(kind, "disagree", f"{label} is different", -12.0))
        else:
            reasons.append(Reason(kind, "disagree", f"{label} is different", -2.0))
    return reasons


def _compare_contacts(query: PersonDetails, candidate: PersonDetails) -> list[Reason]:
    reasons = []
    if set(query.phones) & set(candidate.phones):
        reasons.append(Reason("phone", "agree", "phone number matches", 10.0))
    emails_q = {e.lower() for e in query.emails}
    if emails_q & {e.lower() for e in candidate.emails}:
        reasons.append(Reason("email", "agree", "email address matches", 10.0))
    return reasons


def _compare_gender(query: PersonDetails, candidate: PersonDetails) -> list[Reason]:
    known = ("female", "male")
    if query.gender in known and candidate.gender in known and query.gender != candidate.gender:
        return [Reason("gender", "disagree", "recorded gender is different", -3.0)]
    return []


def compare(query: PersonDetails, candidate: PersonDetails) -> list[Reason]:
    """Every field's outcome, in the order an officer reads them."""
    return [
        *_name_reasons(query, candidate),
        _compare_dob(query, candidate),
        _compare_postcode(query, candidate),
        *_compare_identifiers(query, candidate),
        *_compare_contacts(query, candidate),
        *_compare_gender(query, candidate),
    ]


def score(query: PersonDetails, candidate: PersonDetails) -> tuple[float, list[Reason]]:
    reasons = compare(query, candidate)
    return PRIOR_WEIGHT + sum(reason.weight for reason in reasons), reasons


# --- finding candidates ------------------------------------------------------------------------


def candidate_ids(keys: Iterable[str], *, rows_per_key: int = ROWS_PER_KEY) -> Counter[int]:
    """How many of ``keys`` each person shares, reading at most ``rows_per_key`` people per key.

    One statement: a capped index lookup per key, joined with UNION ALL.
    """
    from socex.people.models import MatchKey

    keys = sorted(set(keys))
    if not keys:
        return Counter()
    quote = connection.ops.quote_name
    table, key_column, person_column = quote(MatchKey._meta.db_table), quote("key"), quote("person_id")
    # Table and column names come from the model; every key is a bound parameter.
    inner = f"SELECT {person_column} FROM {table} WHERE {key_column} = %s LIMIT {int(rows_per_key)}"  # noqa: S608
    one = f"SELECT {person_column} FROM ({inner}) AS k{{}}"  # noqa: S608
    sql = " UNION ALL ".join(one.format(index) for index in range(len(keys)))
    with connection.cursor() as cursor:
        cursor.execute(sql, keys)
        return Counter(row[0] for row in cursor.fetchall())


def _in_list(count: int) -> str:
    return "(" + ", ".join(["%s"] * count) + ")"


def _as_date(value: Any) -> dt.date | None:
    """A date column read through a plain cursor: SQLite gives text, PostgreSQL a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _visible_ids(person_ids: list[int], user: User | AnonymousUser | None) -> list[int]:
    from socex.people.access import sees_whole_index
    from socex.people.models import Person

    if user is None or sees_whole_index(user):
        return person_ids
    return list(Person.objects.visible_to(user).filter(pk__in=person_ids).values_list("pk", flat=True))


def candidate_details(person_ids: Iterable[int], user: User | AnonymousUser | None = None) -> dict[int, PersonDetails]:
    """The identifying details of current people among ``person_ids`` (those ``user`` may see).

    Two plain statements whatever the number of people: one for the people, one ``UNION ALL``
    for all their aliases, postcodes, phones, emails and identifiers. Plain SQL and values, not
    the ORM and model instances: this runs on every keystroke of a form, and at a million people
    building the queries cost more than running them (docs/benchmarks.md).
    """
    from socex.people.models import Person

    ids = _visible_ids(list(person_ids), user)
    if not ids:
        return {}
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(c)
        for c in (
            "id",
            "given_name",
            "family_name",
            "middle_names",
            "preferred_name",
            "date_of_birth",
            "dob_precision",
            "gender",
        )
    )
    sql = (
        f"SELECT {columns} FROM {quote(Person._meta.db_table)} "  # noqa: S608 - names from the model
        f"WHERE {quote('merged_into_id')} IS NULL AND {quote('id')} IN {_in_list(len(ids))}"
    )
    with _no_parallel_plans(), connection.cursor() as cursor:
        cursor.execute(sql, ids)
        found = {
            pk: PersonDetails(
                given_name=given,
                family_name=family,
                middle_names=middle,
                preferred_name=preferred,
                date_of_birth=_as_date(dob),
                dob_precision=precision,
                gender=gender,
            )
            for pk, given, family, middle, preferred, dob, precision, gender in cursor.fetchall()
        }
        if found:
            cursor.execute(*_parts_sql(list(found)))
            _add_parts(found, cursor.fetchall())
    return found


@contextmanager
def _no_parallel_plans() -> Iterator[None]:
    """On PostgreSQL, run the enclosed queries without parallel workers.

    The details queries read a few rows through five indexes. PostgreSQL's planner tends to
    run them in parallel, and starting the workers costs far more (about 20 ms) than the work
    (3 ms): docs/benchmarks.md, "People: live matching".
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        try:
            yield
        finally:  # inside a caller's transaction, leave its setting as it was
            cursor.execute("SET LOCAL max_parallel_workers_per_gather TO DEFAULT")


def _parts_sql(person_ids: list[int]) -> tuple[str, list[int]]:
    from socex.people.models import Address, Alias, Email, Identifier, Phone

    quote = connection.ops.quote_name
    branches = [
        (Alias, "alias", "given_name", "family_name", None),
        (Address, "postcode", "postcode", None, "date_from"),
        (Phone, "phone", "number", None, None),
        (Email, "email", "address", None, None),
        (Identifier, "identifier", "kind", "value", None),
    ]
    selects = []
    for model, kind, first, second, when in branches:
        second_sql = quote(second) if second else "''"
        when_sql = quote(when) if when else "CAST(NULL AS DATE)"
        selects.append(
            f"SELECT {quote('person_id')}, '{kind}', {quote(first)}, {second_sql}, {when_sql} "  # noqa: S608
            f"FROM {quote(model._meta.db_table)} WHERE {quote('person_id')} IN {_in_list(len(person_ids))}"
        )
    return " UNION ALL ".join(selects), person_ids * len(branches)


def _add_parts(found: dict[int, PersonDetails], rows: Iterable[tuple[Any, ...]]) -> None:
    addresses: dict[int, list[tuple[dt.date, str]]] = {}
    for person_id, kind, first, second, when in rows:
        details = found[person_id]
        if kind == "alias":
            details.aliases.append((first, second))
        elif kind == "postcode" and first:
            addresses.setdefault(person_id, []).append((_as_date(when) or dt.date.min, first))
        elif kind == "phone":
            details.phones.append(first)
        elif kind == "email":
            details.emails.append(first)
        elif kind == "identifier":
            details.identifiers.append((first, second))
    for person_id, dated in addresses.items():
        found[person_id].postcodes = [postcode for _, postcode in sorted(dated, key=lambda d: d[0], reverse=True)]


def match_person(
    details: PersonDetails,
    *,
    user: User | AnonymousUser | None = None,
    limit: int = 10,
    min_probability: float = 0.05,
    exclude: Iterable[int] = (),
) -> list[Candidate]:
    """The people in the index who may be the person described, most likely first.

    With ``user``, only people that user may see are considered (a partner does not learn whom
    else the index holds). ``exclude`` leaves out people by id (the person being edited).
    Auditing the search is the caller's job, since only it knows the channel and terms.
    """
    from socex.people.models import Person

    if details.is_empty():
        return []
    hits = candidate_ids(query_keys(details))
    for person_id in exclude:
        hits.pop(person_id, None)
    best_ids = [person_id for person_id, _ in hits.most_common(MAX_CANDIDATES)]
    scored = []
    for person_id, candidate in candidate_details(best_ids, user).items():
        weight, reasons = score(details, candidate)
        if probability_of(weight) >= min_probability:
            scored.append((weight, person_id, reasons, candidate))
    scored.sort(key=lambda item: (-item[0], item[1]))
    scored = scored[:limit]
    people = Person.objects.select_related("owner").in_bulk([item[1] for item in scored])
    return [
        Candidate(person=people[pid], match_weight=weight, reasons=reasons, details=found)
        for weight, pid, reasons, found in scored
    ]
