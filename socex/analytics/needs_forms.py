"""The choices on the needs assessment, hotspot and seasonality pages (GET forms)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from socex.analytics import conf
from socex.analytics.crime import Period
from socex.core.forms import StyledForm


def month_value(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def _month(value: str) -> dt.date:
    return dt.date.fromisoformat(f"{value}-01")


def category_choices() -> list[tuple[str, str]]:
    return [(c.slug, c.label) for c in conf.categories()]


def lpa_choices(*, everyone: str | None) -> list[tuple[str, str]]:
    from socex.areas.models import LPA

    choices = [(code, name) for code, name in LPA.objects.order_by("name").values_list("code", "name")]
    return ([("", everyone)] if everyone else []) + choices


class AnalysisForm(StyledForm):
    """Which categories, over which months (and, on some pages, which LPA)."""

    categories = forms.MultipleChoiceField(
        label="Crime categories",
        widget=forms.CheckboxSelectMultiple,
        help_text="Serious violence and exploitation are chosen to begin with.",
        error_messages={"required": "Choose at least one crime category"},
    )
    start = forms.ChoiceField(label="From")
    end = forms.ChoiceField(label="To")

    def __init__(
        self, data: Any = None, *, months: Sequence[dt.date], default: Period, with_lpa: str | None = None
    ) -> None:
        initial = {
            "categories": list(conf.serious_violence_categories()),
            "start": month_value(default.first),
            "end": month_value(default.last),
        }
        super().__init__(data, initial=initial)
        choices = [(month_value(m), f"{m:%B %Y}") for m in months]
        self.fields["start"].choices = choices  # type: ignore[attr-defined]
        self.fields["end"].choices = choices  # type: ignore[attr-defined]
        self.fields["categories"].choices = category_choices()  # type: ignore[attr-defined]
        if with_lpa is not None:
            self.fields["lpa"] = forms.ChoiceField(label="Area", choices=lpa_choices(everyone=with_lpa), required=False)
            self.order_fields(["lpa", "categories", "start", "end"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and _month(start) > _month(end):
            self.add_error("end", "The 'To' month must be the same as or after the 'From' month")
        return data

    def choice(self) -> tuple[list[str], Period, str]:
        """The categories, period and LPA code ("" for all) chosen, or the defaults."""
        source = self.cleaned_data if self.is_bound and self.is_valid() else self.initial
        period = Period(_month(source["start"]), _month(source["end"]))
        return list(source["categories"]), period, source.get("lpa", "") or ""


class SeasonalForm(StyledForm):
    lpa = forms.ChoiceField(label="Area", required=False)
    categories = forms.MultipleChoiceField(
        label="Crime categories",
        widget=forms.CheckboxSelectMultiple,
        help_text="The chosen categories are added together into one monthly series.",
        error_messages={"required": "Choose at least one crime category"},
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, initial={"lpa": "", "categories": list(conf.serious_violence_categories())})
        self.fields["lpa"].choices = lpa_choices(everyone="All LPAs (the force)")  # type: ignore[attr-defined]
        self.fields["categories"].choices = category_choices()  # type: ignore[attr-defined]

    def choice(self) -> tuple[list[str], str]:
        source = self.cleaned_data if self.is_bound and self.is_valid() else self.initial
        return list(source["categories"]), source.get("lpa", "") or ""
