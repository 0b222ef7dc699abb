"""Your account: details, roles, password, two-factor authentication and personal API tokens."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from socex.accounts import services
from socex.accounts.access import get_api_token_for
from socex.accounts.forms import ApiTokenForm, ChangePasswordForm
from socex.accounts.models import ApiToken, User
from socex.core.forms import add_service_errors


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "page_title": "Your account",
        "account": user,
        "roles": user.roles.all(),
        "has_mfa": services.has_confirmed_device(user),
        "tokens": ApiToken.objects.visible_to(user).filter(user=user),
    }
    return render(request, "accounts/profile.html", context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ChangePasswordForm(user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_password(user=user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Keep this session signed in; the user's other sessions end with the old password.
            update_session_auth_hash(request, user)
            messages.success(request, "Your password has been changed.")
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form, "page_title": "Change your password"})


@never_cache
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a personal API token. Its secret is shown in this response only, and never stored."""
    user: User = request.user  # type: ignore[assignment]
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context = {"token": token, "secret": secret, "page_title": "Copy your new API token"}
            return render(request, "accounts/token_created.html", context)
    return render(request, "accounts/token_form.html", {"form": form, "page_title": "Create an API token"})


@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    """Confirm, then revoke a token: the owner's own, or anyone's for an administrator."""
    token = get_api_token_for(request.user, token_id, need="edit")
    own = token.user_id == request.user.pk
    back = "accounts:profile" if own else "accounts:user_detail"
    back_args = [] if own else [token.user_id]
    if request.method == "POST":
        services.api_token_revoke(token=token)
        messages.success(request, f"The API token “{token.name}” has been revoked. It no longer works.")
        return redirect(back, *back_args)
    context = {"token": token, "own": own, "page_title": "Revoke an API token"}
    return render(request, "accounts/token_revoke.html", context)
