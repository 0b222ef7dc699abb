"""Signing in and out, choosing a password after a one-time one, and the lockout page."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from socex.accounts import services
from socex.accounts.forms import NewPasswordForm, SignInForm
from socex.accounts.models import User
from socex.accounts.views._common import safe_next
from socex.core.forms import add_service_errors

# After a one-time password is accepted, the user has this long to choose their own.
PENDING_KEY = "socex_password_change"
PENDING_SECONDS = 10 * 60
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request))
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if user.must_change_password:
            # Not signed in yet: the one-time password only lets them choose their own. A new
            # session key first, so a session id planted before this cannot ride the change.
            request.session.cycle_key()
            request.session[PENDING_KEY] = {"user": str(user.pk), "until": time.time() + PENDING_SECONDS}
            return redirect(f"{reverse('accounts:new_password')}?{urlencode({'next': safe_next(request)})}")
        auth_login(request, user)
        return redirect(safe_next(request))
    return render(
        request, "accounts/login.html", {"form": form, "next": safe_next(request, ""), "page_title": "Sign in"}
    )


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY) or {}
    if not pending or pending.get("until", 0) < time.time():
        return None
    return User.objects.filter(pk=pending.get("user"), is_active=True, must_change_password=True).first()


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def new_password(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, "Sign in with your email address and the one-time password you were given.")
        return redirect("accounts:login")
    form = NewPasswordForm(user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_password(user=user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(PENDING_KEY, None)
            auth_login(request, user, backend=MODEL_BACKEND)
            messages.success(request, "Your new password is set.")
            return redirect(safe_next(request))
    context = {"form": form, "next": safe_next(request, ""), "page_title": "Choose a new password"}
    return render(request, "accounts/new_password.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, "You have signed out.")
    return redirect("accounts:login")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """Shown by django-axes (AXES_LOCKOUT_CALLABLE) after too many failed sign-ins."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {"page_title": "Too many attempts to sign in", "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)
