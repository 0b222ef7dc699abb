"""Forms for NRM pages. They collect and tidy what was typed; the services apply the rules."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet

from socex.areas.models import LPA
from socex.audit.forms import AuditedFilterForm
from socex.core.forms import StyledForm
from socex.nrm import rules
from socex.nrm.form_vocab import Page
from socex.nrm.models import (
    AgeGroup,
    Dimension,
    Gender,
    Location,
    NrmReferral,
    NrmStatus,
    Outcome,
    ReconsiderationOutcome,
    Stage,
    SupportStatus,
    Under18,
)
from socex.nrm.services import REFUSED, ExploitationFacts
from socex.nrm.statistics import parse_quarter

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.cases.models import ChronologyEntry
    from socex.people.models import Person

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]


def date_field(label: str, *, required: bool = True, help_text: str = "For example, 27/3/2025") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
        help_text=help_text,
        error_messages={
            "invalid": f"{label} must be a real date, for example 27/3/2025",
            "required": f"Enter the {label.lower()}",
        },
    )


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class FactsForm(StyledForm):
    """The anonymous facts of a referral or DtN report (the MS1 fields) and the officer's contact."""

    lpa = forms.ModelChoiceField(
        label="Local policing area",
        queryset=LPA.objects.all(),
        empty_label="Choose the LPA",
        help_text="Where the potential victim lives or was found. Statistics count referrals by it.",
        error_messages={"required": "Choose the local policing area"},
    )
    exploitation_types = forms.MultipleChoiceField(
        label="How were they exploited?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply (the Home Office form's options).",
        error_messages={"required": "Choose at least one way they were exploited"},
    )
    other_exploitation = forms.CharField(label="Other type of exploitation", required=False, max_length=2000)
    county_lines = forms.BooleanField(label="This involves county lines", required=False)
    location = forms.ChoiceField(
        label="Where was the potential victim exploited?",
        choices=Location.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where they were exploited"},
    )
    uk_locations = forms.CharField(
        label="Cities or towns in the UK",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line, as on the Home Office list, for example Birmingham",
    )
    countries = forms.CharField(
        label="Countries overseas",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line, for example Albania",
    )
    narrative = forms.CharField(
        label="What did they say happened?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Do not include their name or the names of any other potential victims.",
        max_length=15000,
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=[("", "As in the person index"), *Gender.choices],
        required=False,
    )
    nationality = forms.CharField(
        label="Nationality", required=False, max_length=100, help_text="Leave empty to use the person index"
    )
    officer_role = forms.CharField(label="Your role", required=False, max_length=200)
    officer_phone = forms.CharField(label="Your phone number", required=False, max_length=32)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exploitation_types"].choices = rules.exploitation_choices()  # type: ignore[attr-defined]

    def facts(self) -> ExploitationFacts:
        data = self.cleaned_data
        return ExploitationFacts(
            lpa=data["lpa"],
            exploitation_types=list(data["exploitation_types"]),
            location=data["location"],
            uk_locations=lines(data["uk_locations"]),
            countries=lines(data["countries"]),
            other_exploitation=data["other_exploitation"],
            county_lines=data["county_lines"],
            narrative=data["narrative"],
            gender=data["gender"],
            nationality=data["nationality"],
            officer_role=data["officer_role"],
            officer_phone=data["officer_phone"],
        )


class StartForm(FactsForm):
    """Start an NRM referral (or, for an adult who refuses consent, a Duty to Notify report)."""

    person = forms.ChoiceField(label="Potential victim", widget=forms.RadioSelect)
    person_reference = forms.CharField(
        label="Person index reference",
        max_length=20,
        help_text="Find them under People first. For example, P-0000123",
    )
    under_18 = forms.ChoiceField(
        label="Is the potential victim under 18?",
        choices=Under18.choices,
        widget=forms.RadioSelect,
        help_text="If they may be under 18, answer 'Not sure': they are treated as a child until their age "
        "is assessed.",
        error_messages={"required": "Say whether the potential victim is under 18"},
    )
    consent = forms.ChoiceField(
        label="Adults only: does the potential victim consent to being referred?",
        choices=[("given", "Yes, they gave informed consent"), (REFUSED, "No, they refused")],
        widget=forms.RadioSelect,
        required=False,
        help_text="Leave this for a child. An adult who refuses is not referred: a Duty to Notify report is made "
        "instead, without their name or other identifying details.",
    )
    consent_on = date_field("Date consent was given", required=False)
    refusal_reason = forms.CharField(
        label="Why don't they want to be referred?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only if they refused. Do not name them.",
        max_length=15000,
    )
    indicators = forms.CharField(
        label="Modern slavery indicators you identified",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=15000,
    )
    referred_on = date_field("Date the referral was started", required=False, help_text="Leave empty for today")

    field_order = [
        "person",
        "person_reference",
        "under_18",
        "consent",
        "consent_on",
        "refusal_reason",
        "lpa",
        "exploitation_types",
        "other_exploitation",
        "county_lines",
        "location",
        "uk_locations",
        "countries",
        "narrative",
        "indicators",
        "gender",
        "nationality",
        "officer_role",
        "officer_phone",
        "referred_on",
    ]

    def __init__(self, *args: Any, user: User, subjects: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.subjects = subjects
        if subjects is not None:
            del self.fields["person_reference"]
            self.fields["person"].choices = [  # type: ignore[attr-defined]
                (str(p.pk), f"{p.display_name} ({p.reference})") for p in subjects
            ]
            if len(subjects) == 1:
                self.fields["person"].initial = str(subjects[0].pk)
        else:
            del self.fields["person"]

    def clean_person_reference(self) -> str:
        from socex.people.models import Person

        text = self.cleaned_data["person_reference"].strip().upper().removeprefix("P-").lstrip("0")
        if not text.isdigit() or not Person.objects.visible_to(self.user).filter(pk=int(text)).exists():
            raise forms.ValidationError("No person with that reference that you can see. Check it under People.")
        return text

    def chosen_person(self) -> Person:
        from socex.people.models import Person

        if self.subjects is not None:
            return next(p for p in self.subjects if str(p.pk) == self.cleaned_data["person"])
        return Person.objects.visible_to(self.user).get(pk=int(self.cleaned_data["person_reference"]))


class EditForm(FactsForm):
    indicators = forms.CharField(
        label="Modern slavery indicators you identified",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=15000,
    )
    ho_reference = forms.CharField(label="Home Office reference", required=False, max_length=64)
    referred_on = date_field("Date the referral was started", help_text="Before it is submitted only")

    @classmethod
    def initial_for(cls, referral: NrmReferral) -> dict[str, Any]:
        return {
            "lpa": referral.lpa_id,
            "exploitation_types": referral.exploitation_types,
            "other_exploitation": referral.other_exploitation,
            "county_lines": referral.county_lines,
            "location": referral.location,
            "uk_locations": "\n".join(referral.uk_locations),
            "countries": "\n".join(referral.countries),
            "narrative": referral.narrative,
            "gender": referral.gender,
            "nationality": referral.nationality,
            "officer_role": referral.officer_role,
            "officer_phone": referral.officer_phone,
            "indicators": referral.indicators,
            "ho_reference": referral.ho_reference,
            "referred_on": referral.referred_on,
        }

    def changes(self) -> dict[str, Any]:
        facts = self.facts()
        return {
            "lpa": facts.lpa,
            "exploitation_types": facts.exploitation_types,
            "other_exploitation": facts.other_exploitation,
            "county_lines": facts.county_lines,
            "location": facts.location,
            "uk_locations": facts.uk_locations,
            "countries": facts.countries,
            "narrative": facts.narrative,
            "gender": facts.gender,
            "nationality": facts.nationality,
            "officer_role": facts.officer_role,
            "officer_phone": facts.officer_phone,
            "indicators": self.cleaned_data["indicators"],
            "ho_reference": self.cleaned_data["ho_reference"],
            "referred_on": self.cleaned_data["referred_on"],
        }


class SubmitForm(StyledForm):
    submitted_on = date_field("Date it was submitted")
    ho_reference = forms.CharField(
        label="Home Office reference",
        required=False,
        max_length=64,
        help_text="From the confirmation email, if you have it",
    )


class AgeAssessmentForm(StyledForm):
    outcome = forms.ChoiceField(
        label="What did the age assessment find?",
        choices=[
            (AgeGroup.ADULT, "They are an adult (18 or over)"),
            (AgeGroup.CHILD, "They are a child (17 or under)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the age assessment found"},
    )
    assessed_on = date_field("Date of the age assessment")
    consent = forms.ChoiceField(
        label="If an adult: do they consent to being referred?",
        choices=[("given", "Yes, they gave informed consent"), (REFUSED, "No, they refused")],
        widget=forms.RadioSelect,
        required=False,
    )
    consent_on = date_field("Date consent was given", required=False)
    refusal_reason = forms.CharField(
        label="Why don't they want to be referred?", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(StyledForm):
    stage = forms.ChoiceField(
        label="Which decision?",
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose reasonable grounds or conclusive grounds"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    decided_on = date_field("Date of the decision")
    decision_maker = forms.ChoiceField(
        label="Who made the decision?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who made the decision"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_maker"].choices = [(m.code, m.label) for m in rules.decision_makers()]  # type: ignore[attr-defined]


class ReconsiderationForm(StyledForm):
    requested_on = date_field("Date reconsideration was requested")
    reasons = forms.CharField(
        label="Why reconsideration was requested", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReconsiderationOutcomeForm(StyledForm):
    outcome = forms.ChoiceField(
        label="Outcome of the reconsideration",
        choices=[c for c in ReconsiderationOutcome.choices if c[0] != ReconsiderationOutcome.PENDING],
        widget=forms.RadioSelect,
        help_text="If overturned, a positive decision is recorded on the outcome date.",
        error_messages={"required": "Choose the outcome"},
    )
    outcome_on = date_field("Date of the outcome")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SupportForm(StyledForm):
    provider = forms.ChoiceField(
        label="Support provider", widget=forms.RadioSelect, error_messages={"required": "Choose the support provider"}
    )
    provider_detail = forms.CharField(label="Service or team", required=False, max_length=200)
    referred_on = date_field("Date referred")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = rules.support_providers()  # type: ignore[attr-defined]


class SupportUpdateForm(StyledForm):
    status = forms.ChoiceField(label="Status", choices=SupportStatus.choices, widget=forms.RadioSelect)
    status_on = date_field("Date of the change")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DtnSubmitForm(StyledForm):
    submitted_on = date_field("Date it was sent")
    ho_reference = forms.CharField(label="Home Office reference", required=False, max_length=64)


class ChronologyPickForm(StyledForm):
    entries = forms.MultipleChoiceField(
        label="Chronology entries to quote in the pack",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They are drafted as your professional insight and listed at the end of the pack.",
    )

    def __init__(self, *args: Any, entries: list[ChronologyEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from socex.core.templatetags.socex import uk_date

        self.fields["entries"].choices = [  # type: ignore[attr-defined]
            (str(e.pk), f"{uk_date(e.occurred_at)}: {e.summary}") for e in entries
        ]


def pack_page_form(page: Page, initial: dict[str, Any], data: Any = None) -> StyledForm:
    """A form for one page of the Home Office form, built from its questions and option lists."""
    form = StyledForm(data=data, initial=initial)
    for question in page.questions:
        common: dict[str, Any] = {"label": question.label, "required": False, "help_text": question.hint}
        field: forms.Field
        if question.kind == "radios":
            field = forms.ChoiceField(choices=question.options, widget=forms.RadioSelect, **common)
        elif question.kind == "checkboxes":
            field = forms.MultipleChoiceField(choices=question.options, widget=forms.CheckboxSelectMultiple, **common)
        elif question.kind == "confirm":
            field = forms.ChoiceField(choices=[("yes", "Yes")], widget=forms.RadioSelect, **common)
        elif question.kind == "textarea":
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        else:
            field = forms.CharField(**common)
        form.fields[question.field] = field
    return form


class ReferralFilterForm(AuditedFilterForm):
    reference = forms.CharField(label="Reference", required=False, max_length=20, help_text="NRM-... or DTN-...")
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *NrmStatus.choices])
    lpa = forms.ModelChoiceField(label="LPA", required=False, queryset=LPA.objects.all(), empty_label="Any LPA")

    def filter(self, items: QuerySet[NrmReferral]) -> QuerySet[NrmReferral]:
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data["reference"]:
            items = items.filter(reference__icontains=data["reference"].strip())
        if data["status"]:
            items = items.filter(status=data["status"])
        if data["lpa"]:
            items = items.filter(lpa=data["lpa"])
        return items


class StatisticsForm(StyledForm):
    first = forms.CharField(label="From quarter", max_length=10, help_text="For example, 2024 Q1")
    last = forms.CharField(label="To quarter", max_length=10, help_text="For example, 2024 Q4")
    lpa = forms.ModelChoiceField(label="LPA", required=False, queryset=LPA.objects.all(), empty_label="All LPAs")

    def _quarter(self, name: str) -> tuple[int, int]:
        quarter = parse_quarter(self.cleaned_data[name])
        if quarter is None:
            raise forms.ValidationError("Enter a quarter like 2024 Q1")
        return quarter

    def clean_first(self) -> tuple[int, int]:
        return self._quarter("first")

    def clean_last(self) -> tuple[int, int]:
        return self._quarter("last")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                self.add_error("last", "The last quarter must be the same as or after the first")
            elif (last[0] - first[0]) * 4 + last[1] - first[1] >= 40:
                self.add_error("last", "Choose at most 40 quarters (10 years)")
        return cleaned


class PublishedImportForm(StyledForm):
    file = forms.FileField(
        label="Upload a file",
        help_text="CSV (UTF-8) or Excel (.xlsx) with the columns period, area, dimension, category, value",
        error_messages={"required": "Choose the file of published figures"},
    )
    edition = forms.CharField(
        label="Publication",
        required=False,
        max_length=200,
        help_text="Which bulletin and edition, for example 'NRM statistics Q3 2023, published 7 November 2023'. "
        "Needed if the file has no edition column.",
    )


class PublishedFigureForm(StyledForm):
    year = forms.IntegerField(label="Year", min_value=2009, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[
            (1, "Q1 (January to March)"),
            (2, "Q2 (April to June)"),
            (3, "Q3 (July to September)"),
            (4, "Q4 (October to December)"),
        ],
        widget=forms.RadioSelect,
    )
    area = forms.CharField(label="Police force or local authority", max_length=200)
    dimension = forms.ChoiceField(label="Dimension", choices=Dimension.choices)
    category = forms.CharField(label="Category", max_length=200, help_text="For example, All or Child (17 or under)")
    value = forms.IntegerField(label="Figure", min_value=0)
    edition = forms.CharField(label="Publication", max_length=200)
    source = forms.URLField(label="Web address", required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from socex.nrm import conf

        self.fields["area"].initial = conf.published_area()
        self.fields["year"].initial = dt.date.today().year


class FirstResponderAddForm(StyledForm):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,  # type: ignore[arg-type]
        empty_label="Choose an organisation",
    )
    fro_type = forms.ChoiceField(label="Type of first responder", widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from socex.accounts.models import Organisation
        from socex.nrm.models import FirstResponder

        super().__init__(*args, **kwargs)
        listed = FirstResponder.objects.filter(is_active=True).values_list("organisation_id", flat=True)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).exclude(pk__in=listed)  # type: ignore[attr-defined]
        self.fields["fro_type"].choices = rules.first_responder_types()  # type: ignore[attr-defined]
