"""Forms for safeguarding actions, MACE meetings, locations of concern and peer groups.

Field names match the services' keyword arguments, so a service's ``ValidationError`` lands
beside the right field (``add_service_errors``). Cases and people are chosen by the reference
people quote (CASE-2026-000123, P-0000123) and looked up only among those the user may see.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from socex.accounts.models import Organisation, User
from socex.areas.models import LPA
from socex.audit.forms import AuditedFilterForm, date_field
from socex.cases.models import Case
from socex.core.forms import StyledForm
from socex.safeguarding.access import agencies_on_case
from socex.safeguarding.conf import due_soon_days
from socex.safeguarding.models import ActionStatus, LocationKind

if TYPE_CHECKING:
    from socex.people.models import Person
    from socex.safeguarding.models import Action, Meeting


def _textarea(label: str, *, required: bool = True, rows: int = 4, help_text: str = "", **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        **kwargs,
    )


def _required_date(label: str, *, hint: str = "") -> forms.DateField:
    field = date_field(label)
    field.required = True
    field.error_messages["required"] = f"Enter the {label.lower()}"
    if hint:
        field.help_text = hint
    return field


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


def _people_of(agencies: QuerySet[Organisation]) -> QuerySet[User]:
    return User.objects.filter(is_active=True, organisation__in=agencies).select_related("organisation")


class CaseReferenceField(forms.CharField):
    """A case reference typed by the user, found only among the cases they may see."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Case reference")
        kwargs.setdefault("help_text", "For example, CASE-2026-000123")
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("error_messages", {"required": "Enter the case reference"})
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}))
        super().__init__(*args, **kwargs)


def find_case(user: User, reference: str) -> Case | None:
    reference = reference.strip().upper()
    return Case.objects.visible_to(user).filter(reference=reference).first() if reference else None


class _CaseLookupMixin:
    user: User
    cleaned_data: dict[str, Any]

    def _clean_case(self, name: str) -> Case | None:
        raw = self.cleaned_data.get(name, "")
        if not raw:
            return None
        case = find_case(self.user, raw)
        if case is None:
            raise forms.ValidationError(
                f"There is no case {raw.strip().upper()} that you can see. Check the reference."
            )
        return case


# --- Actions --------------------------------------------------------------------------------------


class ActionForm(StyledForm):
    """A new action in a case's plan (directly, or agreed at a MACE meeting)."""

    description = _textarea(
        "What needs to be done",
        max_length=2000,
        help_text="Plain words the owning agency can act on, for example 'Home visit with mum to discuss the plan'",
        error_messages={"required": "Enter what needs to be done"},
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency that owns it",
        queryset=Organisation.objects.none(),
        empty_label="Choose an agency",
        help_text="Only agencies that take part in the case are listed",
        error_messages={"required": "Choose the agency that owns the action", "invalid_choice": "Choose an agency"},
    )
    owner = UserChoiceField(
        label="Person who owns it (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="No one person yet",
        help_text="Someone at the owning agency. Leave blank for the agency to decide",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )
    due_date = _required_date("Due date", hint="For example, 27/3/2027")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = agencies_on_case(case)
        self.fields["owner_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["owner"].queryset = _people_of(agencies)  # type: ignore[attr-defined]


class ActionUpdateForm(StyledForm):
    """Change an open action. People who may not change the case see only status, person and note."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="Status",
        choices=[(ActionStatus.OPEN, "Open"), (ActionStatus.IN_PROGRESS, "In progress")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status"},
    )
    owner = UserChoiceField(
        label="Person who owns it",
        queryset=User.objects.none(),
        required=False,
        empty_label="No one person yet",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )
    description = _textarea("What needs to be done", max_length=2000)
    due_date = _required_date("Due date", hint="For example, 27/3/2027")
    owner_agency = forms.ModelChoiceField(
        label="Agency that owns it",
        queryset=Organisation.objects.none(),
        empty_label="Choose an agency",
        help_text="Moving it to another agency clears the person who owns it",
        error_messages={"required": "Choose the agency that owns the action", "invalid_choice": "Choose an agency"},
    )
    note = _textarea(
        "Progress note (optional)",
        required=False,
        rows=3,
        max_length=4000,
        help_text="What has happened since. It goes in the case chronology",
    )

    def __init__(self, data: Any = None, *, action: Action, whole: bool) -> None:
        initial = {
            "version": action.version,
            "status": action.status,
            "owner": action.owner_id,
            "description": action.description,
            "due_date": action.due_date,
            "owner_agency": action.owner_agency_id,
        }
        super().__init__(data, initial=initial)
        agencies = agencies_on_case(action.case) | Organisation.objects.filter(pk=action.owner_agency_id)
        self.fields["owner_agency"].queryset = agencies.distinct()  # type: ignore[attr-defined]
        people = (
            _people_of(agencies.distinct())
            if whole
            else _people_of(Organisation.objects.filter(pk=action.owner_agency_id))
        )
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        if not whole:
            for name in ("description", "due_date", "owner_agency"):
                del self.fields[name]

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ActionCompleteForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = _textarea(
        "What was done",
        max_length=4000,
        help_text="This goes in the case chronology, for every agency on the case to read",
        error_messages={"required": "Say what was done to complete the action"},
    )


class ActionCancelForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = _textarea(
        "Why is the action cancelled?",
        max_length=4000,
        error_messages={"required": "Say why the action is cancelled"},
    )


STATES = {
    "open": "Open or in progress",
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "done": "Done",
    "cancelled": "Cancelled",
    "any": "Any status",
}


class ActionFilterForm(_CaseLookupMixin, AuditedFilterForm):
    """Filters for the work trays. With no status chosen, a tray shows open and in-progress actions."""

    state = forms.ChoiceField(label="Status", required=False, choices=[("", "Open or in progress")])
    case = CaseReferenceField(required=False)
    agency = forms.ModelChoiceField(
        label="Agency",
        required=False,
        queryset=Organisation.objects.all(),
        empty_label="Any agency",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    due_by = date_field("Due on or before")

    def __init__(self, *args: Any, user: User, with_agency: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        soon = f"Due within {due_soon_days()} days"
        choices = [(key, soon if key == "due_soon" else label) for key, label in STATES.items() if key != "open"]
        self.fields["state"].choices = [("", STATES["open"]), *choices]  # type: ignore[attr-defined]
        if not with_agency:
            del self.fields["agency"]

    def clean_case(self) -> Case | None:
        return self._clean_case("case")

    def terms(self) -> dict[str, str]:
        terms = super().terms()
        if "Case reference" in terms and self.cleaned_data.get("case") is not None:
            terms["Case reference"] = self.cleaned_data["case"].reference
        return terms

    def filter(self, actions: Any) -> Any:
        if not self.is_valid():
            return actions.open()
        data = self.cleaned_data
        today = timezone.localdate()
        state = data["state"]
        if state in ("", "open"):
            actions = actions.open()
        elif state == "overdue":
            actions = actions.overdue(today)
        elif state == "due_soon":
            actions = actions.due_soon(today)
        elif state in ("done", "cancelled"):
            actions = actions.filter(status=state)
        if data["case"] is not None:
            actions = actions.filter(case=data["case"])
        if data.get("agency") is not None:
            actions = actions.filter(owner_agency=data["agency"])
        if data["due_by"]:
            actions = actions.filter(due_date__lte=data["due_by"])
        return actions


# --- MACE meetings --------------------------------------------------------------------------------


class MeetingForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label="Meeting name",
        max_length=200,
        help_text="For example, Walsall MACE",
        error_messages={"required": "Enter a name for the meeting"},
    )
    meeting_date = _required_date("Date of the meeting", hint="For example, 14/4/2027")
    lpa = forms.ModelChoiceField(
        label="Local policing area (optional)",
        queryset=LPA.objects.all(),
        required=False,
        empty_label="Force-wide or not set",
        error_messages={"invalid_choice": "Choose an area from the list"},
    )
    chair = UserChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        empty_label="Choose the chair",
        help_text="Someone whose roles include running MACE meetings",
        error_messages={"required": "Choose the chair", "invalid_choice": "Choose a chair from the list"},
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies invited",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each agency gets its own copy of the minutes, holding only the cases shared with it. "
        "The chair's agency and yours are always invited",
        error_messages={"invalid_choice": "Choose agencies from the list"},
    )

    def __init__(self, *args: Any, chairs: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[user.pk for user in chairs]
        ).select_related("organisation")
        self.fields["agencies"].queryset = Organisation.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class AttendeesForm(StyledForm):
    attendees = UserMultipleChoiceField(
        label="Who attended",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People from the agencies invited",
        error_messages={"invalid_choice": "Choose people from the list"},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = _people_of(meeting.agencies.all()).order_by("organisation__name", "full_name")
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]


class AgendaAddForm(_CaseLookupMixin, StyledForm):
    case = CaseReferenceField(help_text="The case to discuss, for example CASE-2026-000123")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_case(self) -> Case | None:
        return self._clean_case("case")


class AgendaRecordForm(StyledForm):
    discussion = _textarea(
        "Discussion",
        required=False,
        rows=6,
        max_length=20000,
        help_text="What each agency reported and the risks discussed",
    )
    decisions = _textarea(
        "Decisions",
        required=False,
        rows=4,
        max_length=20000,
        help_text="What the meeting decided, for example the risk level and next review. Add actions below",
    )


class VersionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- Locations and peer groups --------------------------------------------------------------------


def _coordinate(label: str, example: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=10,
        decimal_places=6,
        help_text=f"Decimal degrees, for example {example}. Or click the map",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "invalid": f"Enter the {label.lower()} as a number, for example {example}",
            "max_decimal_places": f"Give the {label.lower()} to at most 6 decimal places",
            "max_digits": f"Enter the {label.lower()} as a number, for example {example}",
            "max_whole_digits": f"Enter the {label.lower()} as a number, for example {example}",
        },
    )


class LocationForm(_CaseLookupMixin, StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="Name of the place",
        max_length=200,
        help_text="What people call it, for example 'Bus station underpass'",
        error_messages={"required": "Enter what the place is called"},
    )
    kind = forms.ChoiceField(
        label="Type of place",
        choices=LocationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of place"},
    )
    lpa = forms.ModelChoiceField(
        label="Local policing area",
        queryset=LPA.objects.all(),
        empty_label="Choose an area",
        error_messages={"required": "Choose the local policing area", "invalid_choice": "Choose an area"},
    )
    address = forms.CharField(label="Address (optional)", max_length=300, required=False)
    postcode = forms.CharField(
        label="Postcode (optional)",
        max_length=10,
        required=False,
        help_text="For example, WS1 1QL",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    latitude = _coordinate("Latitude", "52.586")
    longitude = _coordinate("Longitude", "-1.982")
    notes = _textarea(
        "Notes (optional)", required=False, max_length=4000, help_text="Why it is a concern, and since when"
    )
    case = CaseReferenceField(
        label="Linked case (optional)", required=False, help_text="A case this place bears on, e.g. CASE-2026-000123"
    )

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if editing:
            del self.fields["case"]

    def clean_case(self) -> Case | None:
        return self._clean_case("case")

    def values(self) -> dict[str, Any]:
        values = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "case")}
        if "case" in self.cleaned_data:
            values["cases"] = [self.cleaned_data["case"]] if self.cleaned_data["case"] else []
        return values


class LinkCaseForm(_CaseLookupMixin, StyledForm):
    case = CaseReferenceField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_case(self) -> Case | None:
        return self._clean_case("case")


class LocationFilterForm(AuditedFilterForm):
    lpa = forms.ModelChoiceField(
        label="Local policing area",
        queryset=LPA.objects.all(),
        required=False,
        empty_label="Any area",
        error_messages={"invalid_choice": "Choose an area from the list"},
    )
    kind = forms.ChoiceField(label="Type of place", required=False, choices=[("", "Any type"), *LocationKind.choices])

    def filter(self, locations: Any) -> Any:
        if not self.is_valid():
            return locations
        if self.cleaned_data["lpa"] is not None:
            locations = locations.filter(lpa=self.cleaned_data["lpa"])
        if self.cleaned_data["kind"]:
            locations = locations.filter(kind=self.cleaned_data["kind"])
        return locations


class PeerGroupForm(_CaseLookupMixin, StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="Name of the group",
        max_length=200,
        help_text="A working name, for example 'Caldmore Green group'",
        error_messages={"required": "Enter a working name for the group"},
    )
    lpa = forms.ModelChoiceField(
        label="Local policing area (optional)",
        queryset=LPA.objects.all(),
        required=False,
        empty_label="Not set",
        error_messages={"invalid_choice": "Choose an area from the list"},
    )
    notes = _textarea("Notes (optional)", required=False, max_length=4000, help_text="Why the group is a concern")
    case = CaseReferenceField(label="Linked case (optional)", required=False)

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if editing:
            del self.fields["case"]

    def clean_case(self) -> Case | None:
        return self._clean_case("case")

    def values(self) -> dict[str, Any]:
        values = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "case")}
        if "case" in self.cleaned_data:
            values["cases"] = [self.cleaned_data["case"]] if self.cleaned_data["case"] else []
        return values


_PERSON_REFERENCE = re.compile(r"^\s*(?:P-?)?0*(\d{1,12})\s*$", re.IGNORECASE)


class MemberForm(StyledForm):
    person = forms.CharField(
        label="Person reference",
        max_length=20,
        help_text="From the person index, for example P-0000123",
        error_messages={"required": "Enter the person's reference from the person index"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self) -> Person:
        from socex.people.models import Person

        raw = self.cleaned_data["person"]
        match = _PERSON_REFERENCE.match(raw)
        person = Person.objects.visible_to(self.user).filter(pk=int(match.group(1))).first() if match else None
        if person is None:
            raise forms.ValidationError(
                f"There is no one with the reference {raw.strip().upper()} that you can see in the person index."
            )
        return person
