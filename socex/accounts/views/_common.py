"""Small helpers shared by the accounts views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

View = Callable[..., HttpResponse]


def capability_required(code: str) -> Callable[[View], View]:
    """Refuse (403) anyone whose roles do not grant ``code``."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_cap(code):  # type: ignore[union-attr]
                raise PermissionDenied("Your roles do not let you manage users, roles or organisations.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The ``next`` URL from the query or form if it stays on this site, else ``default`` (home)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)
