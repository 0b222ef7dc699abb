"""Checking and normalising identifying details: each bad value gets a message that says what to enter."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from socex.people import normalise
from socex.people.names import are_variants, name_roots, phonetic


def _message(call, *args, **kwargs):
    with pytest.raises(ValidationError) as excinfo:
        call(*args, **kwargs)
    return " ".join(excinfo.value.messages)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/02/2011", dt.date(2011, 2, 3)),
        ("2011-02-03", dt.date(2011, 2, 3)),
        ("3.2.2011", dt.date(2011, 2, 3)),
        ("", None),
    ],
)
def test_uk_and_iso_dates_are_read(raw, expected):
    assert normalise.parse_date(raw) == expected


def test_impossible_and_future_dates_are_refused_by_name():
    assert (
        _message(normalise.parse_date, "30/02/2011") == "Date of birth must be a real date: 30/02/2011 does not exist."
    )
    assert _message(normalise.parse_date, "01/01/2099") == "Date of birth must be today or in the past."
    assert (
        _message(normalise.parse_date, "next tuesday")
        == "Date of birth must be a date like 03/02/2011, not 'next tuesday'."
    )
    assert "must be after" in _message(normalise.parse_date, "01/01/1850")


def test_approximate_dates_of_birth():
    assert normalise.date_from_year(2011) == dt.date(2011, 7, 1)
    estimate = normalise.date_from_age(15, at=dt.date(2026, 11, 1))
    assert estimate.year in (2010, 2011)
    assert _message(normalise.date_from_age, 150) == "Age must be between 0 and 120."


@pytest.mark.parametrize(
    ("raw", "expected"), [("ws28aa", "WS2 8AA"), (" b1  1bb ", "B1 1BB"), ("CV34 4AB", "CV34 4AB"), ("", "")]
)
def test_postcodes_are_normalised(raw, expected):
    assert normalise.clean_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["WS2", "12345", "QQ1 1AA", "WS2 8AAA"])
def test_things_that_are_not_postcodes_are_refused(raw):
    assert _message(normalise.clean_postcode, raw).startswith("Enter a real UK postcode, like WS2 8AA.")


def test_postcode_district():
    assert normalise.postcode_district("WS2 8AA") == "WS2"
    assert normalise.postcode_district("") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("07700 900123", "+447700900123"), ("0121 496 0000", "+441214960000"), ("+44 (0)7700 900123", "+447700900123")],
)
def test_phones_become_e164(raw, expected):
    assert normalise.clean_phone(raw) == expected


def test_unparseable_and_impossible_phones_are_refused():
    assert "is not one" in _message(normalise.clean_phone, "call me")
    assert "Check the number of digits" in _message(normalise.clean_phone, "0770")
    assert normalise.display_phone("+447700900123") == "07700 900123"


def test_nhs_numbers_are_checked_by_their_check_digit():
    assert normalise.nhs_number_is_valid("9434765919")
    assert not normalise.nhs_number_is_valid("9434765918")
    assert normalise.clean_identifier("nhs", "943 476 5919") == "9434765919"
    assert "check digit is wrong" in _message(normalise.clean_identifier, "nhs", "943 476 5918")
    assert _message(normalise.clean_identifier, "nhs", "12345") == "An NHS number has 10 digits, like 943 476 5919."


def test_other_identifiers():
    assert normalise.clean_identifier("pnc", "11/12345a") == "11/0012345A"
    assert "PNC ID looks like" in _message(normalise.clean_identifier, "pnc", "12345")
    assert normalise.clean_identifier("upn", "a123456789012") == "A123456789012"
    assert "13 characters" in _message(normalise.clean_identifier, "upn", "A12")
    assert "Unknown kind of identifier" in _message(normalise.clean_identifier, "shoe size", "9")


def test_names_fold_to_plain_letters():
    assert normalise.fold_name("Łukasz") == "lukasz"
    assert normalise.fold_name("Zoë O'Neil-Smith") == "zoe oneil smith"
    assert normalise.clean_name("  Kieran  ") == "Kieran"
    assert (
        _message(normalise.clean_name, "123", label="First name") == "First name must contain letters, like 'Kieran'."
    )


def test_nicknames_and_sounds():
    assert "robert" in name_roots("Bob")
    assert are_variants("Bob", "Robert")
    assert are_variants("Kate", "Katherine")
    assert not are_variants("Kieran", "Robert")
    assert phonetic("Smyth") == phonetic("Smith")
    assert phonetic("Mohammed") == phonetic("Muhammad")
