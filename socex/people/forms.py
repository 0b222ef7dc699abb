"""Forms for finding, adding and changing people in the index.

Every value is checked by the same ``normalise.clean_*`` function the API and imports use, so a
bad date of birth, postcode, phone number or NHS number gets the same plain-English message,
beside the field, wherever it was typed. The forms hand the services clean values only.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from socex.accounts.models import Organisation
from socex.audit.forms import date_field
from socex.core.forms import StyledForm
from socex.core.templatetags.socex import uk_date
from socex.people import normalise
from socex.people.details import PersonDetails
from socex.people.models import (
    SELF_DESCRIBED_ETHNICITIES,
    AliasKind,
    DobPrecision,
    Ethnicity,
    Gender,
    IdentifierKind,
    MarkerKind,
)

_YEAR = re.compile(r"^\s*(\d{4})\s*$")


def _text(label: str, *, max_length: int = 100, help_text: str = "", width: int = 0) -> forms.CharField:
    """An optional text box; ``width`` is a GOV.UK fixed width in characters (2, 3, 4, 5, 10 or 20)."""
    attrs = {"autocomplete": "off", "spellcheck": "false"}
    if width:
        attrs["class"] = f"govuk-input--width-{width}"
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _name(label: str, **kwargs: Any) -> forms.CharField:
    return _text(label, **kwargs)


IDENTIFIER_CHOICES = [("", "Choose a kind of identifier"), *IdentifierKind.choices]


def identifier_help() -> str:
    return "For example, NHS number 943 476 5919, PNC ID 11/1234567A or UPN A123456789012"


# --- Search ------------------------------------------------------------------------------------


class PersonSearchForm(StyledForm):
    """Who might this be? Any one detail is enough; more details rank the right person higher."""

    given_name = _name("First name", help_text="Or a nickname or street name")
    family_name = _name("Last name")
    date_of_birth = _text(
        "Date of birth",
        max_length=20,
        width=10,
        help_text="For example, 3/2/2011. If you only know the year, enter it: 2011",
    )
    postcode = _text("Postcode", max_length=10, width=10, help_text="For example, WS2 8AA")
    phone = _text("Phone number", max_length=30, width=20, help_text="For example, 07700 900123")
    identifier_kind = forms.ChoiceField(label="Kind of identifier", required=False, choices=IDENTIFIER_CHOICES)
    identifier = _text("Identifier", max_length=64, help_text=identifier_help())

    def clean_given_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["given_name"], label="First name")

    def clean_family_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["family_name"], label="Last name")

    def clean_date_of_birth(self) -> tuple[dt.date, str] | None:
        return date_or_year(self.cleaned_data["date_of_birth"])

    def clean_postcode(self) -> str:
        return normalise.clean_postcode(self.cleaned_data["postcode"])

    def clean_phone(self) -> str:
        return normalise.clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, value = cleaned.get("identifier_kind"), cleaned.get("identifier")
        if value and not kind:
            self.add_error("identifier_kind", "Choose what kind of identifier you entered")
        elif value and kind:
            try:
                cleaned["identifier"] = normalise.clean_identifier(kind, value)
            except ValidationError as error:
                self.add_error("identifier", error)
        return cleaned

    def has_terms(self) -> bool:
        return self.is_bound and any(str(value).strip() for value in self.data.values() if value)

    def details(self) -> PersonDetails:
        """What was searched for, for ``match_person``. Call after ``is_valid()``."""
        data = self.cleaned_data
        dob, precision = data.get("date_of_birth") or (None, "")
        identifiers = [(data["identifier_kind"], data["identifier"])] if data.get("identifier") else []
        return PersonDetails(
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            date_of_birth=dob,
            dob_precision=precision,
            postcodes=[data["postcode"]] if data.get("postcode") else [],
            phones=[data["phone"]] if data.get("phone") else [],
            identifiers=identifiers,
        )

    def terms(self) -> dict[str, str]:
        """The search as the audit log records it: ``{label: value as typed}``."""
        terms = {}
        for name, field in self.fields.items():
            value = str(self.data.get(name, "")).strip()
            if name == "identifier_kind":
                value = dict(IDENTIFIER_CHOICES).get(value, value) if value else ""
            if value:
                terms[str(field.label)] = value
        return terms


def date_or_year(raw: str) -> tuple[dt.date, str] | None:
    """A date of birth and its precision from ``03/02/2011`` (exact) or ``2011`` (year only)."""
    text = (raw or "").strip()
    if not text:
        return None
    year = _YEAR.match(text)
    if year:
        return normalise.date_from_year(int(year.group(1))), DobPrecision.YEAR
    parsed = normalise.parse_date(text)
    return (parsed, DobPrecision.EXACT) if parsed else None


# --- A person's own details (create and edit) --------------------------------------------------

# Only one of these may be given: an exact date, a year, or an age (on a date).
DOB_FIELDS = {"date_of_birth": DobPrecision.EXACT, "year_of_birth": DobPrecision.YEAR, "age": DobPrecision.AGE}


class PersonDetailsForm(StyledForm):
    """Names, date of birth and the profile: the fields of the Person row itself."""

    given_name = _name("First name")
    middle_names = _name("Middle names", max_length=200)
    family_name = _name("Last name")
    preferred_name = _name("Preferred name", help_text="The name they like to be called, if different")
    date_of_birth = _text("Date of birth", max_length=20, width=10, help_text="For example, 3/2/2011")
    year_of_birth = _text(
        "Or the year of birth", max_length=4, width=4, help_text="If that is all you know. For example, 2011"
    )
    age = _text("Or their age in years", max_length=3, width=3, help_text="If that is all you know. For example, 15")
    age_on = _text(
        "Date they were that age", max_length=20, width=10, help_text="For example, 3/2/2024. Leave empty for today"
    )
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, initial=Gender.NOT_KNOWN, widget=forms.RadioSelect
    )
    gender_self_described = _text("How they describe their gender", help_text="If you chose self-described")
    ethnicity = forms.ChoiceField(
        label="Ethnic group",
        choices=Ethnicity.choices,
        initial=Ethnicity.NOT_STATED,
        help_text="ONS Census 2021 groups",
    )
    ethnicity_self_described = _text(
        "How they describe their ethnicity", help_text="If you chose an 'Other' group: their own words"
    )
    nationality = _text("Nationality", help_text="For example, British")
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything that helps tell this person apart from others. Not for case notes",
    )

    name_fields: tuple[str, ...] = ("given_name", "family_name", "preferred_name")

    def clean_given_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["given_name"], label="First name")

    def clean_middle_names(self) -> str:
        return normalise.clean_name(self.cleaned_data["middle_names"], label="Middle names")

    def clean_family_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["family_name"], label="Last name")

    def clean_preferred_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["preferred_name"], label="Preferred name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(name) for name in self.name_fields) and not any(
            name in self.errors for name in self.name_fields
        ):
            self.add_error("family_name", "Enter a first name, last name or a name they are known by")
        self._clean_dob(cleaned)
        if cleaned.get("gender") == Gender.SELF_DESCRIBED and not cleaned.get("gender_self_described"):
            self.add_error("gender_self_described", "Enter how they describe their gender")
        if cleaned.get("ethnicity_self_described") and cleaned.get("ethnicity") not in SELF_DESCRIBED_ETHNICITIES:
            self.add_error(
                "ethnicity_self_described",
                "Their own words are recorded only with an 'Other' ethnic group: choose one, or leave this empty",
            )
        return cleaned

    def _clean_dob(self, cleaned: dict[str, Any]) -> None:
        """Sets ``dob`` and ``dob_precision`` in ``cleaned`` from whichever of the date, the year or
        the age was given (an estimate from a year or an age is recorded as one)."""
        cleaned["dob"], cleaned["dob_precision"] = None, ""
        given = [name for name in DOB_FIELDS if str(cleaned.get(name) or "").strip()]
        if len(given) > 1:
            self.add_error(given[1], "Enter only one of the date of birth, the year of birth or their age")
            return
        if not given:
            if str(cleaned.get("age_on") or "").strip():
                self.add_error("age", "Enter their age on that date, or leave the date empty")
            return
        name = given[0]
        try:
            if name == "date_of_birth":
                cleaned["dob"] = normalise.parse_date(cleaned["date_of_birth"])
            elif name == "year_of_birth":
                cleaned["dob"] = _year(cleaned["year_of_birth"])
            else:
                cleaned["dob"] = _from_age(cleaned["age"], cleaned.get("age_on", ""), form=self)
        except ValidationError as error:
            self.add_error(name, error)
            cleaned["dob"] = None
            return
        cleaned["dob_precision"] = DOB_FIELDS[name]

    def dob_field(self) -> str:
        """The field a message about the date of birth belongs beside: the one that was filled in."""
        data = self.data
        return next((name for name in DOB_FIELDS if str(data.get(name) or "").strip()), "date_of_birth")

    def person_fields(self) -> dict[str, Any]:
        """The Person fields, as ``services.person_update`` takes them."""
        data = self.cleaned_data
        return {
            "given_name": data["given_name"],
            "middle_names": data["middle_names"],
            "family_name": data["family_name"],
            "preferred_name": data["preferred_name"],
            "date_of_birth": data["dob"],
            "dob_precision": data["dob_precision"],
            **self.profile(),
        }

    def profile(self) -> dict[str, str]:
        data = self.cleaned_data
        gender = data.get("gender") or Gender.NOT_KNOWN
        ethnicity = data.get("ethnicity") or Ethnicity.NOT_STATED
        return {
            "gender": gender,
            "gender_self_described": data.get("gender_self_described", "") if gender == Gender.SELF_DESCRIBED else "",
            "ethnicity": ethnicity,
            "ethnicity_self_described": (
                data.get("ethnicity_self_described", "") if ethnicity in SELF_DESCRIBED_ETHNICITIES else ""
            ),
            "nationality": data.get("nationality", ""),
            "notes": data.get("notes", ""),
        }

    def partial_details(self) -> PersonDetails:
        """The details that are valid so far, for live matching while the form is typed."""
        self.is_valid()
        data = self.cleaned_data
        return PersonDetails(
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            middle_names=data.get("middle_names", ""),
            preferred_name=data.get("preferred_name", ""),
            date_of_birth=data.get("dob"),
            dob_precision=data.get("dob_precision", ""),
            gender=data.get("gender", ""),
        )

    @classmethod
    def initial_for(cls, person: Any) -> dict[str, Any]:
        """The form's starting values for an existing person."""
        initial = {
            name: getattr(person, name)
            for name in (
                "given_name",
                "middle_names",
                "family_name",
                "preferred_name",
                "gender",
                "gender_self_described",
                "ethnicity",
                "ethnicity_self_described",
                "nationality",
                "notes",
            )
        }
        dob, precision = person.date_of_birth, person.dob_precision or DobPrecision.EXACT
        if dob is None:
            pass
        elif precision == DobPrecision.YEAR:
            initial["year_of_birth"] = str(dob.year)
        elif precision == DobPrecision.AGE:
            today = timezone.localdate()
            initial["age"] = str(today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day)))
        else:
            initial["date_of_birth"] = f"{dob.day}/{dob.month}/{dob.year}"
        return initial


def _year(raw: str) -> dt.date:
    match = _YEAR.match(raw or "")
    if not match:
        raise ValidationError("Enter the year of birth as 4 digits, like 2011")
    return normalise.date_from_year(int(match.group(1)))


def _from_age(raw_age: str, raw_on: str, *, form: forms.Form) -> dt.date:
    text = (raw_age or "").strip()
    if not text.isdigit():
        raise ValidationError("Enter their age as a whole number of years, like 15")
    on = None
    if (raw_on or "").strip():
        try:
            on = normalise.parse_date(raw_on, label="The date they were that age")
        except ValidationError as error:
            form.add_error("age_on", error)
            raise ValidationError("Check the date they were that age") from None
    return normalise.date_from_age(int(text), on)


class PersonCreateForm(PersonDetailsForm):
    """A new person: their own details plus the first address, phone, email, identifier and nickname."""

    nickname = _name("Nickname or street name", help_text="A name they are known by, if any")
    line_1 = _text("Address line 1", max_length=200, help_text="Building and street")
    line_2 = _text("Address line 2", max_length=200)
    town = _text("Town or city")
    postcode = _text("Postcode", max_length=10, width=10, help_text="For example, WS2 8AA")
    phone = _text("Phone number", max_length=30, width=20, help_text="For example, 07700 900123")
    email = forms.CharField(
        label="Email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    identifier_kind = forms.ChoiceField(label="Kind of identifier", required=False, choices=IDENTIFIER_CHOICES)
    identifier = _text("Identifier", max_length=64, help_text=identifier_help())
    holding_reference = _text(
        "Your organisation's reference for them", help_text="For example, your case or pupil number, if any"
    )

    name_fields: tuple[str, ...] = ("given_name", "family_name", "preferred_name", "nickname")

    def clean_nickname(self) -> str:
        return normalise.clean_name(self.cleaned_data["nickname"], label="Nickname or street name")

    def clean_postcode(self) -> str:
        return normalise.clean_postcode(self.cleaned_data["postcode"])

    def clean_phone(self) -> str:
        return normalise.clean_phone(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return normalise.clean_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, value = cleaned.get("identifier_kind"), cleaned.get("identifier")
        if value and not kind:
            self.add_error("identifier_kind", "Choose what kind of identifier you entered")
        elif kind and not value:
            self.add_error("identifier", "Enter the identifier, or choose no kind of identifier")
        elif value and kind:
            try:
                cleaned["identifier"] = normalise.clean_identifier(kind, value)
            except ValidationError as error:
                self.add_error("identifier", error)
        has_address = any(cleaned.get(name) for name in ("line_1", "line_2", "town"))
        if has_address and not cleaned.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter the postcode of the address, like WS2 8AA")
        return cleaned

    def partial_details(self) -> PersonDetails:
        details = super().partial_details()
        data = self.cleaned_data
        if data.get("nickname"):
            details.aliases = [(data["nickname"], "")]
        details.postcodes = [data["postcode"]] if data.get("postcode") else []
        details.phones = [data["phone"]] if data.get("phone") else []
        details.emails = [data["email"]] if data.get("email") else []
        if data.get("identifier") and data.get("identifier_kind") and "identifier" not in self.errors:
            details.identifiers = [(data["identifier_kind"], data["identifier"])]
        return details

    def details(self) -> PersonDetails:
        """Everything identifying, for ``services.person_create``. Call after ``is_valid()``."""
        return self.partial_details()

    def addresses(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if not data.get("postcode"):
            return []
        return [{name: data.get(name, "") for name in ("line_1", "line_2", "town", "postcode")}]


# --- Parts of a person (small forms on the person page) ----------------------------------------


class AliasForm(StyledForm):
    alias_kind = forms.ChoiceField(
        label="Kind of name", choices=AliasKind.choices, initial=AliasKind.NICKNAME, widget=forms.RadioSelect
    )
    given_name = _name("First name or street name")
    family_name = _name("Last name", help_text="Leave empty for a one-word street name or nickname")

    def clean_given_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["given_name"], label="First name")

    def clean_family_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["family_name"], label="Last name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("given_name") and not cleaned.get("family_name") and not self.errors:
            self.add_error("given_name", "Enter the name they are also known by")
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"alias_kind": data["alias_kind"], "given_name": data["given_name"], "family_name": data["family_name"]}


class IdentifierForm(StyledForm):
    identifier_kind = forms.ChoiceField(
        label="Kind of identifier",
        choices=IDENTIFIER_CHOICES,
        error_messages={"required": "Choose what kind of identifier it is"},
    )
    value = forms.CharField(
        label="Identifier",
        max_length=64,
        help_text=identifier_help(),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the identifier"},
    )
    issued_by = _text("Issued by", max_length=200, help_text="The agency or country, if known")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("identifier_kind") and cleaned.get("value"):
            try:
                cleaned["value"] = normalise.clean_identifier(cleaned["identifier_kind"], cleaned["value"])
            except ValidationError as error:
                self.add_error("value", error)
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"identifier_kind": data["identifier_kind"], "value": data["value"], "issued_by": data["issued_by"]}


class AddressForm(StyledForm):
    line_1 = _text("Address line 1", max_length=200, help_text="Building and street")
    line_2 = _text("Address line 2", max_length=200)
    town = _text("Town or city")
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        help_text="For example, WS2 8AA",
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the postcode, like WS2 8AA"},
    )
    date_from = date_field("Lived there from")
    date_to = date_field("Lived there until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_to"].help_text = "Leave empty if they still live there"

    def clean_postcode(self) -> str:
        return normalise.clean_postcode(self.cleaned_data["postcode"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", f"The date they left must be on or after {uk_date(start)}")
        return cleaned

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PhoneForm(StyledForm):
    number = forms.CharField(
        label="Phone number",
        max_length=30,
        help_text="For example, 07700 900123 or +44 121 496 0000",
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "tel"}),
        error_messages={"required": "Enter the phone number"},
    )
    label = _text("Label", max_length=50, help_text="For example, mobile or mum's phone")

    def clean_number(self) -> str:
        return normalise.clean_phone(self.cleaned_data["number"])

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class EmailForm(StyledForm):
    address = forms.CharField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the email address"},
    )

    def clean_address(self) -> str:
        return normalise.clean_email(self.cleaned_data["address"])

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class MarkerForm(StyledForm):
    marker_kind = forms.ChoiceField(
        label="Warning",
        choices=[("", "Choose a warning"), *MarkerKind.choices],
        error_messages={"required": "Choose the warning"},
    )
    detail = forms.CharField(
        label="Detail",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What officers and partners need to know, in a sentence",
    )
    date_from = date_field("From")
    date_to = date_field("Until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_from"].help_text = "Leave empty for today"
        self.fields["date_to"].help_text = "Leave empty if it still applies"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start = cleaned.get("date_from") or timezone.localdate()
        end = cleaned.get("date_to")
        if end and end < start:
            self.add_error("date_to", f"The end date must be on or after {uk_date(start)}")
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {"marker_kind": data["marker_kind"], "detail": data["detail"], "date_to": data["date_to"]}
        if data["date_from"]:
            values["date_from"] = data["date_from"]
        return values


class HoldingForm(StyledForm):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation that holds a record",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    local_reference = _text("Their reference", help_text="The organisation's own reference for this person, if known")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


PART_FORMS: dict[str, type[StyledForm]] = {
    "alias": AliasForm,
    "identifier": IdentifierForm,
    "address": AddressForm,
    "phone": PhoneForm,
    "email": EmailForm,
    "marker": MarkerForm,
    "holding": HoldingForm,
}


# --- Merge and unmerge -------------------------------------------------------------------------


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args: Any, label: str, hint: str, required_message: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label, field.help_text = label, hint
        field.error_messages["required"] = required_message
