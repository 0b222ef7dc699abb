"""Checking and normalising the details people are identified by.

Each ``clean_*`` function takes what a person typed or a file held and returns the normal form,
or raises ``ValidationError`` with a message that says what is wrong and what to enter instead.
Forms, the API and imports all call these, so a postcode or phone number means the same
everywhere and blocking keys compare like with like.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone

# --- names -----------------------------------------------------------------------------------

# Letters NFKD does not take apart into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "\u0131": "i",  # dotless i
        "þ": "th",
        "ð": "d",
    }
)
_NOT_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65_536)
def fold_name(name: str) -> str:
    """A name reduced to lower-case ASCII letters and single spaces, for comparing spellings.

    Accents go (``Zoë`` → ``zoe``, ``Łukasz`` → ``lukasz``); apostrophes and hyphens join or
    split as people write them (``O'Neil`` → ``oneil``, ``Smith-Jones`` → ``smith jones``).
    """
    text = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("'", "").replace("\u2019", "").replace("-", " ")
    return _SPACES.sub(" ", _NOT_LETTERS.sub(" ", text)).strip()


def clean_name(name: str, *, label: str = "Name") -> str:
    """Trim spaces; refuse a name with no letters at all (for example '123')."""
    name = _SPACES.sub(" ", (name or "").strip())
    if name and not fold_name(name):
        raise ValidationError(f"{label} must contain letters, like 'Kieran'.")
    if len(name) > 100:
        raise ValidationError(f"{label} must be 100 characters or fewer.")
    return name


# --- dates of birth ----------------------------------------------------------------------------

_OLDEST_AGE = 120
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y%m%d", "%d %B %Y", "%d %b %Y")


def parse_date(raw: str | dt.date | None, *, label: str = "Date of birth") -> dt.date | None:
    """A date from a UK-style or ISO string (``03/02/2011``, ``2011-02-03``), or None if blank.

    An impossible date (30 February) and a date in the future are refused by name.
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return check_date_of_birth(raw, label=label)
    text = str(raw).strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            value = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if fmt == "%d/%m/%y" and value > timezone.localdate():
            value = value.replace(year=value.year - 100)
        return check_date_of_birth(value, label=label)
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}", text):
        raise ValidationError(f"{label} must be a real date: {text} does not exist.")
    raise ValidationError(f"{label} must be a date like 03/02/2011, not '{text}'.")


def check_date_of_birth(value: dt.date, *, label: str = "Date of birth") -> dt.date:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(f"{label} must be today or in the past.")
    if value.year < today.year - _OLDEST_AGE:
        raise ValidationError(f"{label} must be after {today.year - _OLDEST_AGE}.")
    return value


def date_from_year(year: int) -> dt.date:
    """The middle of a year, for a person whose year of birth is all that is known."""
    today = timezone.localdate()
    if not today.year - _OLDEST_AGE <= year <= today.year:
        raise ValidationError(f"Year of birth must be between {today.year - _OLDEST_AGE} and {today.year}.")
    return dt.date(year, 7, 1)


def date_from_age(age: int, at: dt.date | None = None) -> dt.date:
    """An estimated date of birth for someone said to be ``age`` on ``at`` (today by default)."""
    at = at or timezone.localdate()
    if not 0 <= age <= _OLDEST_AGE:
        raise ValidationError(f"Age must be between 0 and {_OLDEST_AGE}.")
    if at > timezone.localdate():
        raise ValidationError("The date the age was given must be today or in the past.")
    estimate = at - dt.timedelta(days=round(age * 365.25 + 182))
    return estimate


# --- postcodes ---------------------------------------------------------------------------------

# The UK postcode pattern (outward code, then inward code), after removing spaces.
_POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def clean_postcode(raw: str) -> str:
    """``ws28aa`` → ``WS2 8AA``; blank stays blank; anything that is not a UK postcode is refused."""
    compact = re.sub(r"\s+", "", (raw or "").upper())
    if not compact:
        return ""
    if not _POSTCODE.match(compact):
        raise ValidationError(f"Enter a real UK postcode, like WS2 8AA. '{raw.strip()}' is not one.")
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_district(postcode: str) -> str:
    """The outward code (``WS2`` of ``WS2 8AA``), or '' for a blank postcode."""
    return postcode.split(" ", 1)[0] if postcode else ""


# --- phones and emails -------------------------------------------------------------------------


def clean_phone(raw: str) -> str:
    """A UK or international number in E.164 (``07700 900123`` → ``+447700900123``)."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            f"Enter a phone number, like 07700 900123 or +44 121 496 0000. '{text}' is not one."
        ) from None
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise ValidationError(f"'{text}' is not a valid phone number. Check the number of digits and the area code.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """``+447700900123`` as people read it: ``07700 900123`` for UK numbers, international otherwise."""
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def clean_email(raw: str) -> str:
    from django.core.validators import validate_email

    text = (raw or "").strip()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(f"Enter an email address like name@example.com. '{text}' is not one.") from None
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


# --- identifiers -------------------------------------------------------------------------------


def nhs_check_digit(stem: str) -> int | None:
    """The NHS number's modulus 11 check digit for its first nine digits (weights 10 down to 2),
    or None for a stem no check digit makes valid (a remainder giving 10)."""
    check = 11 - sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True)) % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_number_is_valid(digits: str) -> bool:
    """Ten digits whose last is the check digit of the first nine."""
    if not re.fullmatch(r"\d{10}", digits):
        return False
    check = nhs_check_digit(digits[:9])
    return check is not None and check == int(digits[9])


def _clean_nhs(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError("An NHS number has 10 digits, like 943 476 5919.")
    if not nhs_number_is_valid(digits):
        raise ValidationError(
            f"{value.strip()} is not a valid NHS number: its check digit is wrong. Check it for a typing error."
        )
    return digits


def _clean_pnc(value: str) -> str:
    compact = re.sub(r"\s", "", value).upper()
    match = re.fullmatch(r"(\d{2}|\d{4})/(\d{1,7})([A-Z])", compact)
    if not match:
        raise ValidationError("A PNC ID looks like 11/1234567A or 2011/1234567A.")
    year, number, letter = match.groups()
    return f"{year}/{int(number):07d}{letter}"


def _clean_upn(value: str) -> str:
    compact = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", compact):
        raise ValidationError("A Unique Pupil Number has 13 characters: a letter, 11 digits, then a digit or letter.")
    return compact


def _clean_other(value: str) -> str:
    compact = re.sub(r"\s", "", value).upper()
    if not compact:
        raise ValidationError("Enter the identifier.")
    if len(compact) > 64:
        raise ValidationError("An identifier must be 64 characters or fewer.")
    return compact


_IDENTIFIER_CLEANERS = {"nhs": _clean_nhs, "pnc": _clean_pnc, "upn": _clean_upn}


def clean_identifier(kind: str, value: str) -> str:
    """The identifier in normal form, checked as its kind requires (the NHS number's check digit)."""
    from socex.people.models import IdentifierKind

    if kind not in IdentifierKind.values:
        raise ValidationError(f"Unknown kind of identifier '{kind}'. Use one of: {', '.join(IdentifierKind.values)}.")
    if not (value or "").strip():
        raise ValidationError("Enter the identifier.")
    return _IDENTIFIER_CLEANERS.get(kind, _clean_other)(value)
