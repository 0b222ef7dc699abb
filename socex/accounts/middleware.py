from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from socex.accounts.services import has_confirmed_device

# Paths anyone may reach: sign-in, health check, static files and the API (which has its
# own token authentication).
PUBLIC_PREFIXES = ("/accounts/login", "/healthz", "/static/", "/api/", "/django-admin/login")
# Paths a signed-in user who has not yet passed two-factor authentication may reach. Not the
# API: a call with a token carries no session, so it is never held here, while the API's
# documentation pages, which use the session, must wait for the code like every other page.
MFA_PREFIXES = (
    "/accounts/login",
    "/healthz",
    "/static/",
    "/django-admin/login",
    "/accounts/two-factor/",
    "/accounts/logout",
)


class LoginRequiredMiddleware:
    """Everything except PUBLIC_PREFIXES needs a signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            login_url = reverse(settings.LOGIN_URL)
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class MfaRequiredMiddleware:
    """A signed-in user must give a code from their authenticator app before anything else.

    Where SOCEX_REQUIRE_MFA is on (production), everyone must: a user with no authenticator
    app is sent to set one up. Where it is off (the demo), a user who has set one up is still
    asked for its code, so switching MFA on for yourself always means something.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # The page shell hides the navigation while the code is still owed.
        request.mfa_pending = (  # type: ignore[attr-defined]
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and (settings.SOCEX_REQUIRE_MFA or has_confirmed_device(user))
        )
        if request.mfa_pending and not request.path.startswith(MFA_PREFIXES):  # type: ignore[attr-defined]
            return redirect(f"{reverse('accounts:mfa')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
