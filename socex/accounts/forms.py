"""Forms for signing in, two-factor codes, Your account and user administration.

Plain forms rather than ModelForms for anything a service writes: a ModelForm copies the
submitted values onto the instance while validating, and the services need the record as it
was to audit old -> new values. Rules that guard the access model are checked here for a
message next to the field, and again in the service.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.db.models import Q, QuerySet

from socex.accounts.capabilities import CAPABILITIES, POLICE_ONLY
from socex.accounts.models import Organisation, OrganisationType, Role, Team, User
from socex.accounts.services import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, has_confirmed_device_expression
from socex.areas.models import LPA, Hub
from socex.audit.forms import AuditedFilterForm
from socex.core.forms import StyledForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    # One message for a wrong email or a wrong password, so the page never says which was wrong.
    error_messages = {
        "invalid_login": "Enter a correct email address and password. The password is case-sensitive.",
        "inactive": "Enter a correct email address and password. The password is case-sensitive.",
    }

    error_summary = StyledForm.error_summary

    def clean_username(self) -> str:
        # Lower case so that django-axes counts failures against one address however it is typed.
        return str(self.cleaned_data["username"]).strip().lower()


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Choosing a password after an administrator gave a one-time one."""

    error_summary = StyledForm.error_summary


class ChangePasswordForm(PasswordChangeForm):  # type: ignore[type-arg]
    error_summary = StyledForm.error_summary


class CodeForm(StyledForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now, for example 123456.",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
                "autofocus": True,
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return code


class ApiTokenForm(StyledForm):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What will use it, for example “Weekly referrals report”.",
        error_messages={"required": "Enter a name for the token"},
    )
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=TOKEN_MAX_DAYS,
        initial=TOKEN_DEFAULT_DAYS,
        help_text=f"From 1 to {TOKEN_MAX_DAYS} days. The token stops working after this.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter how many days the token should last",
            "invalid": f"Enter a whole number of days from 1 to {TOKEN_MAX_DAYS}",
            "min_value": f"Enter a whole number of days from 1 to {TOKEN_MAX_DAYS}",
            "max_value": f"Enter a whole number of days from 1 to {TOKEN_MAX_DAYS}",
        },
    )


# --- Administration ------------------------------------------------------------------------------


def _role_choice_label(role: Role) -> str:
    return f"{role.name} (police only)" if role.police_only else role.name


class RoleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Role) -> str:  # type: ignore[override]
        return _role_choice_label(obj)


class UserForm(StyledForm):
    email = forms.EmailField(
        label="Email address",
        help_text="They sign in with this. Use their work address.",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    full_name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter a full name"})
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation they work for"},
    )
    team = forms.ModelChoiceField(
        label="Team (optional)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
        help_text="The team must belong to the organisation chosen above.",
    )
    roles = RoleChoiceField(
        label="Roles",
        queryset=Role.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Roles marked police only can be given only to people in a police organisation.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.select_related("organisation")  # type: ignore[attr-defined]
        self.fields["roles"].queryset = Role.objects.all()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "email": user.email,
            "full_name": user.full_name,
            "job_title": user.job_title,
            "organisation": user.organisation_id,
            "team": user.team_id,
            "roles": [role.pk for role in user.roles.all()],
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation: Organisation | None = cleaned.get("organisation")
        team: Team | None = cleaned.get("team")
        roles = cleaned.get("roles") or []
        if organisation is not None and team is not None and team.organisation_id != organisation.pk:
            self.add_error("team", f"Choose a team in {organisation.name}, or no team.")
        if organisation is not None and not organisation.is_police:
            refused = [role.name for role in roles if role.police_only]
            if refused:
                self.add_error(
                    "roles",
                    f"{', '.join(refused)} can only be given to people in a police organisation. "
                    "Remove the role or choose a police organisation.",
                )
        return cleaned


class UserFilterForm(AuditedFilterForm):
    """The Users page's filters. Staff records are personal data, so their use is logged as a search."""

    STATUS_CHOICES = [("", "Active and switched off"), ("active", "Active"), ("inactive", "Switched off")]
    MFA_CHOICES = [("", "Set up or not"), ("set", "Set up"), ("none", "Not set up")]

    q = forms.CharField(label="Name or email", required=False, max_length=200)
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), required=False, empty_label="All organisations"
    )
    role = forms.ModelChoiceField(label="Role", queryset=Role.objects.none(), required=False, empty_label="All roles")
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    mfa = forms.ChoiceField(label="Two-factor authentication", choices=MFA_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()  # type: ignore[attr-defined]
        self.fields["role"].queryset = Role.objects.all()  # type: ignore[attr-defined]

    def filter(self, users: QuerySet[User]) -> QuerySet[User]:
        """``users`` narrowed by the valid filters (an invalid form narrows nothing)."""
        if not self.is_valid():
            return users
        data = self.cleaned_data
        if data["q"]:
            users = users.filter(Q(full_name__icontains=data["q"]) | Q(email__icontains=data["q"]))
        if data["organisation"]:
            users = users.filter(organisation=data["organisation"])
        if data["role"]:
            users = users.filter(roles=data["role"])
        if data["status"]:
            users = users.filter(is_active=data["status"] == "active")
        if data["mfa"]:
            confirmed = has_confirmed_device_expression()
            users = users.filter(confirmed) if data["mfa"] == "set" else users.exclude(confirmed)
        return users


def _capability_choices() -> list[tuple[str, str]]:
    def label(code: str, description: str) -> str:
        police = code in POLICE_ONLY and "police only" not in description
        return f"{description} ({code}{', police only' if police else ''})"

    return [(code, label(code, description)) for code, description in CAPABILITIES.items()]


class RoleForm(StyledForm):
    name = forms.CharField(label="Name", max_length=100, error_messages={"required": "Enter a name for the role"})
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    police_only = forms.BooleanField(
        label="Police only",
        required=False,
        help_text="Only people in a police organisation may hold it. Required for police-only capabilities.",
    )
    capabilities = forms.MultipleChoiceField(
        label="What people with this role can do",
        choices=_capability_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_for(cls, role: Role) -> dict[str, Any]:
        return {
            "name": role.name,
            "description": role.description,
            "police_only": role.police_only,
            "capabilities": list(role.capabilities or []),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        police = sorted(set(cleaned.get("capabilities") or []) & POLICE_ONLY)
        if police and not cleaned.get("police_only"):
            self.add_error(
                "police_only", f"Tick police only: the role grants police-only capabilities ({', '.join(police)})."
            )
        return cleaned


class NewRoleForm(RoleForm):
    code = forms.SlugField(
        label="Code",
        max_length=64,
        help_text="A short fixed name used in data files, for example hub-detective. Lower case letters, "
        "numbers and hyphens.",
        error_messages={
            "required": "Enter a code for the role",
            "invalid": "Enter a code using only lower case letters, numbers and hyphens",
        },
    )
    field_order = ["name", "code", "description", "police_only", "capabilities"]

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).lower()


class OrganisationForm(StyledForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the organisation's name"})
    org_type = forms.ChoiceField(
        label="Type",
        choices=[("", "Choose a type"), *OrganisationType.choices],
        error_messages={"required": "Choose the type of organisation"},
    )
    lpa = forms.ModelChoiceField(
        label="Local policing area (optional)",
        queryset=LPA.objects.none(),
        required=False,
        empty_label="Force-wide or regional",
        help_text="Leave as force-wide for organisations that work across the force area.",
    )
    contact_email = forms.EmailField(
        label="Contact email (optional)",
        required=False,
        help_text="Where partners ask about records this organisation holds.",
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    contact_phone = forms.CharField(label="Contact phone (optional)", max_length=32, required=False)
    is_active = forms.BooleanField(
        label="Active", required=False, initial=True, help_text="Inactive organisations cannot be given new users."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lpa"].queryset = LPA.objects.all()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        return {
            "name": organisation.name,
            "org_type": organisation.org_type,
            "lpa": organisation.lpa_id,
            "contact_email": organisation.contact_email,
            "contact_phone": organisation.contact_phone,
            "is_active": organisation.is_active,
        }


class NewOrganisationForm(OrganisationForm):
    is_active = None  # type: ignore[assignment]  # Django removes a field set to None; new ones start active


class TeamForm(StyledForm):
    name = forms.CharField(label="Team name", max_length=200, error_messages={"required": "Enter the team's name"})
    hub = forms.ModelChoiceField(
        label="SOCEX hub (optional)",
        queryset=Hub.objects.none(),
        required=False,
        empty_label="Not based in a hub",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = Hub.objects.all()  # type: ignore[attr-defined]
