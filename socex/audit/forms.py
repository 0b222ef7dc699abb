"""The auditor's filter form, shared by the event list, its CSV export and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from socex.audit.models import Action, Event
from socex.core.forms import StyledForm
from socex.core.templatetags.socex import uk_date

PERIODS = {
    "24h": ("Last 24 hours", dt.timedelta(hours=24)),
    "7d": ("Last 7 days", dt.timedelta(days=7)),
    "30d": ("Last 30 days", dt.timedelta(days=30)),
}
# UK order as people type it, and ISO dates as the dashboard links write them.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]


def record_type_choices() -> list[tuple[str, str]]:
    """Every model of the SOCEX apps, as the ``app_label.model_name`` the log stores."""
    choices = []
    for model in apps.get_models():
        meta = model._meta
        if model.__module__.startswith("socex."):
            label = f"{str(meta.verbose_name).capitalize()} ({meta.app_config.verbose_name})"
            choices.append((f"{meta.app_label}.{meta.model_name}", label))
    return sorted(choices, key=lambda choice: choice[1])


def date_field(label: str) -> forms.DateField:
    """A GOV.UK-style date box: typed, not a browser date picker, UK order (27/3/2024)."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
        help_text="For example, 27/3/2024",
        error_messages={"invalid": f"{label} must be a real date, for example 27/3/2024"},
    )


def start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Europe/London, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditedFilterForm(StyledForm):
    """A list's filter form whose use is logged as a search (see ``record_search``).

    Subclasses define :meth:`filter`, which narrows the (already access-checked) records to
    those the valid filters ask for.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Filters also arrive from edited or old addresses: a choice no longer offered gets a
        # message that says what to do, not Django's "Select a valid choice".
        for field in self.fields.values():
            if not isinstance(field, forms.ChoiceField):
                continue
            if str(field.error_messages["invalid_choice"]).startswith("Select"):
                field.error_messages["invalid_choice"] = f"Choose one of the options for {str(field.label).lower()}"

    def filter(self, items: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define filter(items)")

    def error_text(self) -> str:
        """Every error as one line naming its field, for API responses."""
        return "; ".join(
            f"{name}: {' '.join(str(message) for message in messages)}" for name, messages in self.errors.items()
        )

    def terms(self) -> dict[str, str]:
        """The filters in use, as ``{label: value as shown}``; empty when none is, or any is invalid."""
        if not self.is_valid():
            return {}
        shown: dict[str, str] = {}
        for name, value in self.cleaned_data.items():
            if value in ("", None):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                value = str(value)
            elif isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)  # type: ignore[arg-type]
            elif isinstance(value, dt.date):
                value = uk_date(value)
            shown[str(field.label)] = str(value)
        return shown


class EventFilterForm(AuditedFilterForm):
    user = forms.CharField(
        label="User", required=False, max_length=254, help_text="A name or email address, or part of one"
    )
    organisation = forms.CharField(label="Organisation", required=False, max_length=200)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any action"), *Action.choices])
    object_type = forms.ChoiceField(label="Record type", required=False)
    object_id = forms.CharField(label="Record id", required=False, max_length=64)
    period = forms.ChoiceField(
        label="Period", required=False, choices=[("", "Any time"), *((k, v[0]) for k, v in PERIODS.items())]
    )
    date_from = date_field("Date from")
    date_to = date_field("Date to")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any type of record"), *record_type_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned

    def filter(self, events: QuerySet[Event]) -> QuerySet[Event]:
        """``events`` narrowed by the valid filters (an invalid form narrows nothing)."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["user"]:
            from socex.accounts.models import User

            named = User.objects.filter(full_name__icontains=data["user"]).values("id")
            events = events.filter(Q(actor_label__icontains=data["user"]) | Q(actor_id__in=named))
        if data["organisation"]:
            events = events.filter(organisation_label__icontains=data["organisation"])
        for name in ("action", "object_type", "object_id"):
            if data[name]:
                events = events.filter(**{name: data[name]})
        if data["period"]:
            events = events.filter(occurred_at__gte=timezone.now() - PERIODS[data["period"]][1])
        if data["date_from"]:
            events = events.filter(occurred_at__gte=start_of(data["date_from"]))
        if data["date_to"]:
            events = events.filter(occurred_at__lt=start_of(data["date_to"] + dt.timedelta(days=1)))
        return events
