"""The network's filter form (pages and API alike) and the entity finder."""

from __future__ import annotations

from typing import Any

from django import forms

from socex.audit.forms import AuditedFilterForm, date_field
from socex.core.forms import StyledForm
from socex.intelligence.models import EntityKind
from socex.intelligence.network import conf
from socex.intelligence.network.filters import NetworkFilters
from socex.intelligence.network.grading import grading_order
from socex.intelligence.network.graph import link_type_labels

GRADING_RULE = "3x5x2 grading scheme"


def hop_choices() -> list[tuple[str, str]]:
    return [(str(n), "1 link" if n == 1 else f"{n} links") for n in range(1, conf.max_hops() + 1)]


class NetworkFilterForm(AuditedFilterForm):
    """Time window, link types and minimum grading, and how far to look."""

    hops = forms.TypedChoiceField(
        label="How far to look",
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        help_text="Links out from the entity. Further shows more, and takes longer.",
    )
    date_from = date_field("Linked from")
    date_to = date_field("Linked until")
    link_type = forms.MultipleChoiceField(
        label="Link types",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to see every type.",
    )
    min_grade = forms.ChoiceField(
        label="Minimum grading",
        required=False,
        help_text="Links from reports graded below this, or not yet graded, are left out.",
    )
    include_legacy = forms.BooleanField(
        label="With a minimum grading, still show links from legacy 5x5x5 reports",
        required=False,
        help_text="Their grades are kept as recorded and cannot be compared with 3x5x2 grades.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hops"].choices = hop_choices()  # type: ignore[attr-defined]
        self.fields["hops"].initial = str(conf.default_hops())
        self.fields["link_type"].choices = sorted(link_type_labels().items(), key=lambda item: item[1])  # type: ignore[attr-defined]
        self.fields["min_grade"].choices = [  # type: ignore[attr-defined]
            ("", "Any grading, including reports not yet graded"),
            *grading_order().choices(),
        ]
        self.fields["min_grade"].error_messages["invalid_choice"] = (
            f"Minimum grading must be a 3x5x2 grade from 1A to 3E, such as 2B ({GRADING_RULE} rule)."
        )
        self.fields["link_type"].error_messages["invalid_choice"] = (
            "Choose link types from the list; %(value)s is not one of them."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Linked until must be the same as or after linked from.")
        return cleaned

    def network_filters(self) -> NetworkFilters:
        """The valid filters (none if the form is not valid)."""
        if not self.is_valid():
            return NetworkFilters()
        data = self.cleaned_data
        return NetworkFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            link_types=frozenset(data.get("link_type") or ()),
            min_grade=data.get("min_grade") or "",
            include_legacy=bool(data.get("include_legacy")) and bool(data.get("min_grade")),
        )

    def chosen_hops(self) -> int:
        hops = self.cleaned_data.get("hops") if self.is_valid() else None
        return int(hops or conf.default_hops())

    def terms(self) -> dict[str, str]:
        labels = link_type_labels()
        filters = self.network_filters()
        terms = filters.terms()
        if "Link types" in terms:
            terms["Link types"] = ", ".join(sorted(labels.get(code, code) for code in filters.link_types))
        return terms

    def filter(self, items: Any) -> Any:  # the network is filtered in SQL by network_filters()
        return items


class EntityFindForm(StyledForm):
    q = forms.CharField(
        label="Name, number, registration or postcode",
        required=False,
        max_length=200,
        help_text="Part of it is enough, for example 'Ky', '07700' or 'WS2'.",
    )
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *EntityKind.choices])

    def terms(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        terms = {}
        if self.cleaned_data.get("q"):
            terms["Entity"] = self.cleaned_data["q"]
        if self.cleaned_data.get("kind"):
            terms["Kind"] = str(EntityKind(self.cleaned_data["kind"]).label)
        return terms
