"""What every safeguarding page shares: who is asking, and the area's own sub-navigation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from socex.core.forms import add_service_errors
from socex.safeguarding.access import can_manage_meetings, can_use_safeguarding

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest

    from socex.accounts.models import User


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require_safeguarding(request: HttpRequest) -> User:
    if not can_use_safeguarding(request.user):
        raise PermissionDenied("Your roles do not include safeguarding.")
    return user_of(request)


def subnav(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    """The MOJ sub-navigation of the safeguarding area, for the user's roles."""
    user = user_of(request)
    items = [("tray", "My actions"), ("agency_tray", "My agency's actions"), ("actions", "All actions")]
    if user.organisation_id is None:
        items = [item for item in items if item[0] != "agency_tray"]
    items += [("overdue", "Overdue by agency"), ("meetings", "MACE meetings")]
    items += [("locations", "Locations of concern"), ("peer_groups", "Peer groups")]
    return [
        {"name": name, "label": label, "href": reverse(f"safeguarding:{name}"), "current": name == current}
        for name, label in items
    ]


def show_errors(form: forms.Form, error: ValidationError, fields: dict[str, str | None] | None = None) -> None:
    """A service's errors beside the form's fields; a changed version goes at the top."""
    add_service_errors(form, error, {"version": None, **(fields or {})})


def runs_meetings(request: HttpRequest) -> bool:
    return can_manage_meetings(request.user)
