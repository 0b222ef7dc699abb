"""Forms for sharing a record, revoking a share, filtering the ledger and editing legal bases.

Field names match the keyword arguments of the services, so a ``ValidationError`` raised by a
service lands beside the right field (``form.add_error(None, error)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from socex.accounts.models import Organisation
from socex.audit.forms import AuditedFilterForm, date_field
from socex.core.forms import StyledForm
from socex.sharing.access import ShareQuerySet
from socex.sharing.models import LegalBasis, Share
from socex.sharing.services import max_share_days

if TYPE_CHECKING:
    from socex.accounts.models import User


class ShareForm(StyledForm):
    """Share one record with a partner organisation (see ``views.share_record_view``)."""

    organisation = forms.ModelChoiceField(
        label="Organisation to share with",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation to share with",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    legal_basis = forms.ModelChoiceField(
        label="Legal basis",
        queryset=LegalBasis.objects.none(),
        empty_label="Choose a legal basis",
        help_text="The law that allows this sharing. The list below explains each one.",
        error_messages={
            "required": "Choose the legal basis for sharing",
            "invalid_choice": "Choose a legal basis from the list",
        },
    )
    scope = forms.CharField(
        label="What is being shared, and why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: case summary and risk assessment, for the MACE meeting on 3 July",
        error_messages={"required": "Enter what is being shared and why"},
    )
    until = date_field("Last day of the share")

    def __init__(self, *args: Any, sharer: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recipients = Organisation.objects.filter(is_active=True)
        if sharer is not None:
            recipients = recipients.exclude(pk=sharer.pk)
        self.fields["organisation"].queryset = recipients  # type: ignore[attr-defined]
        self.fields["legal_basis"].queryset = LegalBasis.objects.active()  # type: ignore[attr-defined]
        until = self.fields["until"]
        until.required = True
        until.error_messages["required"] = "Enter the last day of the share"
        until.help_text = f"For example, 31/3/{timezone.localdate().year + 1}. At most {max_share_days()} days ahead."


class RevokeForm(StyledForm):
    reason = forms.CharField(
        label="Why is the share being revoked?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: case closed, or shared with the wrong organisation",
        error_messages={"required": "Enter why the share is being revoked"},
    )


class LegalBasisForm(StyledForm):
    title = forms.CharField(
        label="Legal basis",
        max_length=200,
        help_text="The Act and section, for example 'Children Act 1989, section 47 (child protection enquiries)'",
        error_messages={"required": "Enter the legal basis"},
    )
    description = forms.CharField(
        label="What it allows",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In plain words, so people sharing records can choose the right one",
    )


class NewLegalBasisForm(LegalBasisForm):
    code = forms.SlugField(
        label="Short code (optional)",
        required=False,
        max_length=64,
        help_text="Letters, numbers and hyphens. Made from the title if left empty. It cannot be changed later.",
        error_messages={"invalid": "The short code can only contain letters, numbers and hyphens"},
    )


STATUSES = {
    "active": "Active",
    "expiring": "Active, ending within 14 days",
    "expired": "Expired",
    "revoked": "Revoked",
}
DIRECTIONS = {"received": "Shared with your organisation", "made": "Shared by your organisation"}


class ShareFilterForm(AuditedFilterForm):
    """Filters for the sharing ledger; the choices offered depend on who is looking."""

    direction = forms.ChoiceField(label="Direction", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *STATUSES.items()])
    organisation = forms.ModelChoiceField(
        label="Organisation",
        required=False,
        queryset=Organisation.objects.none(),
        empty_label="Any organisation",
        help_text="Sharing or receiving",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    legal_basis = forms.ModelChoiceField(
        label="Legal basis",
        required=False,
        queryset=LegalBasis.objects.none(),
        empty_label="Any legal basis",
        error_messages={"invalid_choice": "Choose a legal basis from the list"},
    )
    record_type = forms.ChoiceField(label="Record type", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["direction"].choices = [("", "Either direction"), *DIRECTIONS.items()]  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.all()  # type: ignore[attr-defined]
        self.fields["legal_basis"].queryset = LegalBasis.objects.all()  # type: ignore[attr-defined]
        types = ContentType.objects.filter(
            pk__in=Share.objects.visible_to(user).order_by().values("content_type").distinct()
        )
        self.fields["record_type"].choices = [  # type: ignore[attr-defined]
            ("", "Any type of record"),
            *sorted(((f"{ct.app_label}.{ct.model}", str(ct.name).capitalize()) for ct in types), key=lambda c: c[1]),
        ]
        if user.organisation_id is None:
            del self.fields["direction"]

    def filter(self, shares: ShareQuerySet) -> ShareQuerySet:
        """``shares`` narrowed by the valid filters (an invalid form narrows nothing)."""
        if not self.is_valid():
            return shares
        data = self.cleaned_data
        shares = _by_status(shares, data["status"])
        own = self.user.organisation_id
        if own is not None and data.get("direction") == "received":
            shares = shares.filter(organisation_id=own)
        elif own is not None and data.get("direction") == "made":
            shares = shares.filter(shared_by_organisation_id=own)
        if data["organisation"]:
            org = data["organisation"]
            shares = shares.filter(Q(organisation=org) | Q(shared_by_organisation=org))
        if data["legal_basis"]:
            shares = shares.filter(legal_basis=data["legal_basis"])
        if data["record_type"]:
            app_label, model = data["record_type"].split(".", 1)
            shares = shares.filter(content_type__app_label=app_label, content_type__model=model)
        return shares


def _by_status(shares: ShareQuerySet, status: str) -> ShareQuerySet:
    if status == "active":
        return shares.active()
    if status == "expiring":
        return shares.expiring()
    if status == "expired":
        return shares.expired()
    if status == "revoked":
        return shares.revoked()
    return shares
