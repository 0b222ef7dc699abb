"""Forms for VRP funding. Field names match the services' keyword arguments, so a service's
``ValidationError`` lands beside the right field (``add_service_errors``).

Amounts are typed as text and checked by ``socex.core.money.money`` (the one place that decides what a
valid amount is), so "£7,981.29" and "7981.29" both work and "12.345" gets a clear message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from socex.accounts.models import Organisation
from socex.areas.models import LPA
from socex.audit.forms import AuditedFilterForm, date_field
from socex.core.forms import StyledForm
from socex.funding.models import AllocationStatus, BidStatus, Budget, Programme, financial_year_label, financial_year_of


def _amount(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,
        help_text="In pounds and pence, for example 7981.29",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": f"Enter {label.lower()}"},
    )


def _required_date(label: str) -> forms.DateField:
    field = date_field(label)
    field.required = True
    field.error_messages["required"] = f"Enter {label.lower()}"
    return field


def _text(
    label: str, *, required: bool = True, rows: int = 0, help_text: str = "", max_length: int = 300
) -> forms.CharField:
    widget: forms.Widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=None if rows else max_length,
        widget=widget,
        help_text=help_text,
        error_messages={"required": f"Enter {label.lower()}"},
    )


def year_choices() -> list[tuple[int, str]]:
    this_year = financial_year_of(timezone.localdate())
    return [(year, financial_year_label(year)) for year in range(this_year + 1, 2017, -1)]


def _organisations() -> Any:
    return Organisation.objects.filter(is_active=True).order_by("name")


class BudgetForm(StyledForm):
    name = _text("Budget name", help_text="For example, Walsall local delivery")
    programme = forms.ChoiceField(label="Programme", choices=Programme.choices, widget=forms.RadioSelect)
    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=())
    lpa = forms.ModelChoiceField(
        label="Local policing area", queryset=LPA.objects.all(), required=False, empty_label="Force-wide"
    )
    amount = _amount("Amount")
    source = _text("Source of the money", help_text="For example, Home Office VRU core grant")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = year_choices()  # type: ignore[attr-defined]


class AllocationForm(StyledForm):
    project = _text("Project or intervention")
    lead = forms.ModelChoiceField(
        label="Lead organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the lead organisation"},
    )
    amount = _amount("Allocation")
    detail = _text("Detail", required=False, rows=4, help_text="What the money pays for")
    target_areas = _text("Target areas", required=False, help_text="For example, North and South Walsall")
    target_cohort = _text(
        "Target cohort",
        required=False,
        help_text="For example, young people aged 11 to 16 with additional needs at risk of exploitation",
    )
    start_date = date_field("Start date")
    end_date = date_field("End date")
    status = forms.ChoiceField(label="Status", choices=AllocationStatus.choices, widget=forms.RadioSelect)
    takes_case_referrals = forms.BooleanField(label="Hub cases can be referred to this intervention", required=False)
    over_budget_reason = _text(
        "Reason for going over the budget",
        required=False,
        rows=3,
        help_text="Only if this allocation takes the budget over its total. A supervisor must approve it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _organisations()  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class BidForm(StyledForm):
    title = _text("Bid title")
    funder = _text("Funder")
    amount_sought = _amount("Amount sought")
    lead = forms.ModelChoiceField(
        label="Lead organisation", queryset=Organisation.objects.none(), empty_label="Choose an organisation"
    )
    partners = forms.ModelMultipleChoiceField(
        label="Consortium partners", queryset=Organisation.objects.none(), required=False,
        help_text="Hold Ctrl (or Cmd) to choose more than one",
    )  # fmt: skip
    programme = forms.ChoiceField(label="If successful, the money goes to", choices=Programme.choices)
    lpa = forms.ModelChoiceField(
        label="Local policing area", queryset=LPA.objects.all(), required=False, empty_label="Force-wide"
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[(BidStatus.DRAFT, BidStatus.DRAFT.label), (BidStatus.SUBMITTED, BidStatus.SUBMITTED.label)],
        widget=forms.RadioSelect,
    )
    submitted_on = date_field("Date submitted")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _organisations()  # type: ignore[attr-defined]
        self.fields["partners"].queryset = _organisations()  # type: ignore[attr-defined]


class BidDecisionForm(StyledForm):
    status = forms.ChoiceField(
        label="Decision",
        choices=[(s, s.label) for s in (BidStatus.SUCCESSFUL, BidStatus.UNSUCCESSFUL, BidStatus.WITHDRAWN)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    decision_on = _required_date("Date of the decision")
    amount_awarded = _amount("Amount awarded", required=False)
    outcome = _text("Outcome", required=False, rows=3, help_text="What the funder said")


class ResponseAwardForm(StyledForm):
    budget = forms.ModelChoiceField(
        label="Response budget", queryset=Budget.objects.none(), empty_label="Choose a budget"
    )
    incident_date = _required_date("Date of the incident")
    lpa = forms.ModelChoiceField(label="Local policing area", queryset=LPA.objects.all(), empty_label="Choose an area")
    incident = _text("What happened", rows=3)
    recipients = forms.ModelMultipleChoiceField(
        label="Recipients",
        queryset=Organisation.objects.none(),
        help_text="For example, the schools affected. Hold Ctrl (or Cmd) to choose more than one",
        error_messages={"required": "Choose at least one recipient"},
    )
    amount = _amount("Amount")
    purpose = _text("What the money is for", rows=3)
    awarded_on = _required_date("Date of the award")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = Budget.objects.filter(programme=Programme.RESPONSE)  # type: ignore[attr-defined]
        self.fields["recipients"].queryset = _organisations()  # type: ignore[attr-defined]


class SpendClaimForm(StyledForm):
    amount = _amount("Amount spent")
    description = _text("What the money was spent on")
    spent_on = _required_date("Date of the spending")


class ClaimDecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label="Decision",
        coerce=lambda value: value == "yes",
        choices=[("yes", "Approve the claim"), ("no", "Reject the claim")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or reject"},
    )
    note = _text("Note", required=False, rows=3, help_text="Required if you reject the claim")


class MonitoringReturnForm(StyledForm):
    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=())
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[(1, "Quarter 1 (April to June)"), (2, "Quarter 2 (July to September)"),
                 (3, "Quarter 3 (October to December)"), (4, "Quarter 4 (January to March)")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the quarter"},
    )  # fmt: skip
    young_people_reached = forms.IntegerField(
        label="Young people reached",
        min_value=0,
        error_messages={"required": "Enter how many young people you reached"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    sessions_delivered = forms.IntegerField(
        label="Sessions delivered",
        min_value=0,
        error_messages={"required": "Enter how many sessions you delivered"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    outcomes = _text("Outcomes", rows=5, help_text="What changed for the young people this quarter")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = year_choices()  # type: ignore[attr-defined]


class ReportFilterForm(AuditedFilterForm):
    lpa = forms.ModelChoiceField(
        label="Local policing area", queryset=LPA.objects.all(), required=False, empty_label="All areas"
    )
    financial_year = forms.TypedChoiceField(
        label="Financial year", coerce=int, choices=(), required=False, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [("", "All years"), *year_choices()]  # type: ignore[attr-defined]

    def filter(self, items: Any) -> Any:
        if not self.is_valid():
            return items
        if self.cleaned_data.get("lpa"):
            items = items.filter(budget__lpa=self.cleaned_data["lpa"])
        if self.cleaned_data.get("financial_year"):
            items = items.filter(budget__financial_year=self.cleaned_data["financial_year"])
        return items


def default_year() -> int:
    return financial_year_of(timezone.localdate())


def parse_year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def today() -> dt.date:
    return timezone.localdate()
