"""Forms for the threat-risk ranking, hub siting, internal figures and briefings (all GET: they
choose what to show, and nothing they hold is ever saved)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from socex.analytics import internal
from socex.analytics.ranking import lower_first
from socex.analytics.weights import DIMENSIONS, ScoringModel, check_weights
from socex.core.forms import StyledForm

DECIMAL_ATTRS = {"class": "govuk-input--width-4", "step": "any", "inputmode": "decimal"}
PERIOD_LENGTHS = [(3, "3 months"), (6, "6 months"), (12, "12 months"), (24, "24 months"), (36, "36 months")]


CHOOSABLE_MONTHS = 60  # months back from last month that may end a period, beside any month of crime data


def _month_choices() -> list[tuple[str, str]]:
    """Every month from the first month of crime data (or five years back) to the latest of last
    month and the last month of crime data, newest first."""
    from django.db.models import Max, Min

    from socex.analytics.models import CrimeLPAMonth

    bounds = CrimeLPAMonth.objects.aggregate(first=Min("month"), last=Max("month"))
    last = internal.add_months(timezone.localdate().replace(day=1), -1)
    first = internal.add_months(last, -(CHOOSABLE_MONTHS - 1))
    if bounds["first"] is not None:
        first, last = min(first, bounds["first"]), max(last, bounds["last"])
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    months = [internal.add_months(last, -n) for n in range(count)]
    return [(f"{m:%Y-%m}", internal.month_label(m)) for m in months]


class PeriodForm(StyledForm):
    """Which months the page covers: a length, ending with a chosen month."""

    to = forms.ChoiceField(
        label="Up to and including",
        required=False,
        error_messages={"invalid_choice": "Choose a month from the list"},
    )
    months = forms.TypedChoiceField(
        label="Length",
        choices=PERIOD_LENGTHS,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a length from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = _month_choices()  # type: ignore[attr-defined]
        default = internal.default_period()
        self.fields["to"].initial = f"{default.last_month:%Y-%m}"
        self.fields["months"].initial = default.months

    def period(self) -> internal.Period:
        """The period asked for, or the default when nothing (or nothing valid) was asked."""
        if not self.is_bound or not self.is_valid():
            return internal.default_period()
        months = self.cleaned_data.get("months") or None
        last = dt.date.fromisoformat(f"{self.cleaned_data['to']}-01") if self.cleaned_data.get("to") else None
        return internal.default_period(months, last_month=last)

    def hidden_values(self) -> list[tuple[str, str]]:
        """The chosen period as (name, value) pairs, to carry through another GET form."""
        period = self.period()
        return [("to", f"{period.last_month:%Y-%m}"), ("months", str(period.months))]


class WhatIfForm(StyledForm):
    """One weight per measure, and the capacity adjustment. Tried, never saved."""

    def __init__(self, model: ScoringModel, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_model = model
        for component in model.components:
            self.fields[f"w_{component.key}"] = forms.DecimalField(
                label=component.label,
                help_text=f"{DIMENSIONS[component.dimension]}. Published weight: {component.weight:g}.",
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                initial=f"{component.weight:g}",
                error_messages={
                    "required": f"Enter a weight for {lower_first(component.label)}, or 0 to leave it out",
                    "invalid": f"Enter the weight for {lower_first(component.label)} as a number, like 2 or 1.5",
                    "min_value": "A weight cannot be below 0",
                    "max_value": "A weight cannot be more than 100",
                },
                widget=forms.NumberInput(
                    attrs={"class": "govuk-input--width-4", "step": "any", "inputmode": "decimal"}
                ),
            )
        self.fields["capacity"] = forms.DecimalField(
            label="Capacity adjustment",
            help_text=f"From 0 (staffing makes no difference) to 1. Published: {model.capacity_weight:g}.",
            min_value=Decimal(0),
            max_value=Decimal(1),
            decimal_places=2,
            initial=f"{model.capacity_weight:g}",
            error_messages={
                "required": "Enter the capacity adjustment, or 0 to ignore staffing",
                "invalid": "Enter the capacity adjustment as a number from 0 to 1, like 0.2",
                "min_value": "The capacity adjustment must be from 0 to 1 (0 ignores staffing)",
                "max_value": "The capacity adjustment must be from 0 to 1 (0 ignores staffing)",
            },
            widget=forms.NumberInput(attrs=DECIMAL_ATTRS),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            check_weights(self.tried_model(cleaned))
        except forms.ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return cleaned

    def tried_model(self, cleaned: dict[str, Any] | None = None) -> ScoringModel:
        cleaned = cleaned if cleaned is not None else self.cleaned_data
        weights = {c.key: float(cleaned[f"w_{c.key}"]) for c in self.base_model.components}
        return self.base_model.with_weights(weights, float(cleaned["capacity"]))


class SitingForm(StyledForm):
    hubs = forms.IntegerField(
        label="Number of hubs",
        min_value=1,
        error_messages={
            "required": "Enter the number of hubs",
            "invalid": "Enter the number of hubs as a whole number",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    detective_posts = forms.IntegerField(
        label="Detective posts",
        min_value=0,
        max_value=5000,
        error_messages={
            "required": "Enter the number of detective posts",
            "invalid": "Enter the number of detective posts as a whole number",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    non_detective_posts = forms.IntegerField(
        label="Non-detective posts",
        min_value=0,
        max_value=5000,
        error_messages={
            "required": "Enter the number of non-detective posts",
            "invalid": "Enter the number of non-detective posts as a whole number",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    max_share = forms.IntegerField(
        label="Largest share of the force's demand one hub may carry (%)",
        min_value=1,
        max_value=100,
        error_messages={
            "required": "Enter the largest share of demand one hub may carry, from 1 to 100",
            "invalid": "Enter the largest share as a whole number of per cent, like 60",
            # These two carry the limit as a parameter, so a per cent sign is written twice.
            "min_value": "The largest share must be from 1%% to 100%%",
            "max_value": "The largest share must be from 1%% to 100%%",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    max_km = forms.DecimalField(
        label="Longest distance from an area to its hub's base (km)",
        help_text="Measured between the population-weighted centres of the areas. Leave empty for no limit.",
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal(1000),
        decimal_places=1,
        error_messages={
            "invalid": "Enter the distance in kilometres, like 30",
            "min_value": "The longest distance must be more than 0 km, or left empty for no limit",
        },
        widget=forms.NumberInput(attrs=DECIMAL_ATTRS),
    )

    def __init__(self, *args: Any, n_sites: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hubs = self.fields["hubs"]
        hubs.max_value = n_sites  # type: ignore[attr-defined]
        hubs.validators.append(MaxValueValidator(n_sites))
        hubs.error_messages["min_value"] = f"The number of hubs must be from 1 to {n_sites}"
        hubs.error_messages["max_value"] = (
            f"The number of hubs must be from 1 to {n_sites}: each hub is based in a different area"
        )
        hubs.help_text = f"From 1 to {n_sites}: each hub is based in a different local policing area."
