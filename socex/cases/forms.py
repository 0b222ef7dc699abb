"""Forms of the case pages. Each maps to one service in ``socex.cases.services``."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from socex.accounts.models import Organisation, User
from socex.areas.models import LPA
from socex.audit.forms import AuditedFilterForm, date_field, start_of
from socex.cases import conf
from socex.cases.models import Case, CaseStatus, ChronologyEntry, ChronologyKind
from socex.cases.vocab import ExploitationType, NoteCategory, RiskLevel, category_label
from socex.core.forms import StyledForm

if TYPE_CHECKING:
    from socex.people.models import Person

PERSON_REFERENCE = re.compile(r"^\s*P-?0*(\d{1,12})\s*$", re.IGNORECASE)
CASE_REFERENCE = re.compile(r"^\s*CASE-\d{4}-\d{1,9}\s*$", re.IGNORECASE)
TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def _text(label: str, *, required: bool = True, help_text: str = "", max_length: int | None = None) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def _area(
    label: str, *, required: bool = True, help_text: str = "", rows: int = 5, message: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter {label[0].lower()}{label[1:]}"},
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        organisation = obj.organisation.name if obj.organisation else "no organisation"
        return f"{obj.full_name} ({organisation})"


class CaseEditForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = _area("Summary", required=False, help_text="What the case is about, in a few sentences.")
    exploitation_types = forms.MultipleChoiceField(
        label="Types of exploitation",
        choices=ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one type of exploitation"},
    )
    lead_agency = OrganisationChoiceField(
        label="Lead agency",
        queryset=Organisation.objects.none(),
        empty_label="Choose the lead agency",
        error_messages={"required": "Choose the lead agency"},
    )
    keyworker = UserChoiceField(
        label="Keyworker",
        queryset=User.objects.none(),
        required=False,
        empty_label="No keyworker yet",
        help_text="Someone who works for the lead agency.",
    )
    lpa = forms.ModelChoiceField(
        label="Local policing area",
        queryset=LPA.objects.none(),
        empty_label="Choose the area",
        error_messages={"required": "Choose the local policing area"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = Organisation.objects.filter(is_active=True).order_by("name")  # type: ignore[attr-defined]
        self.fields["keyworker"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, organisation__isnull=False)
            .select_related("organisation")
            .order_by("organisation__name", "full_name")
        )
        self.fields["lpa"].queryset = LPA.objects.order_by("name")  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        return {
            "version": case.version,
            "summary": case.summary,
            "exploitation_types": list(case.exploitation_types),
            "lead_agency": case.lead_agency_id,
            "keyworker": case.keyworker_id,
            "lpa": case.lpa_id,
        }


class SubjectAddForm(StyledForm):
    person = _text(
        "Person reference",
        help_text="From the person's page in the person index, for example P-0000123.",
        max_length=20,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self) -> Person:
        from socex.people.models import Person

        raw = self.cleaned_data["person"]
        match = PERSON_REFERENCE.match(raw)
        if not match:
            raise forms.ValidationError("Enter a person reference like P-0000123")
        person = Person.objects.visible_to(self.user).filter(pk=int(match.group(1))).first()
        if person is None:
            raise forms.ValidationError(
                f"There is no person {raw.strip().upper()} that you can see. Check the reference on their page."
            )
        return person


class RiskReviewForm(StyledForm):
    level = forms.ChoiceField(
        label="Risk level",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk level"},
    )
    reviewed_on = date_field("Date of the review")
    reason = _area(
        "Reasons and analysis",
        help_text="What has changed since the last review, what the evidence shows, and why this level.",
        rows=6,
        message="Enter the reasons for this risk level",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].required = True
        self.fields["reviewed_on"].error_messages["required"] = "Enter the date of the review"


class FlagForm(StyledForm):
    flag = forms.ChoiceField(
        label="Flag", widget=forms.RadioSelect, error_messages={"required": "Choose a flag to add"}
    )
    reason = _area("Why", required=False, help_text="Optional. It goes in the chronology.", rows=3)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        flags = conf.flag_definitions()["flags"]
        self.fields["flag"].choices = [(f["code"], f["label"]) for f in flags if f["code"] not in case.flags]  # type: ignore[attr-defined]


class NoteForm(StyledForm):
    category = forms.ChoiceField(
        label="What kind of entry is it?",
        choices=[("", "Choose one"), *NoteCategory.choices],
        error_messages={"required": "Choose what kind of entry this is"},
    )
    occurred_on = date_field("Date it happened")
    occurred_time = forms.CharField(
        label="Time it happened",
        required=False,
        max_length=5,
        help_text="Optional. Use the 24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
    )
    summary = _text("What happened", help_text="One sentence: this is the heading in the chronology.", max_length=300)
    detail = _area("Detail", required=False, help_text="Optional. Anything a colleague reading later needs to know.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].required = True
        self.fields["occurred_on"].error_messages["required"] = "Enter the date it happened"

    def clean_occurred_time(self) -> dt.time | None:
        raw = self.cleaned_data["occurred_time"]
        if not raw:
            return None
        match = TIME.match(raw)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise forms.ValidationError("Enter a real time on the 24-hour clock, for example 14:30")
        return dt.time(int(match.group(1)), int(match.group(2)))

    def occurred_at(self) -> dt.datetime:
        day: dt.date = self.cleaned_data["occurred_on"]
        moment = self.cleaned_data.get("occurred_time")
        if moment is None:
            moment = timezone.localtime().time() if day == timezone.localdate() else dt.time(12, 0)
        return timezone.make_aware(dt.datetime.combine(day, moment))


class ClosureRequestForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = _area(
        "Why can the case close?",
        help_text=(
            "A supervisor reads this before approving. Say how the risk has changed and who still supports the child."
        ),
        message="Enter why the case can close",
    )


class ClosureDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: close the case"), ("reject", "Do not approve: the case stays open")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the closure"},
    )
    note = _area("Your reasons", required=False, help_text="Required if you do not approve.", rows=4)


class DocumentForm(StyledForm):
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word (.docx), Excel (.xlsx), JPEG, PNG or text (.txt), up to {} MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    title = _text("Title", required=False, help_text="Optional. The file's name is used if you leave it blank.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = str(self.fields["file"].help_text).format(conf.document_max_mb())


# --- Filters ----------------------------------------------------------------------------------------


class ChronologyFilterForm(AuditedFilterForm):
    """The chronology's filters: type (kind and category), agency and dates."""

    kind = forms.ChoiceField(label="Entered by", required=False)
    category = forms.ChoiceField(label="Type", required=False)
    agency = forms.ChoiceField(label="Agency", required=False)
    date_from = date_field("Date from")
    date_to = date_field("Date to")

    def __init__(self, *args: Any, entries: QuerySet[ChronologyEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Anyone or the system"), *ChronologyKind.choices]  # type: ignore[attr-defined]
        categories = sorted(set(entries.order_by().values_list("category", flat=True).distinct()), key=category_label)
        self.fields["category"].choices = [("", "Any type"), *((c, category_label(c)) for c in categories)]  # type: ignore[attr-defined]
        agency_ids = set(entries.order_by().exclude(agency=None).values_list("agency_id", flat=True).distinct())
        agencies = Organisation.objects.filter(pk__in=agency_ids).order_by("name")
        self.fields["agency"].choices = [("", "Any agency"), *((str(o.pk), o.name) for o in agencies)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned

    def filter(self, entries: QuerySet[ChronologyEntry]) -> QuerySet[ChronologyEntry]:
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["category"]:
            entries = entries.filter(category=data["category"])
        if data["agency"]:
            entries = entries.filter(agency_id=data["agency"])
        if data["date_from"]:
            entries = entries.filter(occurred_at__gte=start_of(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(occurred_at__lt=start_of(data["date_to"] + dt.timedelta(days=1)))
        return entries


def with_exploitation_type(cases: QuerySet[Case], code: str) -> QuerySet[Case]:
    """Cases whose exploitation types include ``code`` (works on SQLite and PostgreSQL alike)."""
    return cases.filter(exploitation_types__icontains=f'"{code}"')


class CaseFilterForm(AuditedFilterForm):
    reference = forms.CharField(label="Case reference", required=False, max_length=20)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Open or awaiting closure"), ("all", "Any status"), *CaseStatus.choices],
    )
    risk_level = forms.ChoiceField(
        label="Risk level", required=False, choices=[("", "Any risk level"), *RiskLevel.choices]
    )
    exploitation_type = forms.ChoiceField(
        label="Type of exploitation", required=False, choices=[("", "Any type"), *ExploitationType.choices]
    )
    lpa = forms.ModelChoiceField(
        label="Local policing area", required=False, queryset=LPA.objects.none(), empty_label="Any area"
    )
    mine = forms.BooleanField(label="Only cases where I am the keyworker", required=False)
    review_overdue = forms.BooleanField(label="Only cases whose risk review is overdue", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["lpa"].queryset = LPA.objects.order_by("name")  # type: ignore[attr-defined]

    def terms(self) -> dict[str, str]:
        shown = super().terms()
        for name in ("mine", "review_overdue"):
            label = str(self.fields[name].label)
            if shown.get(label) == "True":
                shown[label] = "Yes"
            elif label in shown:
                del shown[label]
        return shown

    def filter(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        if not self.is_valid():
            return cases.exclude(status=CaseStatus.CLOSED)
        data = self.cleaned_data
        if data["reference"]:
            cases = cases.filter(reference__iexact=data["reference"].strip())
        if not data["status"]:
            cases = cases.exclude(status=CaseStatus.CLOSED)
        elif data["status"] != "all":
            cases = cases.filter(status=data["status"])
        if data["risk_level"]:
            cases = cases.filter(risk_level=data["risk_level"])
        if data["exploitation_type"]:
            cases = with_exploitation_type(cases, data["exploitation_type"])
        if data["lpa"]:
            cases = cases.filter(lpa=data["lpa"])
        if data["mine"]:
            cases = cases.filter(keyworker=self.user)
        if data["review_overdue"]:
            cases = cases.filter(review_due__lt=timezone.localdate()).exclude(status=CaseStatus.CLOSED)
        return cases


class CaseSearchForm(StyledForm):
    q = forms.CharField(
        label="Case reference or the name of a child or adult",
        max_length=100,
        help_text="For example CASE-2026-000123, or Kieran Smith",
        error_messages={"required": "Enter a case reference or a name"},
    )

    def is_reference(self) -> bool:
        return bool(CASE_REFERENCE.match(self.cleaned_data["q"]))


def subject_name_query(text: str) -> Q:
    """Cases with a subject whose names contain every word of ``text`` (names or known-as names)."""
    query = Q()
    for word in text.split()[:5]:
        query &= (
            Q(case_subjects__person__given_name__icontains=word)
            | Q(case_subjects__person__family_name__icontains=word)
            | Q(case_subjects__person__preferred_name__icontains=word)
            | Q(case_subjects__person__aliases__given_name__icontains=word)
            | Q(case_subjects__person__aliases__family_name__icontains=word)
        )
    return query
