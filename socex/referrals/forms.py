"""The referral question pages, the triage decision and the list filters.

Each question page's form carries the referral's ``version`` (hidden), so a change made in
another tab is detected by the service rather than silently overwritten.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from socex.accounts.models import Organisation
from socex.areas.models import LPA
from socex.audit.forms import AuditedFilterForm
from socex.cases.vocab import ExploitationType, RiskLevel
from socex.core.forms import StyledForm
from socex.people import normalise
from socex.people.details import PersonDetails
from socex.people.forms import date_or_year
from socex.referrals.models import Awareness, TriageOutcome
from socex.referrals.screening import Group, ScreeningTool
from socex.referrals.services import SubjectDetails
from socex.referrals.triage import breach_filter

TEXTAREA = {"rows": 5}


class VersionedForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _text(label: str, *, max_length: int = 100, help_text: str = "", width: int = 0) -> forms.CharField:
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


def _long_text(label: str, *, required: bool, help_text: str = "", message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=10_000,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": message or f"Enter {label.lower()}", "max_length": f"{label} is too long"},
    )


# --- who the referral is about -----------------------------------------------------------------


class SubjectForm(StyledForm):
    """A person as the referrer knows them; matched against the index as they type."""

    given_name = _text("First name", help_text="Or a nickname or street name")
    family_name = _text("Last name")
    date_of_birth = _text(
        "Date of birth", max_length=20, width=10, help_text="For example, 3/2/2011. If you only know the year: 2011"
    )
    postcode = _text("Postcode", max_length=10, width=10, help_text="Where they live now. For example, WS2 8AA")

    def clean_given_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["given_name"], label="First name")

    def clean_family_name(self) -> str:
        return normalise.clean_name(self.cleaned_data["family_name"], label="Last name")

    def clean_date_of_birth(self) -> tuple[dt.date, str] | None:
        return date_or_year(self.cleaned_data["date_of_birth"])

    def clean_postcode(self) -> str:
        return normalise.clean_postcode(self.cleaned_data["postcode"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not (cleaned.get("given_name") or cleaned.get("family_name")):
            self.add_error("given_name", "Enter the person's first name or last name")
        return cleaned

    def partial_details(self) -> PersonDetails:
        """The details valid so far, for live matching."""
        self.is_valid()
        data = self.cleaned_data
        dob, precision = data.get("date_of_birth") or (None, "")
        return PersonDetails(
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            date_of_birth=dob,
            dob_precision=precision,
            postcodes=[data["postcode"]] if data.get("postcode") else [],
        )

    def subject_details(self) -> SubjectDetails:
        details = self.partial_details()
        return SubjectDetails(
            given_name=details.given_name,
            family_name=details.family_name,
            date_of_birth=details.date_of_birth,
            dob_precision=details.dob_precision,
            postcode=details.postcodes[0] if details.postcodes else "",
        )

    def terms(self) -> dict[str, str]:
        """What was typed, as the audit log records a search."""
        return {
            str(field.label): str(self.data.get(name, "")).strip()
            for name, field in self.fields.items()
            if str(self.data.get(name, "")).strip()
        }


# --- the question pages -------------------------------------------------------------------------


class ConcernsForm(VersionedForm):
    exploitation_types = forms.MultipleChoiceField(
        label="What kind of exploitation are you worried about?",
        choices=ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Choose at least one exploitation concern"},
    )
    concern_summary = _long_text(
        "What are you worried about?",
        required=True,
        help_text="What you have seen or been told, when, and by whom",
        message="Describe what you are worried about",
    )
    lpa = forms.ModelChoiceField(
        label="Which area do they live in?",
        queryset=LPA.objects.order_by("name"),
        empty_label="Choose an area",
        help_text="The local policing area. If they have no settled address, where they spend most time",
        error_messages={
            "required": "Choose the local policing area where the person lives",
            "invalid_choice": "Choose an area from the list",
        },
    )


class ScreeningForm(VersionedForm):
    """One radio question per indicator of one group of the screening tool."""

    def __init__(self, *args: Any, tool: ScreeningTool, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        for indicator in group.indicators:
            self.fields[indicator.code] = forms.ChoiceField(
                label=indicator.text,
                choices=list(tool.timings),
                widget=forms.RadioSelect,
                help_text=indicator.hint,
                error_messages={"required": f"Say whether '{indicator.text}' is current, earlier or not present"},
            )

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[indicator.code] for indicator in self.group.indicators]

    def answers(self) -> dict[str, str]:
        return {indicator.code: self.cleaned_data[indicator.code] for indicator in self.group.indicators}


class LevelForm(VersionedForm):
    confirmed_level = forms.ChoiceField(
        label="What level of risk do you think there is?",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of risk"},
    )
    override_reason = _long_text(
        "Why do you disagree with the suggested level?",
        required=False,
        help_text="Only if you chose a different level from the one the tool suggests",
    )


class AwarenessForm(VersionedForm):
    child_aware = forms.ChoiceField(
        label="Does the child or adult know about this referral?",
        choices=Awareness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the child or adult knows about this referral"},
    )
    family_aware = forms.ChoiceField(
        label="Does their family know about this referral?",
        choices=Awareness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether their family knows about this referral"},
    )
    awareness_detail = _long_text(
        "What have they been told?",
        required=False,
        help_text="If they have not been told, say why (for example, telling them could put the child at risk)",
    )


class RisksForm(VersionedForm):
    immediate_risks = _long_text(
        "What are the immediate risks?",
        required=True,
        help_text="To the child or adult, or to others: for example a planned meeting, a weapon, going missing "
        "tonight. Write 'None known' if there are none",
        message="Describe any immediate risks, or write 'None known'",
    )


# --- triage -------------------------------------------------------------------------------------


class TriageForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="What is the outcome?",
        choices=TriageOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an outcome"},
    )
    reason = _long_text(
        "Reason",
        required=True,
        help_text="The referrer sees this in the app and by email",
        message="Every triage outcome needs a reason: the referrer sees it",
    )
    risk_level = forms.ChoiceField(
        label="Risk level for the new case",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="For a new case. Starts at the level the referrer confirmed",
    )
    lead_agency = forms.ModelChoiceField(
        label="Lead agency for the new case",
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="Choose the lead agency",
        help_text="For a new case",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    keyworker_me = forms.BooleanField(label="I will be the keyworker for the new case", required=False)
    case_reference = _text(
        "Case reference", max_length=20, width=20, help_text="For an existing case. For example, CASE-2026-000123"
    )
    signposted_to = _text("Service signposted to", max_length=200, help_text="For signposting. For example, CAMHS")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        if outcome == TriageOutcome.EXISTING_CASE and not cleaned.get("case_reference"):
            self.add_error("case_reference", "Give the reference of the case to add this referral to")
        if outcome == TriageOutcome.SIGNPOSTED and not cleaned.get("signposted_to"):
            self.add_error("signposted_to", "Name the service you are signposting the referral to")
        if outcome == TriageOutcome.NEW_CASE and not cleaned.get("lead_agency"):
            self.add_error("lead_agency", "Choose the lead agency for the new case")
        reference = str(cleaned.get("case_reference") or "").strip().upper()
        cleaned["case_reference"] = reference
        return cleaned


# --- list filters -------------------------------------------------------------------------------


class QueueFilterForm(AuditedFilterForm):
    risk = forms.ChoiceField(label="Risk level", required=False, choices=[("", "Any level"), *RiskLevel.choices])
    lpa = forms.ModelChoiceField(
        label="Area",
        required=False,
        queryset=LPA.objects.order_by("name"),
        empty_label="Any area",
        error_messages={"invalid_choice": "Choose an area from the list"},
    )
    breach = forms.ChoiceField(
        label="Target time", required=False, choices=[("", "Any"), ("over", "Over the target time")]
    )

    def filter(self, items: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data["risk"]:
            items = items.filter(confirmed_level=data["risk"])
        if data["lpa"]:
            items = items.filter(lpa=data["lpa"])
        if data["breach"]:
            items = items.filter(breach_filter())
        return items


class MineFilterForm(AuditedFilterForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("draft", "Draft"), ("submitted", "Awaiting triage"), ("triaged", "Triaged")],
    )
    mine = forms.ChoiceField(
        label="Made by", required=False, choices=[("", "Anyone in your organisation"), ("me", "Me")]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def filter(self, items: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_valid():
            return items
        if self.cleaned_data["status"]:
            items = items.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["mine"]:
            items = items.filter(Q(referrer=self.user))
        return items


def case_reference_error(reference: str) -> ValidationError:
    return ValidationError(
        {"case_reference": f"There is no case {reference} that you can add to. Check the reference."}
    )
