"""Showing a person's details the way people read them: dates of birth with their precision,
phone numbers in UK style, and how likely a match is."""

from __future__ import annotations

from typing import Any

from django import template

from socex.core.templatetags.socex import uk_date
from socex.people.models import DobPrecision
from socex.people.normalise import display_phone

register = template.Library()

BAND_CLASSES = {"Very likely": "govuk-tag--green", "Likely": "govuk-tag--turquoise", "Possible": "govuk-tag--yellow"}


@register.filter
def dob(person: Any) -> str:
    """``3 February 2011``, or ``about 2011`` when only the year or an age is known; blank if unknown."""
    value = getattr(person, "date_of_birth", None)
    if value is None:
        return ""
    if getattr(person, "dob_precision", "") in (DobPrecision.YEAR, DobPrecision.AGE):
        return f"about {value.year}"
    return uk_date(value)


@register.filter
def dob_note(person: Any) -> str:
    """Why a date of birth is approximate, for the hint under it."""
    precision = getattr(person, "dob_precision", "")
    if getattr(person, "date_of_birth", None) is None:
        return ""
    if precision == DobPrecision.YEAR:
        return "Only the year is known"
    if precision == DobPrecision.AGE:
        return "Estimated from their age"
    return ""


@register.filter
def phone(number: str) -> str:
    """``+447700900123`` as ``07700 900123``."""
    return display_phone(number or "")


@register.filter
def band_class(band: str) -> str:
    """The GOV.UK tag colour for a match band."""
    return BAND_CLASSES.get(band, "govuk-tag--grey")
