"""Forms for intelligence: submitting, grading, sanitising and disseminating reports, confirming
entities, links and lines, and the search filters.

Field names match the services' keyword arguments, so a service's ``ValidationError`` lands
beside the right field (``add_service_errors``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from socex.areas.models import LPA
from socex.audit.forms import AuditedFilterForm, date_field
from socex.core.forms import StyledForm
from socex.intelligence import conf, rules
from socex.intelligence.models import (
    Entity,
    EntityKind,
    GradingScheme,
    Group,
    GroupKind,
    HandlingCode,
    IntelligenceAssessment,
    LinkType,
    ReportStatus,
    SourceEvaluation,
    SourceType,
)
from socex.intelligence.search import ReportFilters, filters_from
from socex.sharing.forms import ShareForm

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.intelligence.models import Report
    from socex.intelligence.suggest import Suggestion


def _required_date(label: str, required_message: str) -> forms.DateField:
    field = date_field(label)
    field.required = True
    field.error_messages["required"] = required_message
    return field


class ReportForm(StyledForm):
    source_type = forms.ChoiceField(
        label="Where did this come from?",
        choices=SourceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the intelligence came from"},
    )
    obtained_on = _required_date("Date obtained", "Enter the date the intelligence was obtained")
    lpa = forms.ModelChoiceField(
        label="Area (local policing area)",
        queryset=LPA.objects.all(),
        empty_label="Choose an area",
        error_messages={"required": "Choose the area it is about", "invalid_choice": "Choose an area from the list"},
    )
    text = forms.CharField(
        label="What do you know?",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Who, what, where and when. Include phone numbers, vehicles, addresses, handles and street names "
        "as they were given: you can confirm them as entities next. This text never leaves the police.",
        error_messages={"required": "Enter what you know"},
    )
    restricted_team = forms.ModelChoiceField(
        label="Restrict to a team (optional)",
        required=False,
        queryset=Group.objects.none(),
        empty_label="Not restricted: every intelligence reader may see it",
        help_text="Only that team's members will see the report.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from socex.accounts.models import Team

        self.fields["text"].max_length = conf.text_max_length()  # type: ignore[attr-defined]
        teams = Team.objects.filter(organisation=user.organisation) if user.organisation else Team.objects.none()
        self.fields["restricted_team"].queryset = teams.order_by("name")  # type: ignore[attr-defined]
        obtained = self.fields["obtained_on"]
        obtained.help_text = f"For example, {timezone.localdate():%-d/%-m/%Y}"


class EvaluateForm(StyledForm):
    grading_scheme = forms.ChoiceField(
        label="Grading scheme",
        choices=GradingScheme.choices,
        widget=forms.RadioSelect,
        initial=GradingScheme.THREE_FIVE_TWO,
        help_text="Use 5x5x5 only to record a legacy grade from an old report, exactly as it was given.",
        error_messages={"required": "Choose the grading scheme"},
    )
    source_evaluation = forms.ChoiceField(
        label="Source evaluation (3x5x2)", required=False, choices=SourceEvaluation.choices, widget=forms.RadioSelect
    )
    intelligence_assessment = forms.ChoiceField(
        label="Intelligence assessment (3x5x2)",
        required=False,
        choices=IntelligenceAssessment.choices,
        widget=forms.RadioSelect,
    )
    handling_code = forms.ChoiceField(
        label="Handling code (3x5x2)", required=False, choices=HandlingCode.choices, widget=forms.RadioSelect
    )
    handling_conditions = forms.CharField(
        label="Handling conditions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for handling code C: the conditions any sharing must meet.",
    )
    legacy_grading = forms.CharField(
        label="Legacy 5x5x5 grade",
        required=False,
        max_length=rules.LEGACY_MAX_LENGTH,
        help_text="Only for the 5x5x5 scheme: the grade exactly as the old report gives it, for example B24.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    retention_group = forms.ChoiceField(
        label="Retention group", widget=forms.RadioSelect, error_messages={"required": "Choose a retention group"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schedule = conf.retention_schedule()
        field = self.fields["retention_group"]
        field.choices = schedule.choices()  # type: ignore[attr-defined]
        field.help_text = "Sets the review date, counted from the date obtained. " + " ".join(
            f"{group.label}: review after {group.review_years} years." for group in schedule.groups.values()
        )
        for name in ("source_evaluation", "intelligence_assessment", "handling_code"):
            self.fields[name].error_messages["invalid_choice"] = rules.broken(
                rules.GRADING_SCHEME, f"Choose one of the {self.fields[name].label} codes listed"
            )

    def grade(self) -> rules.Grade:
        data = self.cleaned_data
        return rules.Grade(
            scheme=data["grading_scheme"],
            source_evaluation=data.get("source_evaluation", ""),
            intelligence_assessment=data.get("intelligence_assessment", ""),
            handling_code=data.get("handling_code", ""),
            handling_conditions=data.get("handling_conditions", ""),
            legacy_grading=data.get("legacy_grading", ""),
        )

    @classmethod
    def initial_for(cls, report: Report) -> dict[str, str]:
        return {
            "grading_scheme": report.grading_scheme,
            "source_evaluation": report.source_evaluation,
            "intelligence_assessment": report.intelligence_assessment,
            "handling_code": report.handling_code,
            "handling_conditions": report.handling_conditions,
            "legacy_grading": report.legacy_grading,
            "retention_group": report.retention_group or conf.retention_schedule().default_group,
        }


class SanitiseForm(StyledForm):
    sanitised_text = forms.CharField(
        label="Sanitised text",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The only text that may leave police hands. Remove anything that could identify the source, "
        "and any identifying details a partner does not need.",
        error_messages={"required": "Enter the sanitised text"},
    )


class DisseminateForm(ShareForm):
    """Share a published report's sanitised text with a partner agency (the sharing form, plus the
    handling-code C confirmation)."""

    conditions_confirmed = forms.BooleanField(
        label="I confirm that sharing with this agency meets the handling conditions",
        required=False,
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if report.handling_code != HandlingCode.CONDITIONS:
            del self.fields["conditions_confirmed"]
        else:
            self.fields["conditions_confirmed"].help_text = f"Handling code C conditions: {report.handling_conditions}"
        self.fields["scope"].initial = f"Sanitised intelligence report {report.reference}"


class ConfirmEntitiesForm(StyledForm):
    entities = forms.MultipleChoiceField(
        label="Entities to keep",
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each one that the report really mentions. Only what you tick is kept.",
        error_messages={"required": "Tick at least one entity to keep, or go back to the report"},
    )

    def __init__(self, *args: Any, suggestions: list[Suggestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entities"].choices = [  # type: ignore[attr-defined]
            (
                s.token,
                f"{EntityKind(s.kind).label}: {s.label}" + (f" ({s.hint})" if s.kind == EntityKind.PERSON else ""),
            )
            for s in suggestions
        ]


class EntityAddForm(StyledForm):
    kind = forms.ChoiceField(
        label="Kind",
        choices=[(kind.value, kind.label) for kind in EntityKind if kind not in (EntityKind.PERSON, EntityKind.GROUP)],
        error_messages={"required": "Choose the kind of entity"},
    )
    value = forms.CharField(
        label="Value",
        max_length=200,
        help_text="A phone number, a registration (AB12 CDE), a postcode or place, an email address or a handle",
        error_messages={"required": "Enter the value"},
    )


class LinkForm(StyledForm):
    source = forms.ModelChoiceField(
        label="From", queryset=Entity.objects.none(), empty_label="Choose an entity",
        error_messages={"required": "Choose the entity the link starts from"},
    )  # fmt: skip
    link_type = forms.ChoiceField(
        label="Link", choices=[("", "Choose the type of link"), *LinkType.choices],
        error_messages={"required": "Choose the type of link"},
    )  # fmt: skip
    target = forms.ModelChoiceField(
        label="To", queryset=Entity.objects.none(), empty_label="Choose an entity",
        error_messages={"required": "Choose the entity the link goes to"},
    )  # fmt: skip
    valid_from = date_field("From (optional)")
    valid_to = date_field("Until (optional)")

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entities = Entity.objects.filter(mentions__report=report).order_by("kind", "label")
        self.fields["source"].queryset = entities  # type: ignore[attr-defined]
        self.fields["target"].queryset = entities  # type: ignore[attr-defined]
        for name in ("valid_from", "valid_to"):
            self.fields[name].help_text = "When the link held, if known. For example, 3/7/2024"


class GroupForm(StyledForm):
    kind = forms.ChoiceField(
        label="What is it?", choices=GroupKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose a county line or an organised crime group"},
    )  # fmt: skip
    name = forms.CharField(
        label="Name", max_length=100, help_text="The name the line or group is known by, for example 'Ky line'",
        error_messages={"required": "Enter the name"},
    )  # fmt: skip
    deal_line = forms.CharField(
        label="Deal-line phone number (county lines)", required=False, max_length=30,
        help_text="For example, 07700 900123", widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )  # fmt: skip
    areas_supplied = forms.ModelMultipleChoiceField(
        label="Areas it supplies", required=False, queryset=LPA.objects.all(), widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    area_notes = forms.CharField(
        label="Other places it supplies", required=False, max_length=200,
        help_text="Beyond the force's areas, for example 'Shrewsbury, Telford'",
    )  # fmt: skip


class GroupEditForm(GroupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["name"]


STATUS_CHOICES = [("", "Any status"), *ReportStatus.choices]


class SearchTextField(forms.CharField):
    """What was typed into a search box, whatever it is: never refused. The search itself drops
    what it cannot use and cuts a long query with a message (``search.parse_query``)."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\x00", " ")


class ReportSearchForm(AuditedFilterForm):
    """The report search box and its filters. ``search_reports`` logs the search itself."""

    q = SearchTextField(
        label="Search",
        required=False,
        help_text='Words, "a phrase", -word to leave out, OR between alternatives, word* for the start of a word',
    )
    obtained_from = date_field("Obtained from")
    obtained_to = date_field("Obtained to")
    lpa = forms.ModelChoiceField(label="Area (LPA)", required=False, queryset=LPA.objects.all(), empty_label="Any area")
    source_evaluation = forms.ChoiceField(
        label="Source evaluation", required=False, choices=[("", "Any"), *SourceEvaluation.choices]
    )
    intelligence_assessment = forms.ChoiceField(
        label="Intelligence assessment", required=False, choices=[("", "Any"), *IntelligenceAssessment.choices]
    )
    handling_code = forms.ChoiceField(
        label="Handling code", required=False, choices=[("", "Any"), *HandlingCode.choices]
    )
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)
    group = forms.ModelChoiceField(
        label="Line or group", required=False, queryset=Group.objects.none(), empty_label="Any line or group"
    )
    entity = forms.ModelChoiceField(
        label="Entity", required=False, queryset=Entity.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["entity"].queryset = Entity.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["entity"].error_messages["invalid_choice"] = "That entity is not one you can search by"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("obtained_from"), cleaned.get("obtained_to")
        if start and end and end < start:
            self.add_error("obtained_to", "Obtained to must be the same as or after obtained from")
        return cleaned

    def query(self) -> str:
        return str(self.cleaned_data.get("q") or "") if self.is_valid() else ""

    def report_filters(self) -> ReportFilters:
        """The valid filters (none if the form is not valid)."""
        return filters_from(self.cleaned_data) if self.is_valid() else ReportFilters()

    def filter(self, items: Any) -> Any:
        return self.report_filters().apply(items)
