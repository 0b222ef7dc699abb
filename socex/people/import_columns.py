"""The columns a partner's person list may have, and how their values are read.

This is the documentation users see: the upload page and ``manage.py import_people --help``
list :data:`COLUMNS`, and the CSV template is their header row. Column names are matched
without regard to case, order, or spaces versus underscores; the common alternatives in
:data:`SYNONYMS` (Surname, DOB, Forename...) are understood too. A column this import does not
know is refused by name rather than silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from socex.people.models import Ethnicity, Gender


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    example: str
    required: bool = False


MULTIPLE = "Separate more than one with a semicolon (;)."

COLUMNS: tuple[Column, ...] = (
    Column("local_reference", "Your own reference for the person, such as a pupil or case number.", "EH-20931"),
    Column("given_name", "First name.", "Kieran", required=True),
    Column("middle_names", "Middle names.", "James"),
    Column("family_name", "Last name (surname).", "Smyth", required=True),
    Column("preferred_name", "The name they like to be called.", "Ky"),
    Column("alias", f"Other names, nicknames or street names. {MULTIPLE}", "Ky; Kieran Smith"),
    Column(
        "date_of_birth",
        "Date of birth, day first. Needed unless year_of_birth is given.",
        "03/02/2011",
    ),
    Column("year_of_birth", "Year of birth, when the exact date is not known.", "2011"),
    Column("gender", "Female, Male, Not known, or the person's own words.", "Male"),
    Column(
        "ethnicity",
        "An ONS 2021 ethnic group: its code (W1), its name (Pakistani), or a school census code (APKN).",
        "W1",
    ),
    Column("nationality", "Nationality.", "British"),
    Column("address_line_1", "First line of the current address.", "12 Station Street"),
    Column("address_line_2", "Second line of the address.", "Caldmore"),
    Column("town", "Town or city.", "Walsall"),
    Column("postcode", "UK postcode of the current address.", "WS2 8AA"),
    Column("phone", f"Phone number. {MULTIPLE}", "07700 900123"),
    Column("email", f"Email address. {MULTIPLE}", "kieran@school.example"),
    Column("nhs_number", "NHS number (10 digits; the check digit is checked).", "943 476 5919"),
    Column("upn", "Unique Pupil Number (13 characters).", "A123456789012"),
    Column("pnc_id", "Police National Computer ID.", "11/1234567A"),
    Column("la_id", "Local authority (council) ID.", "WAL-55210"),
    Column("notes", "Anything else the hub should know, such as why the person is on the list.", "Missing twice"),
)
COLUMN_NAMES = frozenset(column.name for column in COLUMNS)
REQUIRED = tuple(column.name for column in COLUMNS if column.required)
DATE_OF_BIRTH_COLUMNS = ("date_of_birth", "year_of_birth")

SYNONYMS = {
    "first_name": "given_name",
    "firstname": "given_name",
    "forename": "given_name",
    "forenames": "given_name",
    "given_names": "given_name",
    "middle_name": "middle_names",
    "surname": "family_name",
    "last_name": "family_name",
    "lastname": "family_name",
    "known_as": "preferred_name",
    "aliases": "alias",
    "also_known_as": "alias",
    "aka": "alias",
    "dob": "date_of_birth",
    "birth_date": "date_of_birth",
    "sex": "gender",
    "address_1": "address_line_1",
    "address_2": "address_line_2",
    "address": "address_line_1",
    "city": "town",
    "post_code": "postcode",
    "telephone": "phone",
    "phone_number": "phone",
    "mobile": "phone",
    "email_address": "email",
    "nhs": "nhs_number",
    "nhs_no": "nhs_number",
    "unique_pupil_number": "upn",
    "pnc": "pnc_id",
    "local_authority_id": "la_id",
    "reference": "local_reference",
    "your_reference": "local_reference",
}
IDENTIFIER_COLUMNS = {"nhs_number": "nhs", "upn": "upn", "pnc_id": "pnc", "la_id": "la"}
COLUMN_OF_IDENTIFIER = {kind: column for column, kind in IDENTIFIER_COLUMNS.items()}


def canonical(heading: str) -> str:
    """``"Date of Birth"`` → ``date_of_birth``; ``"Surname"`` → ``family_name``."""
    name = re.sub(r"[\s\-.]+", "_", heading.strip().lower()).strip("_")
    return SYNONYMS.get(name, name)


# --- gender -------------------------------------------------------------------------------------

_GENDER_WORDS = {
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "girl": Gender.FEMALE,
    "woman": Gender.FEMALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "boy": Gender.MALE,
    "man": Gender.MALE,
    "u": Gender.NOT_KNOWN,
    "unknown": Gender.NOT_KNOWN,
    "not known": Gender.NOT_KNOWN,
    "not stated": Gender.NOT_KNOWN,
    "prefer not to say": Gender.NOT_KNOWN,
}


def read_gender(text: str) -> tuple[str, str]:
    """(gender, self-described text). Words other than the usual ones are kept as the person's own."""
    word = " ".join(text.lower().split())
    if not word:
        return Gender.NOT_KNOWN, ""
    if word in _GENDER_WORDS:
        return _GENDER_WORDS[word], ""
    return Gender.SELF_DESCRIBED, " ".join(text.split())


# --- ethnicity ----------------------------------------------------------------------------------

# The Department for Education's school census codes, which school lists carry.
DFE_ETHNICITY = {
    "WBRI": Ethnicity.WHITE_BRITISH,
    "WIRI": Ethnicity.WHITE_IRISH,
    "WIRT": Ethnicity.WHITE_GYPSY_TRAVELLER,
    "WROM": Ethnicity.WHITE_ROMA,
    "WOTH": Ethnicity.WHITE_OTHER,
    "MWBC": Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN,
    "MWBA": Ethnicity.MIXED_WHITE_BLACK_AFRICAN,
    "MWAS": Ethnicity.MIXED_WHITE_ASIAN,
    "MOTH": Ethnicity.MIXED_OTHER,
    "AIND": Ethnicity.ASIAN_INDIAN,
    "APKN": Ethnicity.ASIAN_PAKISTANI,
    "ABAN": Ethnicity.ASIAN_BANGLADESHI,
    "CHNE": Ethnicity.ASIAN_CHINESE,
    "AOTH": Ethnicity.ASIAN_OTHER,
    "BCRB": Ethnicity.BLACK_CARIBBEAN,
    "BAFR": Ethnicity.BLACK_AFRICAN,
    "BOTH": Ethnicity.BLACK_OTHER,
    "OOTH": Ethnicity.OTHER_ANY,
    "REFU": Ethnicity.NOT_STATED,
    "NOBT": Ethnicity.NOT_STATED,
}


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _ethnicity_names() -> dict[str, str]:
    names: dict[str, str] = {"white british": Ethnicity.WHITE_BRITISH}
    for value, label in Ethnicity.choices:
        names[_fold(value)] = value
        names[_fold(label)] = value
        names.setdefault(_fold(label.split(":")[-1]), value)
    for code, value in DFE_ETHNICITY.items():
        names[_fold(code)] = value
    return names


_ETHNICITY_NAMES = _ethnicity_names()


def read_ethnicity(text: str) -> str | None:
    """The ONS 2021 code for a code, group name or school census code; None if not recognised."""
    if not text.strip():
        return Ethnicity.NOT_STATED
    return _ETHNICITY_NAMES.get(_fold(text))


def split_list(text: str) -> list[str]:
    """``"Ky; Kez"`` → ``["Ky", "Kez"]``."""
    return [part.strip() for part in text.split(";") if part.strip()]
