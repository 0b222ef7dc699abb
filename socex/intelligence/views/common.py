"""Small helpers the intelligence views share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

from socex.intelligence.access import can_use_intelligence, get_report_for

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.intelligence.models import Report


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require_intelligence(request: HttpRequest) -> None:
    if not can_use_intelligence(request.user):
        raise PermissionDenied("Your roles do not include intelligence.")


def report_for(request: HttpRequest, reference: str, need: str = "view") -> Report:
    return get_report_for(request.user, need=need, reference=reference)  # type: ignore[arg-type]


def report_url(report: Report) -> str:
    return reverse("intelligence:report", args=[report.reference])
