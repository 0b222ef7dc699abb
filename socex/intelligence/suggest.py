"""Entities suggested from a report's text, for an officer to confirm.

:func:`extract_entities` reads phone numbers (``phonenumbers``, GB region, E.164), UK vehicle
registrations (the current format, and the older prefix and suffix formats; a dateless mark only
after a word such as "reg"), postcodes, email addresses and social-media handles (``@name``, or a
handle-like name beside "Snapchat", "Insta", "TikTok"...). It needs no database.
:func:`nickname_suggestions` adds the people whose street name or nickname in the person index
appears in the text. Nothing is kept until an officer confirms it
(``services.mentions_confirm``).

How well this works is measured on a labelled sample of synthetic reports
(``tests/data/entity_samples.json``; ``tests/test_suggest.py`` prints precision and recall per
kind and fails below the thresholds measured there).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers
from django.core.exceptions import ValidationError

from socex.people.normalise import clean_email, clean_postcode, display_phone, fold_name

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User

PHONE = "phone"
VEHICLE = "vehicle"
LOCATION = "location"
EMAIL = "email"
HANDLE = "handle"
PERSON = "person"


@dataclass(frozen=True)
class Suggestion:
    """One entity found in a text: its kind and normalised key (as ``Entity`` stores them),
    a label to show, the words as written and where they start."""

    kind: str
    key: str
    label: str
    text: str
    start: int
    hint: str = ""
    person_id: int | None = None

    @property
    def token(self) -> str:
        """How a confirmation form names this suggestion: ``kind:key``."""
        return f"{self.kind}:{self.key}"

    @property
    def measured_as(self) -> str:
        """The kind precision and recall are reported under (a person found by a street name is a nickname)."""
        if self.kind == PERSON:
            return "nickname"
        if self.kind == LOCATION:
            return "postcode"
        return self.kind


# --- Phone numbers -------------------------------------------------------------------------------

# Ofcom's numbers reserved for drama (and so for synthetic data): valid to a person, though
# libphonenumber calls them invalid. As E.164 prefixes with the full length of a number in each.
FICTIONAL_PHONE_RANGES = (
    ("+447700900", 13),
    ("+44113496", 13),
    ("+44114496", 13),
    ("+44115496", 13),
    ("+44116496", 13),
    ("+44117496", 13),
    ("+44118496", 13),
    ("+44121496", 13),
    ("+44131496", 13),
    ("+44141496", 13),
    ("+44151496", 13),
    ("+44161496", 13),
    ("+44191498", 13),
    ("+442079460", 13),
    ("+442920180", 13),
    ("+441632960", 13),
    ("+448081570", 13),
    ("+449098790", 13),
    ("+443069990", 13),
)


def _inside_reference(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 1) : start], text[end : end + 1]
    return "/" in text[start:end] or before in ("/", "-") or after in ("/",)


def is_fictional_number(e164: str) -> bool:
    return any(e164.startswith(prefix) and len(e164) == length for prefix, length in FICTIONAL_PHONE_RANGES)


def _phones(text: str) -> Iterable[Suggestion]:
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        if _inside_reference(text, match.start, match.end):
            continue  # a crime reference (20/123456/24) or a date, not a number to ring
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(match.number) or is_fictional_number(e164):
            yield Suggestion(PHONE, e164, display_phone(e164), match.raw_string, match.start)


# --- Vehicle registrations -----------------------------------------------------------------------

# Current format (2001 on): two letters, two digits (the age identifier), three letters.
_CURRENT = re.compile(r"\b([A-Z]{2}[0-9]{2}) ?([A-Z]{3})\b", re.IGNORECASE)
# Prefix (1983-2001): year letter, 1-3 digits, three letters. Suffix (1963-1983): three letters,
# 1-3 digits, year letter. Upper case only: in lower case these shapes are ordinary words and roads.
_PREFIX = re.compile(r"\b([A-HJ-NP-Y][0-9]{1,3}) ?([A-Z]{3})\b")
_SUFFIX = re.compile(r"\b([A-Z]{3}) ?([0-9]{1,3}[A-HJ-NP-Y])\b")
# A dateless mark (1-3 letters and 1-4 digits, either way round) only where the text says it is one.
_DATELESS = re.compile(
    r"\b(?:reg(?:istration)?|vrm|plates?)\b\s*(?:no\.?|number|mark)?\s*:?\s*"
    r"\b([A-Z]{1,3} ?[0-9]{1,4}|[0-9]{1,4} ?[A-Z]{1,3})\b",
    re.IGNORECASE,
)
# Three-letter words that follow a postcode district or a road in ordinary lower-case prose.
_COMMON_WORDS = frozenset(
    [
        "and",
        "are",
        "but",
        "can",
        "did",
        "for",
        "got",
        "had",
        "has",
        "her",
        "him",
        "his",
        "how",
        "its",
        "may",
        "new",
        "not",
        "now",
        "off",
        "old",
        "one",
        "our",
        "out",
        "own",
        "saw",
        "see",
        "she",
        "the",
        "two",
        "use",
        "was",
        "way",
        "who",
        "why",
        "yet",
        "you",
        "all",
        "any",
        "day",
        "get",
        "let",
        "man",
        "men",
        "put",
        "say",
        "too",
    ]
)


def _vehicle(raw: str, start: int) -> Suggestion:
    key = re.sub(r"\s+", "", raw).upper()
    return Suggestion(VEHICLE, key, format_registration(key), raw, start)


def format_registration(key: str) -> str:
    """``AB12CDE`` as written on a plate: ``AB12 CDE`` (older formats split the same way)."""
    if re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z]{3}", key):
        return f"{key[:4]} {key[4:]}"
    if re.fullmatch(r"[A-Z][0-9]{1,3}[A-Z]{3}", key):
        return f"{key[:-3]} {key[-3:]}"
    if re.fullmatch(r"[A-Z]{3}[0-9]{1,3}[A-Z]", key):
        return f"{key[:3]} {key[3:]}"
    split = re.fullmatch(r"([A-Z]+)([0-9]+)|([0-9]+)([A-Z]+)", key)
    if split:
        return " ".join(part for part in split.groups() if part)
    return key


def is_registration(value: str) -> bool:
    """Is ``value`` (spaces ignored) a UK registration in any of the formats above, dateless included?"""
    key = re.sub(r"\s+", "", value).upper()
    return bool(
        re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z]{3}|[A-Z][0-9]{1,3}[A-Z]{3}|[A-Z]{3}[0-9]{1,3}[A-Z]", key)
        or re.fullmatch(r"[A-Z]{1,3}[0-9]{1,4}|[0-9]{1,4}[A-Z]{1,3}", key)
    )


def _vehicles(text: str) -> Iterable[Suggestion]:
    taken: list[tuple[int, int]] = []
    for match in _CURRENT.finditer(text):
        letters = match.group(2)
        if not letters.isupper() and letters.lower() in _COMMON_WORDS:
            continue
        taken.append(match.span())
        yield _vehicle(match.group(0), match.start())
    for pattern in (_PREFIX, _SUFFIX):
        for match in pattern.finditer(text):
            if not _overlaps(match.span(), taken):
                taken.append(match.span())
                yield _vehicle(match.group(0), match.start())
    for match in _DATELESS.finditer(text):
        span = match.span(1)
        if not _overlaps(span, taken) and re.search(r"[0-9]", match.group(1)):
            taken.append(span)
            yield _vehicle(match.group(1), span[0])


def _overlaps(span: tuple[int, int], taken: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


# --- Postcodes and emails ------------------------------------------------------------------------

_POSTCODE_SHAPE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")


def _postcodes(text: str) -> Iterable[Suggestion]:
    for match in _POSTCODE_SHAPE.finditer(text):
        try:
            postcode = clean_postcode(match.group(0))
        except ValidationError:
            continue
        yield Suggestion(LOCATION, postcode, postcode, match.group(0), match.start(), hint="Postcode")


def _emails(text: str) -> Iterable[Suggestion]:
    for match in _EMAIL.finditer(text):
        try:
            address = clean_email(match.group(0)).lower()
        except ValidationError:
            continue
        yield Suggestion(EMAIL, address, address, match.group(0), match.start())


# --- Social-media handles ------------------------------------------------------------------------

_AT_HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_][A-Za-z0-9_.]{1,29})")
_PLATFORM = re.compile(r"\b(?:snapchat|snap|instagram|insta|tiktok|tik tok|telegram|facebook|twitter|IG)\b", re.I)
# Right after a platform ("Snap: name", "Instagram, username name"), any name is a handle...
_NAMED_AFTER = re.compile(
    r"^\s*(?:(?:account|username|user name|user|handle|name)\b\s*(?:is\b)?\s*:?|:|-|=)"
    r"\s*@?([A-Za-z][A-Za-z0-9_.]{2,29})",
    re.I,
)
_NAMED_AFTER_COMMA = re.compile(
    r"^\s*,\s*(?:account|username|user name|handle)\s*:?\s*@?([A-Za-z][A-Za-z0-9_.]{2,29})", re.I
)
# ...elsewhere in the sentence, only a word that looks like a handle (letters with _ . or digits).
_HANDLE_LIKE = re.compile(r"(?<![\w.@£$])([A-Za-z][A-Za-z0-9_.]{2,29})(?![\w@])")
# A sentence ends at . ! or ? followed by a space or the end (a dot inside a handle or email does not end it).
_SENTENCE = re.compile(r"(?:[^.!?]|[.!?](?!\s|$))+(?:[.!?]|$)")


def _clean_handle(raw: str) -> str:
    return raw.rstrip(".").lower()


def _looks_like_handle(word: str) -> bool:
    word = word.rstrip(".")
    letters = sum(ch.isalpha() for ch in word)
    has_mark = any(ch in "_." for ch in word) or any(ch.isdigit() for ch in word)
    return has_mark and letters >= 3 and not is_registration(word) and not _POSTCODE_SHAPE.fullmatch(word)


def _handle(raw: str, start: int) -> Suggestion | None:
    key = _clean_handle(raw)
    if len(key) < 2 or not any(ch.isalpha() for ch in key):
        return None
    return Suggestion(HANDLE, key, f"@{key}", raw.rstrip("."), start, hint="Social-media handle")


def _handles(text: str, *, skip: list[tuple[int, int]]) -> Iterable[Suggestion]:
    for match in _AT_HANDLE.finditer(text):
        found = _handle(match.group(1), match.start())
        if found:
            yield found
    for sentence in _SENTENCE.finditer(text):
        body, offset = sentence.group(0), sentence.start()
        for platform in _PLATFORM.finditer(body):
            if platform.group(0) == "ig":  # only IG in capitals is Instagram
                continue
            after = body[platform.end() :]
            named = _NAMED_AFTER.match(after) or _NAMED_AFTER_COMMA.match(after)
            if named:
                start = offset + platform.end() + named.start(1)
                found = _handle(named.group(1), start)
                if found and not _overlaps((start, start + len(named.group(1))), skip):
                    yield found
                continue
            for word in _HANDLE_LIKE.finditer(after):
                start = offset + platform.end() + word.start(1)
                if _looks_like_handle(word.group(1)) and not _overlaps((start, start + len(word.group(1))), skip):
                    found = _handle(word.group(1), start)
                    if found:
                        yield found


# --- Together ------------------------------------------------------------------------------------


def extract_entities(text: str) -> list[Suggestion]:
    """Phones, vehicles, postcodes, emails and handles in ``text``, each once, in reading order."""
    found: list[Suggestion] = []
    for suggestions in (_emails(text), _phones(text), _postcodes(text), _vehicles(text)):
        found.extend(suggestions)
    spans = [(s.start, s.start + len(s.text)) for s in found]
    # A handle is never part of an email, phone, postcode or registration already found.
    found.extend(s for s in _handles(text, skip=spans) if not _overlaps((s.start, s.start + len(s.text)), spans))
    return _unique(found)


def _unique(found: Iterable[Suggestion]) -> list[Suggestion]:
    seen: dict[tuple[str, str], Suggestion] = {}
    for suggestion in sorted(found, key=lambda s: s.start):
        seen.setdefault((suggestion.kind, suggestion.key), suggestion)
    return list(seen.values())


# --- Street names and nicknames in the person index ----------------------------------------------

# A word starts and ends with a letter (a closing quote mark is not part of the name).
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'\-]*[A-Za-z])?")
MAX_NICKNAME_WORDS = 3


def _capitalised_phrases(text: str) -> dict[str, tuple[str, int]]:
    """Every run of 1-3 words starting with a capital letter: folded form -> (as written, start)."""
    words = list(_WORD.finditer(text))
    phrases: dict[str, tuple[str, int]] = {}
    for index, first in enumerate(words):
        if not first.group(0)[0].isupper():
            continue
        for size in range(1, MAX_NICKNAME_WORDS + 1):
            run = words[index : index + size]
            if len(run) < size or any(text[a.end() : b.start()] != " " for a, b in itertools.pairwise(run)):
                break
            written = text[run[0].start() : run[-1].end()]
            phrases.setdefault(fold_name(written), (written, run[0].start()))
    return phrases


def nickname_suggestions(text: str, user: User | AnonymousUser | None = None) -> list[Suggestion]:
    """People whose street name or nickname is written in ``text`` with a capital letter; one
    suggestion per person. A street name is an alias of the kind "nickname or street name", or an
    alias with no family name (how the new-person form records a nickname). With ``user``, only
    people that user may see in the index."""
    from django.db.models import Q

    from socex.people.models import Alias, AliasKind, Person

    phrases = _capitalised_phrases(text)
    if not phrases:
        return []
    variants = set()
    for written, _ in phrases.values():
        first = written.split(" ", 1)[0]
        for word in {written, first}:
            variants.update({word, word.lower(), word.upper(), word.capitalize(), word.title()})
    # Street names are recorded as nicknames, or (as the new-person form does) as a one-word alias.
    street_name = Q(kind=AliasKind.NICKNAME) | Q(kind=AliasKind.ALIAS, family_name="")
    aliases = Alias.objects.filter(
        street_name, given_name__in=sorted(variants), person__merged_into__isnull=True
    ).select_related("person")
    if user is not None:
        aliases = aliases.filter(person__in=Person.objects.visible_to(user))
    found: list[Suggestion] = []
    for alias in aliases:
        written_start = phrases.get(fold_name(str(alias)))
        if written_start is None:
            continue
        written, start = written_start
        person = alias.person
        found.append(
            Suggestion(
                PERSON,
                str(person.pk),
                f"{person.display_name} ({person.reference})",
                written,
                start,
                hint=f"Known as “{alias}” in the person index",
                person_id=person.pk,
            )
        )
    return _unique(found)


def suggest_entities(text: str, user: User | AnonymousUser | None = None) -> list[Suggestion]:
    """Everything :func:`extract_entities` and :func:`nickname_suggestions` find, in reading order."""
    return sorted(_unique([*extract_entities(text), *nickname_suggestions(text, user)]), key=lambda s: s.start)
