"""A synthetic West Midlands population for benchmarks, load tests and the demo, with ground truth.

:func:`synth_people` streams :class:`SynthPerson` records: identifying details
(:class:`~socex.people.details.PersonDetails`, in normal form), a profile (gender, ethnicity,
nationality), addresses, and the ground truth a benchmark needs: which real-world person
(``entity``) a record describes, the origin of the name, and which corruptions made a
duplicate differ from the first record.

**Names.** Thirteen origins reflect the region's communities (see ``ORIGINS``). Faker's
Latin-script locales supply English (``en_GB``), Irish (``en_IE``), Indian (``en_IN``, mixed with
Punjabi and Gujarati surnames), Polish (``pl_PL``), Romanian (``ro_RO``) and Black African
(Yoruba, Igbo, Hausa and Twi: ``yo_NG``, ``ig_NG``, ``ha_NG``, ``tw_GH``) names. Faker writes
Bengali, Arabic and Chinese names in their own scripts, so Pakistani, Bangladeshi, Caribbean,
Arab, Somali, Kurdish and Chinese names come from our own short lists in
:mod:`socex.people.synth_data`. Lists are weighted so common names are common.

**Duplicates.** ``duplicate_rate`` is the share of people who get one to three further records
(as another agency would hold them), each with one to three corruptions from ``CORRUPTIONS``:
a typo (a letter inserted, deleted, substituted or two swapped), a nickname (the English list
in ``reference/nicknames.csv`` or a curated short form), a spelling variant (Mohammed/Muhammad,
Chan/Chen), given and family names swapped, date of birth missing, mistyped (day and month
swapped, or one digit) or known only as a year, a new address, a different phone, and the
identifiers or contact details dropped. A corruption that cannot apply to a record (no
nickname known) is replaced by a typo, and the record says which were applied.

**Determinism.** Everything about person ``i`` comes from random generators seeded with
``(seed, i)``, so a record is the same however many are generated, and the first records do
not change with ``duplicate_rate``. Benchmarks use :meth:`Population.query` to make a fresh
corrupted copy of anyone, never written to the index, as a search would type them.

**Contact details and identifiers** are unique by construction (derived from ``i``):

* Mobiles: the first thousand people get Ofcom's drama numbers 07700 900000 to 900999; duplicates'
  "different phone" of the first 250 people comes from the drama landlines 0121 496 0000 to 0999.
  Everyone else needs more numbers than Ofcom reserves, so they get a scrambled number in
  07700 000000 to 07709 999999 (drama block skipped), unique for up to 1.2 million people. Those
  are real-looking mobile numbers; the data is synthetic and none is for dialling.
* Emails are at reserved ``.example`` domains.
* NHS numbers come from the test range 999 000 000x with a correct modulus-11 check digit
  (stems whose check digit would be 10 are skipped: about one person in eleven has none),
  unique for the first million people; after that no one gets one.
* Unique Pupil Numbers (school-age children) have the DfE check letter and the LA code of the
  person's borough; PNC IDs have the PNC check letter; local authority IDs carry a prefix for
  the borough.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from socex.people import synth_data as curated
from socex.people.details import PersonDetails
from socex.people.normalise import fold_name, nhs_check_digit
from socex.people.synth_data import BOROUGH_WEIGHTS, BOROUGHS, ETHNICITIES, NATIONALITIES, STREETS

AS_OF = dt.date(2026, 6, 30)
"""Ages are worked out at this date, so the same seed gives the same dates of birth every day."""

ORIGINS: dict[str, str] = {
    "english": "English / British",
    "irish": "Irish",
    "indian": "Indian",
    "pakistani": "Pakistani",
    "bangladeshi": "Bangladeshi",
    "black_african": "Black African",
    "caribbean": "Caribbean",
    "polish": "Polish",
    "romanian": "Romanian",
    "arabic": "Arab",
    "somali": "Somali",
    "kurdish": "Kurdish",
    "chinese": "Chinese",
}

# Roughly the West Midlands' mix (Census 2021, the seven boroughs), rounded.
WEST_MIDLANDS_WEIGHTS: dict[str, float] = {
    "english": 56,
    "pakistani": 10,
    "indian": 7,
    "black_african": 5,
    "caribbean": 4,
    "bangladeshi": 3,
    "polish": 3,
    "romanian": 3,
    "irish": 2,
    "arabic": 2,
    "somali": 2,
    "kurdish": 1.5,
    "chinese": 1.5,
}
BALANCED_WEIGHTS: dict[str, float] = dict.fromkeys(ORIGINS, 1.0)

CORRUPTIONS: dict[str, float] = {
    "typo": 0.24,
    "nickname": 0.1,
    "variant": 0.06,
    "swapped_names": 0.05,
    "dob_missing": 0.07,
    "dob_typo": 0.08,
    "dob_year_only": 0.04,
    "new_address": 0.14,
    "new_phone": 0.08,
    "dropped_identifiers": 0.08,
    "dropped_contact": 0.06,
}
"""Each duplicate gets one to three of these, drawn with these weights."""

INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
EMAIL_DOMAINS = ("mail.example", "inbox.example", "post.example", "webmail.example")

PHONE_SPACE = 10_000_000 - 1_000  # 07700 000000 to 07709 999999 without the drama block
PHONE_MULTIPLIER = 6_700_417  # prime, coprime with PHONE_SPACE: a scrambling bijection
SLOTS_PER_PERSON = 8  # phone numbers set aside for one person (first record, duplicates, queries)
NHS_SPACE = 1_000_000
NHS_MULTIPLIER = 7_919  # coprime with NHS_SPACE
UPN_SPACE = 1_000_000_000
UPN_MULTIPLIER = 48_271
PNC_SPACE = 10_000_000
PNC_MULTIPLIER = 16_807


# --- name lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameList:
    """Names with cumulative weights, for fast weighted draws."""

    names: tuple[str, ...]
    cumulative: tuple[float, ...]

    def draw(self, rng: random.Random) -> str:
        return self.names[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    @classmethod
    def of(cls, names: Sequence[str] | Mapping[str, float], *, zipf: bool = False) -> NameList:
        if isinstance(names, Mapping):
            pairs = list(names.items())
        else:
            unique = list(dict.fromkeys(names))
            # Curated lists are in order of commonness: weight the n-th name 1/(n+3).
            pairs = [(name, 1 / (rank + 3) if zipf else 1.0) for rank, name in enumerate(unique)]
        return cls(tuple(n for n, _ in pairs), tuple(itertools.accumulate(w for _, w in pairs)))

    @classmethod
    def join(cls, *lists: NameList) -> NameList:
        names: list[str] = []
        weights: list[float] = []
        for one in lists:
            total = one.cumulative[-1]
            previous = 0.0
            for name, cumulative in zip(one.names, one.cumulative, strict=True):
                names.append(name)
                weights.append((cumulative - previous) / total)
                previous = cumulative
        return cls(tuple(names), tuple(itertools.accumulate(weights)))


@dataclass(frozen=True)
class OriginNames:
    male: NameList
    female: NameList
    family_male: NameList
    family_female: NameList


def _faker_provider(locale: str) -> Any:
    from importlib import import_module

    return import_module(f"faker.providers.person.{locale}").Provider


def _faker_names(locale: str, attribute: str) -> NameList:
    return NameList.of(getattr(_faker_provider(locale), attribute))


def _polish_female(surname: str) -> str:
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname


def _curated(names: Mapping[str, Sequence[str]]) -> OriginNames:
    family = NameList.of(names["family"], zipf=True)
    return OriginNames(NameList.of(names["male"], zipf=True), NameList.of(names["female"], zipf=True), family, family)


@cache
def origin_names() -> dict[str, OriginNames]:
    """The name lists of every origin, built once from Faker's data and the curated lists."""
    english_family = _faker_names("en_GB", "last_names")
    irish_family = _faker_names("en_IE", "last_names")
    indian_family = NameList.join(_faker_names("en_IN", "last_names"), NameList.of(curated.INDIAN_FAMILY, zipf=True))
    polish_male_family = NameList.of(_faker_provider("pl_PL").male_last_names, zipf=True)
    polish_female_family = NameList(
        tuple(_polish_female(name) for name in polish_male_family.names), polish_male_family.cumulative
    )
    romanian_family = NameList.join(_faker_names("ro_RO", "last_names"), NameList.of(curated.ROMANIAN_FAMILY))
    african_locales = ("yo_NG", "ig_NG", "ha_NG", "tw_GH")
    african_family = NameList.join(*(_faker_names(loc, "last_names") for loc in african_locales))
    return {
        "english": OriginNames(
            _faker_names("en_GB", "first_names_male"),
            _faker_names("en_GB", "first_names_female"),
            english_family,
            english_family,
        ),
        "irish": OriginNames(
            _faker_names("en_IE", "first_names_male"),
            _faker_names("en_IE", "first_names_female"),
            irish_family,
            irish_family,
        ),
        "indian": OriginNames(
            _faker_names("en_IN", "first_names_male"),
            _faker_names("en_IN", "first_names_female"),
            indian_family,
            indian_family,
        ),
        "pakistani": _curated(curated.PAKISTANI),
        "bangladeshi": _curated(curated.BANGLADESHI),
        "black_african": OriginNames(
            NameList.join(*(_faker_names(loc, "first_names_male") for loc in african_locales)),
            NameList.join(*(_faker_names(loc, "first_names_female") for loc in african_locales)),
            african_family,
            african_family,
        ),
        "caribbean": _curated(curated.CARIBBEAN),
        "polish": OriginNames(
            NameList.of(_faker_provider("pl_PL").first_names_male),
            NameList.of(_faker_provider("pl_PL").first_names_female),
            polish_male_family,
            polish_female_family,
        ),
        "romanian": OriginNames(
            _faker_names("ro_RO", "first_names_male"),
            _faker_names("ro_RO", "first_names_female"),
            romanian_family,
            romanian_family,
        ),
        "arabic": _curated(curated.ARABIC),
        "somali": _curated(curated.SOMALI),
        "kurdish": _curated(curated.KURDISH),
        "chinese": _curated(curated.CHINESE),
    }


@cache
def nickname_table() -> dict[str, tuple[str, ...]]:
    """Folded full name -> nicknames (capitalised), from the English list and the curated short forms."""
    import csv

    from socex.people.names import NICKNAMES_CSV

    table: dict[str, list[str]] = {}
    with NICKNAMES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(fold_name(row["name1"]), []).append(row["name2"].strip().title())
    for full, short in curated.SHORT_FORMS.items():
        table.setdefault(fold_name(full), []).extend(short)
    return {name: tuple(dict.fromkeys(nicknames)) for name, nicknames in table.items()}


@cache
def variant_table() -> dict[str, tuple[str, ...]]:
    """Folded name -> the other spellings of it."""
    table: dict[str, tuple[str, ...]] = {}
    for group in curated.SPELLING_VARIANTS:
        for name in group:
            table[fold_name(name)] = tuple(other for other in group if other != name)
    return table


# --- identifiers and contact details -------------------------------------------------------------


def nhs_number(stem: int) -> str | None:
    """The NHS number with this 9-digit stem, or None if no check digit makes it valid."""
    digits = f"{stem:09d}"
    check = nhs_check_digit(digits)
    return None if check is None else digits + str(check)


UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(la_code: str, serial: int) -> str:
    """A Unique Pupil Number: DfE check letter, LA code, then nine digits."""
    body = f"{la_code}{serial:09d}"
    total = sum(int(d) * w for d, w in zip(body, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23] + body


PNC_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


def pnc_id(year: int, serial: int) -> str:
    """A PNC ID in normal form (``11/0123456A``) with its check letter."""
    yy = year % 100
    return f"{yy:02d}/{serial:07d}{PNC_CHECK_LETTERS[int(f'{yy:02d}{serial:07d}') % 23]}"


def mobile(index: int, number: int = 0) -> str:
    """Person ``index``'s ``number``-th mobile (E.164), unique to them.

    The first phone of the first thousand people is a drama number (07700 900xxx)."""
    if number == 0 and index < 1_000:
        return f"+447700900{index:03d}"
    slot = index * SLOTS_PER_PERSON + number
    scrambled = (PHONE_MULTIPLIER * slot + 12_345) % PHONE_SPACE
    if scrambled >= 900_000:
        scrambled += 1_000  # skip 07700 900000-900999, kept for the first thousand
    return f"+4477{scrambled:08d}"


def drama_landline(slot: int) -> str:
    return f"+44121496{slot:04d}"


def _scramble(index: int, multiplier: int, space: int) -> int:
    return (multiplier * index + 1_234) % space


# --- the records -----------------------------------------------------------------------------------


@dataclass
class SynthPerson:
    details: PersonDetails
    entity: int
    """The real-world person this record describes; a person's duplicates share it."""
    origin: str
    copy: int = 0
    """0 for the person's first record, 1 and up for duplicates, -1 for a query never written."""
    corruptions: tuple[str, ...] = ()
    profile: dict[str, str] = field(default_factory=dict)
    lpa_code: str = ""
    addresses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_duplicate(self) -> bool:
        return self.copy != 0


def _mix(seed: int, index: int, stream: int) -> int:
    """A well-spread 64-bit seed for one person and one purpose."""
    value = (seed * 0x9E3779B97F4A7C15 + index * 0xBF58476D1CE4E5B9 + stream * 0x94D049BB133111EB) & (2**64 - 1)
    value ^= value >> 31
    return value


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    roll = rng.random() * sum(w for _, w in options)
    for value, weight in options:
        roll -= weight
        if roll < 0:
            return value
    return options[-1][0]


class Population:
    """Everyone the generator can make for one seed; person ``i`` is always the same."""

    def __init__(
        self,
        *,
        seed: int = 0,
        duplicate_rate: float = 0.0,
        origin_weights: Mapping[str, float] | None = None,
        as_of: dt.date = AS_OF,
    ) -> None:
        if not 0.0 <= duplicate_rate <= 1.0:
            raise ValueError("duplicate_rate must be between 0 and 1.")
        weights = dict(origin_weights or WEST_MIDLANDS_WEIGHTS)
        unknown = set(weights) - set(ORIGINS)
        if unknown:
            raise ValueError(f"Unknown origins: {', '.join(sorted(unknown))}.")
        self.seed = seed
        self.duplicate_rate = duplicate_rate
        self.as_of = as_of
        self._origins = [(origin, float(w)) for origin, w in weights.items() if w > 0]
        self._boroughs = [(code, float(w)) for code, w in BOROUGH_WEIGHTS.items()]
        self._names = origin_names()

    # -- one person ---------------------------------------------------------------------------------

    def original(self, index: int) -> SynthPerson:
        """Person ``index``'s first record."""
        rng = random.Random(_mix(self.seed, index, 0))  # noqa: S311 - reproducible synthetic data, not secrets
        origin = _weighted(rng, self._origins)
        gender = _weighted(rng, (("male", 0.49), ("female", 0.49), ("unknown", 0.02)))
        given, middle, family = self._name(rng, origin, gender)
        age = self._age(rng)
        dob = self.as_of - dt.timedelta(days=int(age * 365.25))
        lpa_code = _weighted(rng, self._boroughs)
        addresses = [self._address(rng, lpa_code)]
        if rng.random() < 0.2:
            previous = self._address(rng, lpa_code if rng.random() < 0.7 else _weighted(rng, self._boroughs))
            moved = self.as_of - dt.timedelta(days=rng.randrange(60, 1500))
            addresses[0]["date_from"] = moved
            previous["date_to"] = moved
            addresses.append(previous)
        details = PersonDetails(
            given_name=given,
            family_name=family,
            middle_names=middle,
            date_of_birth=dob,
            dob_precision="exact",
            gender=gender,
            postcodes=[address["postcode"] for address in addresses],
        )
        if rng.random() < 0.05:
            nicknames = nickname_table().get(fold_name(given))
            if nicknames:
                details.preferred_name = rng.choice(nicknames)
        if rng.random() < 0.03:
            details.aliases.append((self._names[origin].male.draw(rng) if gender == "male" else given, ""))
        if age >= 11 and rng.random() < 0.75:
            details.phones.append(mobile(index))
        if age >= 13 and rng.random() < 0.45:
            details.emails.append(self._email(rng, given, family, index))
        details.identifiers = self._identifiers(rng, index, age, lpa_code)
        return SynthPerson(
            details=details,
            entity=index,
            origin=origin,
            profile=self._profile(rng, origin, gender, age),
            lpa_code=lpa_code,
            addresses=addresses,
        )

    def records_of(self, index: int) -> list[SynthPerson]:
        """Person ``index``'s first record and their duplicates (none, or one to three)."""
        original = self.original(index)
        rng = random.Random(_mix(self.seed, index, 1))  # noqa: S311 - reproducible synthetic data, not secrets
        records = [original]
        if rng.random() < self.duplicate_rate:
            copies = _weighted(rng, (("1", 0.75), ("2", 0.2), ("3", 0.05)))
            records.extend(self._corrupt(original, rng, copy) for copy in range(1, int(copies) + 1))
        return records

    def query(self, index: int, attempt: int = 0) -> SynthPerson:
        """A fresh corrupted copy of person ``index``, as someone might type them into a search.

        Never one of the records :meth:`records_of` gives; ``attempt`` makes further ones."""
        rng = random.Random(_mix(self.seed, index, 2 + attempt))  # noqa: S311 - reproducible synthetic data, not secrets
        return self._corrupt(self.original(index), rng, -1, phone_slot=SLOTS_PER_PERSON - 1 - attempt % 3)

    def stream(self, count: int, *, start: int = 0) -> Iterator[SynthPerson]:
        """``count`` records: people ``start``, ``start + 1``, ... each followed by their duplicates."""
        produced = 0
        for index in itertools.count(start):
            for record in self.records_of(index):
                if produced >= count:
                    return
                yield record
                produced += 1

    # -- parts ------------------------------------------------------------------------------------------

    def _name(self, rng: random.Random, origin: str, gender: str) -> tuple[str, str, str]:
        names = self._names[origin]
        female = gender == "female" or (gender == "unknown" and rng.random() < 0.5)
        first_names = names.female if female else names.male
        if rng.random() < curated.ANGLICISED_GIVEN_SHARE.get(origin, 0.0):
            first_names = self._names["english"].female if female else self._names["english"].male
        given = first_names.draw(rng)
        middle = ""
        if rng.random() < (0.35 if origin in ("english", "irish", "caribbean") else 0.12):
            middle = first_names.draw(rng)
            if middle == given:
                middle = ""
        family_names = names.family_female if female else names.family_male
        family = family_names.draw(rng)
        if family == given:
            family = family_names.draw(rng)
        if origin == "indian" and family in ("Singh", "Kaur"):
            family = "Kaur" if female else "Singh"
        return given, middle, family

    @staticmethod
    def _age(rng: random.Random) -> float:
        roll = rng.random()
        if roll < 0.5:
            return rng.uniform(10, 26)  # children and young people, the hubs' main concern
        if roll < 0.62:
            return rng.uniform(0, 10)
        return 26 + min(rng.expovariate(1 / 15), 64)

    @staticmethod
    def _address(rng: random.Random, lpa_code: str) -> dict[str, Any]:
        districts = BOROUGHS[lpa_code][3]
        district = rng.choice(list(districts))
        inward = f"{rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        return {
            "line_1": f"{rng.randrange(1, 240)} {rng.choice(STREETS)}",
            "town": districts[district],
            "postcode": f"{district} {inward}",
        }

    @staticmethod
    def _email(rng: random.Random, given: str, family: str, index: int) -> str:
        g, f = fold_name(given).replace(" ", ""), fold_name(family).replace(" ", "")
        local = rng.choice((f"{g}.{f}{index}", f"{g}{f}{index}", f"{g[:1]}{f}{index}", f"{f}.{g}{index}"))
        return f"{local}@{rng.choice(EMAIL_DOMAINS)}"

    def _identifiers(self, rng: random.Random, index: int, age: float, lpa_code: str) -> list[tuple[str, str]]:
        identifiers = []
        if index < NHS_SPACE and rng.random() < 0.7:
            number = nhs_number(999_000_000 + _scramble(index, NHS_MULTIPLIER, NHS_SPACE))
            if number:
                identifiers.append(("nhs", number))
        _, la_code, la_prefix, _ = BOROUGHS[lpa_code]
        if 4 <= age < 19 and rng.random() < 0.85:
            identifiers.append(("upn", upn(la_code, _scramble(index, UPN_MULTIPLIER, UPN_SPACE))))
        if age < 18 and rng.random() < 0.15:
            identifiers.append(("la", f"{la_prefix}{index:08d}"))
        if age >= 10 and rng.random() < (0.12 if age < 30 else 0.06):
            born = self.as_of.year - int(age)
            year = rng.randrange(born + 10, self.as_of.year + 1)
            identifiers.append(("pnc", pnc_id(year, _scramble(index, PNC_MULTIPLIER, PNC_SPACE))))
        return identifiers

    def _profile(self, rng: random.Random, origin: str, gender: str, age: float) -> dict[str, str]:
        nationality = "British"
        if origin in NATIONALITIES and age >= 18:
            name, share = NATIONALITIES[origin]
            if rng.random() < share:
                nationality = name
        return {"gender": gender, "ethnicity": _weighted(rng, ETHNICITIES[origin]), "nationality": nationality}

    # -- duplicates -----------------------------------------------------------------------------------

    def _corrupt(self, original: SynthPerson, rng: random.Random, copy: int, *, phone_slot: int = 0) -> SynthPerson:
        details = replace(
            original.details,
            aliases=list(original.details.aliases),
            postcodes=list(original.details.postcodes),
            phones=list(original.details.phones),
            emails=list(original.details.emails),
            identifiers=list(original.details.identifiers),
        )
        addresses = [dict(address) for address in original.addresses]
        how_many = int(_weighted(rng, (("1", 0.5), ("2", 0.35), ("3", 0.15))))
        chosen: list[str] = []
        options = list(CORRUPTIONS.items())
        while len(chosen) < how_many:
            kind = _weighted(rng, options)
            # One thing at most happens to the date of birth.
            options = [(k, w) for k, w in options if k != kind and not (k[:4] == kind[:4] == "dob_")]
            chosen.append(kind)
        applied = [self._apply(kind, details, addresses, original, rng, copy, phone_slot) for kind in chosen]
        while _same_identity(details, original.details):  # two typos can undo each other
            details.family_name = typo(details.family_name, rng)
            applied.append("typo_family")
        return SynthPerson(
            details=details,
            entity=original.entity,
            origin=original.origin,
            copy=copy,
            corruptions=tuple(applied),
            profile=dict(original.profile),
            lpa_code=original.lpa_code,
            addresses=addresses,
        )

    def _apply(
        self,
        kind: str,
        details: PersonDetails,
        addresses: list[dict[str, Any]],
        original: SynthPerson,
        rng: random.Random,
        copy: int,
        phone_slot: int,
    ) -> str:
        """Apply one corruption; returns the one applied (a typo when ``kind`` cannot apply)."""
        if not _can_apply(kind, details):
            kind = "typo"
        if kind == "nickname":
            nicknames = nickname_table().get(fold_name(details.given_name))
            if nicknames:
                details.given_name = rng.choice(nicknames)
                return kind
            kind = "typo"
        if kind == "variant":
            for part in rng.sample(("given_name", "family_name"), 2):
                variants = variant_table().get(fold_name(getattr(details, part)))
                if variants:
                    setattr(details, part, rng.choice(variants))
                    return kind
            kind = "typo"
        if kind == "typo":
            part = "given_name" if rng.random() < 0.5 else "family_name"
            setattr(details, part, typo(getattr(details, part), rng))
            return f"typo_{part.split('_')[0]}"
        if kind == "swapped_names":
            details.given_name, details.family_name = details.family_name, details.given_name
        elif kind == "dob_missing":
            details.date_of_birth, details.dob_precision = None, ""
        elif kind == "dob_typo" and details.date_of_birth:
            details.date_of_birth = mistype_date(details.date_of_birth, rng, self.as_of)
        elif kind == "dob_year_only" and details.date_of_birth:
            details.date_of_birth, details.dob_precision = dt.date(details.date_of_birth.year, 7, 1), "year"
        elif kind == "new_address":
            lpa_code = original.lpa_code if rng.random() < 0.7 else _weighted(rng, self._boroughs)
            address = self._address(rng, lpa_code)
            while address["postcode"] in details.postcodes:
                address = self._address(rng, lpa_code)
            addresses[:] = [address]
            details.postcodes = [address["postcode"]]
        elif kind == "new_phone":
            if copy > 0 and original.entity * 4 + copy - 1 < 1_000:
                details.phones = [drama_landline(original.entity * 4 + copy - 1)]
            else:
                details.phones = [mobile(original.entity, copy if copy > 0 else phone_slot)]
        elif kind == "dropped_identifiers":
            details.identifiers = []
        elif kind == "dropped_contact":
            details.phones, details.emails = [], []
        return kind


def _same_identity(a: PersonDetails, b: PersonDetails) -> bool:
    fields = ("given_name", "family_name", "date_of_birth", "dob_precision", "postcodes", "phones", "emails")
    return all(getattr(a, name) == getattr(b, name) for name in fields) and a.identifiers == b.identifiers


def _can_apply(kind: str, details: PersonDetails) -> bool:
    """Would this corruption change anything? (No swapping 'Ahmed Ahmed', no dropping what is not there.)"""
    if kind == "swapped_names":
        return bool(details.given_name and details.family_name) and details.given_name != details.family_name
    if kind.startswith("dob_"):
        return details.date_of_birth is not None and details.dob_is_exact
    if kind == "dropped_identifiers":
        return bool(details.identifiers)
    if kind == "dropped_contact":
        return bool(details.phones or details.emails)
    return True


_KEYBOARD = "abcdefghijklmnopqrstuvwxyz"


def typo(name: str, rng: random.Random) -> str:
    """``name`` with one letter inserted, deleted, substituted or two neighbours swapped."""
    if len(name) < 2:
        return name + rng.choice(_KEYBOARD)
    letters = list(name.lower())
    operation = rng.choice(("insert", "delete", "substitute", "transpose"))
    position = rng.randrange(1, len(letters)) if len(letters) > 1 else 0
    if operation == "insert":
        letters.insert(position, rng.choice(_KEYBOARD))
    elif operation == "delete" and len(letters) > 2:
        del letters[position]
    elif operation == "transpose" and position < len(letters) - 1 and letters[position] != letters[position + 1]:
        letters[position], letters[position + 1] = letters[position + 1], letters[position]
    else:
        letters[position] = rng.choice(_KEYBOARD.replace(letters[position], "") or _KEYBOARD)
    text = "".join(letters)
    # Capitals where a name part starts, and where the name had one at the same place (McKenzie).
    return "".join(
        ch.upper()
        if i == 0 or text[i - 1] in " -'" or (i < len(name) and name[i].isupper() and name[i].lower() == ch)
        else ch
        for i, ch in enumerate(text)
    )


def mistype_date(dob: dt.date, rng: random.Random, as_of: dt.date) -> dt.date:
    """Day and month the other way round when both could be a month, otherwise one digit changed."""
    if dob.day <= 12 and dob.day != dob.month and rng.random() < 0.5:
        return dob.replace(day=dob.month, month=dob.day)
    for _ in range(20):
        text = list(dob.strftime("%d%m%Y"))
        position = rng.choice((0, 1, 2, 3, 6, 7))
        text[position] = str(rng.choice([d for d in range(10) if d != int(text[position])]))
        try:
            changed = dt.datetime.strptime("".join(text), "%d%m%Y").date()
        except ValueError:
            continue
        if changed <= as_of and changed != dob:
            return changed
    return dob + dt.timedelta(days=1)


def synth_people(
    count: int,
    *,
    duplicate_rate: float = 0.0,
    seed: int = 0,
    origin_weights: Mapping[str, float] | None = None,
) -> Iterator[SynthPerson]:
    """``count`` synthetic records (first records and their duplicates together), streamed."""
    if count < 0:
        raise ValueError("count must be 0 or more.")
    population = Population(seed=seed, duplicate_rate=duplicate_rate, origin_weights=origin_weights)
    return population.stream(count)


def expected_records_per_person(duplicate_rate: float) -> float:
    """How many records a person has on average (1.3 duplicates per duplicated person)."""
    return 1 + duplicate_rate * (0.75 * 1 + 0.2 * 2 + 0.05 * 3)
