from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths anyone may reach: sign-in, health check, static files and the API (which has its
# own token authentication).
PUBLIC_PREFIXES = ("/accounts/login", "/healthz", "/static/", "/api/", "/django-admin/login")
# Paths a signed-in user who has not yet passed two-factor authentication may reach.
MFA_PREFIXES = ("/accounts/two-factor/", "/accounts/logout")


class LoginRequiredMiddleware:
    """Everything except PUBLIC_PREFIXES needs a signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            login_url = reverse(settings.LOGIN_URL)
            return redirect(f"{login_url}?next={request.get_full_path()}")
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Where SOCEX_REQUIRE_MFA is on, a signed-in user must pass TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.SOCEX_REQUIRE_MFA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(PUBLIC_PREFIXES + MFA_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:mfa')}?next={request.get_full_path()}")
        return self.get_response(request)
