"""Small helpers every case view uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

from socex.cases.access import can_use_cases

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.cases.models import Case


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require_cases(request: HttpRequest) -> None:
    if not can_use_cases(request.user):
        raise PermissionDenied("Your roles do not include cases.")


def case_url(case: Case, anchor: str = "") -> str:
    url = reverse("cases:detail", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url
