"""Forms for investigations, operations, disruptions and hub staffing.

Field names match the services' keyword arguments, so a service's ``ValidationError`` lands
beside the right field (``add_service_errors``). People are chosen by their index reference
(P-0000123) and intelligence by its reference (INT-2026-0000123), as officers quote them.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from socex.accounts.models import Team, User
from socex.areas.models import LPA, Hub
from socex.audit.forms import AuditedFilterForm, date_field
from socex.core.forms import StyledForm
from socex.intelligence.models import Group
from socex.investigations.models import (
    DisruptionKind,
    InvestigationStatus,
    Operation,
    OperationScope,
    OutcomeKind,
    PersonRole,
    StaffKind,
)
from socex.investigations.offences import offence_list
from socex.people.models import Person

PERSON_REFERENCE = re.compile(r"^\s*(?:P-)?0*(\d{1,12})\s*$", re.IGNORECASE)


def _required_date(label: str) -> forms.DateField:
    field = date_field(label)
    field.required = True
    field.error_messages["required"] = f"Enter {label.lower()}"
    return field


def investigators() -> Any:
    """Police users who run investigations: the choices for officer in the case and operation lead."""
    users = User.objects.filter(is_active=True, organisation__org_type="police").order_by("full_name")
    return users.filter(pk__in=[u.pk for u in users if u.has_cap("investigation.manage")])


class InvestigationForm(StyledForm):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    crime_references = forms.CharField(
        label="Crime reference numbers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line, for example 20/123456/26",
    )
    offences = forms.MultipleChoiceField(
        label="Offences",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one offence"},
    )
    officer_in_case = forms.ModelChoiceField(
        label="Officer in the case",
        queryset=User.objects.none(),
        empty_label="Choose an officer",
        help_text="Offences marked as needing a detective need a detective on a hub's staff",
        error_messages={"required": "Choose the officer in the case"},
    )
    lpa = forms.ModelChoiceField(label="Local policing area", queryset=LPA.objects.all(), empty_label="Choose an area")
    hub = forms.ModelChoiceField(label="Hub", queryset=Hub.objects.all(), required=False, empty_label="No hub")
    operation = forms.ModelChoiceField(
        label="Operation", queryset=Operation.objects.all(), required=False, empty_label="Not part of an operation"
    )
    opened_on = _required_date("Date opened")
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    intelligence_reports = forms.CharField(
        label="Linked intelligence reports",
        required=False,
        help_text="References separated by commas, for example INT-2026-0000012",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offences"].choices = offence_list().choices()  # type: ignore[attr-defined]
        self.fields["officer_in_case"].queryset = investigators()  # type: ignore[attr-defined]

    def clean_crime_references(self) -> list[str]:
        return [line for line in self.cleaned_data["crime_references"].splitlines() if line.strip()]

    def clean_intelligence_reports(self) -> list[str]:
        return [ref.strip().upper() for ref in self.cleaned_data["intelligence_reports"].split(",") if ref.strip()]


class StatusForm(StyledForm):
    status = forms.ChoiceField(label="New status", choices=InvestigationStatus.choices, widget=forms.RadioSelect)
    changed_on = _required_date("Date of the change")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class PersonForm(StyledForm):
    person = forms.CharField(
        label="Person's reference in the index",
        max_length=20,
        help_text="For example, P-0000123",
        error_messages={"required": "Enter the person's reference"},
    )
    role = forms.ChoiceField(label="Role", choices=PersonRole.choices, widget=forms.RadioSelect)
    both_roles_reason = forms.CharField(
        label="If they are both a victim and a suspect, why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a child exploited into dealing for the line",
    )

    def clean_person(self) -> int:
        match = PERSON_REFERENCE.match(self.cleaned_data["person"])
        if not match:
            raise forms.ValidationError("Enter a person's reference like P-0000123")
        return int(match.group(1))


class OutcomeForm(StyledForm):
    kind = forms.ChoiceField(label="Outcome", choices=OutcomeKind.choices, widget=forms.RadioSelect)
    person = forms.ModelChoiceField(
        label="Suspect", queryset=Person.objects.none(), required=False, empty_label="Not about one suspect"
    )
    outcome_on = _required_date("Date of the outcome")
    detail = forms.CharField(
        label="Reason or result",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for no further action (the reason) and for a court result",
    )

    def __init__(self, *args: Any, suspects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = suspects  # type: ignore[attr-defined]


class DisruptionForm(StyledForm):
    kind = forms.ChoiceField(label="What happened", choices=DisruptionKind.choices, widget=forms.RadioSelect)
    occurred_on = _required_date("Date")
    lpa = forms.ModelChoiceField(label="Local policing area", queryset=LPA.objects.all(), empty_label="Choose an area")
    quantity = forms.IntegerField(
        label="How many", min_value=1, initial=1, widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"})
    )
    cash_amount = forms.CharField(
        label="Cash seized (£)", required=False, help_text="Only for cash seizures, for example 4250"
    )
    drugs_description = forms.CharField(
        label="Drugs seized", required=False, help_text="Only for drugs seizures, for example 42 wraps of crack cocaine"
    )
    operation = forms.ModelChoiceField(
        label="Operation", queryset=Operation.objects.all(), required=False, empty_label="None"
    )
    county_line = forms.ModelChoiceField(
        label="County line or group", queryset=Group.objects.none(), required=False, empty_label="None"
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county_line"].queryset = groups  # type: ignore[attr-defined]


class OperationForm(StyledForm):
    name = forms.CharField(label="Name", max_length=100, help_text="For example, Operation Skyclash")
    scope = forms.ChoiceField(label="Scope", choices=OperationScope.choices, widget=forms.RadioSelect)
    lpas = forms.ModelMultipleChoiceField(
        label="Local policing areas",
        queryset=LPA.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a local operation",
    )
    aims = forms.CharField(label="Aims", widget=forms.Textarea(attrs={"rows": 4}))
    start_date = _required_date("Start date")
    end_date = date_field("End date")
    lead = forms.ModelChoiceField(label="Lead", queryset=User.objects.none(), empty_label="Choose an officer")
    hubs = forms.ModelMultipleChoiceField(
        label="Hubs involved", queryset=Hub.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.ModelMultipleChoiceField(
        label="Teams involved",
        queryset=Team.objects.filter(organisation__org_type="police"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = investigators()  # type: ignore[attr-defined]


class StaffForm(StyledForm):
    user = forms.ModelChoiceField(
        label="Officer or staff member", queryset=User.objects.none(), empty_label="Choose a person"
    )
    hub = forms.ModelChoiceField(label="Hub", queryset=Hub.objects.all(), empty_label="Choose a hub")
    kind = forms.ChoiceField(label="Role", choices=StaffKind.choices, widget=forms.RadioSelect)
    capacity = forms.IntegerField(
        label="Capacity",
        min_value=1,
        max_value=200,
        initial=20,
        help_text="How many open items (cases, investigations, NRM referrals, actions) they can carry at full time",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    fte = forms.DecimalField(
        label="Full-time equivalent",
        min_value=0.01,
        max_value=1,
        decimal_places=2,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "step": "0.01"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        police = User.objects.filter(is_active=True, organisation__org_type="police").order_by("full_name")
        self.fields["user"].queryset = police  # type: ignore[attr-defined]


class InvestigationFilterForm(AuditedFilterForm):
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *InvestigationStatus.choices], required=False
    )
    lpa = forms.ModelChoiceField(
        label="Local policing area", queryset=LPA.objects.all(), required=False, empty_label="All areas"
    )
    operation = forms.ModelChoiceField(
        label="Operation", queryset=Operation.objects.all(), required=False, empty_label="Any"
    )
    text = forms.CharField(label="Reference, title or crime number", required=False, max_length=100)

    def filter(self, items: Any) -> Any:
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data.get("status"):
            items = items.filter(status=data["status"])
        if data.get("lpa"):
            items = items.filter(lpa=data["lpa"])
        if data.get("operation"):
            items = items.filter(operation=data["operation"])
        if data.get("text"):
            text = data["text"].strip()
            from django.db.models import Q

            items = items.filter(
                Q(reference__icontains=text) | Q(title__icontains=text) | Q(crime_references__icontains=text.upper())
            )
        return items
