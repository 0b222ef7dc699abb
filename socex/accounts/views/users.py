"""User administration in the app (capability ``users.manage``)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.accounts import services
from socex.accounts.access import MANAGE, get_sign_in_lock_for, get_user_for
from socex.accounts.forms import UserFilterForm, UserForm
from socex.accounts.models import ApiToken, User
from socex.accounts.views._common import capability_required
from socex.audit.listing import audited_filtered_page
from socex.core.forms import add_service_errors

USER_TYPE = "accounts.user"


@require_GET
@capability_required(MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    """Every user, filtered; a filtered list is logged as a search of staff records."""
    form = UserFilterForm(request.GET or None)
    users = User.objects.visible_to(request.user).select_related("organisation", "team").prefetch_related("roles")
    users = users.annotate(has_mfa=services.has_confirmed_device_expression()).order_by("full_name", "email")
    context = {
        "page_title": "Users",
        **audited_filtered_page(request, form, users, record_type=USER_TYPE),
    }
    return render(request, "accounts/user_list.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@capability_required(MANAGE)
def user_create(request: HttpRequest) -> HttpResponse:
    """Create an account. The response shows its one-time password once; it is not stored."""
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context = {"account": user, "password": password, "page_title": "Account created"}
            return render(request, "accounts/user_password.html", context)
    return render(request, "accounts/user_form.html", {"form": form, "page_title": "Add a user"})


@require_GET
def user_detail(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    account = get_user_for(request.user, user_id)
    if not request.user.has_cap(MANAGE):  # type: ignore[union-attr]
        return redirect("accounts:profile")
    context = {
        "account": account,
        "has_mfa": services.has_confirmed_device(account),
        "tokens": ApiToken.objects.visible_to(request.user).filter(user=account),
        "is_self": account.pk == request.user.pk,
        "page_title": account.full_name,
    }
    return render(request, "accounts/user_detail.html", context)


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    account = get_user_for(request.user, user_id, need="edit")
    form = UserForm(request.POST or None, initial=UserForm.initial_for(account))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=account, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{account.full_name}'s account has been updated.")
            return redirect("accounts:user_detail", account.pk)
    context = {"form": form, "account": account, "page_title": f"Change {account.full_name}"}
    return render(request, "accounts/user_form.html", context)


@require_POST
def user_set_active(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    account = get_user_for(request.user, user_id, need="edit")
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(user=account, by=request.user, active=active)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        state = "switched on: they can sign in again" if active else "switched off: they can no longer sign in"
        messages.success(request, f"{account.full_name}'s account is {state}.")
    return redirect("accounts:user_detail", account.pk)


@require_http_methods(["GET", "POST"])
def user_reset_mfa(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    """Confirm, then remove the user's authenticator app so they set up a new one at next sign-in."""
    account = get_user_for(request.user, user_id, need="edit")
    if request.method == "POST":
        services.user_reset_mfa(user=account)
        messages.success(request, f"{account.full_name} will set up a new authenticator app when they next sign in.")
        return redirect("accounts:user_detail", account.pk)
    context = {"account": account, "page_title": f"Reset two-factor authentication for {account.full_name}"}
    return render(request, "accounts/user_reset_mfa.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def user_reset_password(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    """Confirm, then give the user a one-time password, shown once in the response."""
    account = get_user_for(request.user, user_id, need="edit")
    if request.method == "POST":
        password = services.user_reset_password(user=account)
        context = {"account": account, "password": password, "reset": True, "page_title": "Password reset"}
        return render(request, "accounts/user_password.html", context)
    context = {"account": account, "page_title": f"Reset the password for {account.full_name}"}
    return render(request, "accounts/user_reset_password.html", context)


@require_GET
@capability_required(MANAGE)
def lockouts(request: HttpRequest) -> HttpResponse:
    """Email and IP address pairs locked out of signing in now, with a button to unlock each."""
    attempts = services.locked_out_attempts(request.user).order_by("-attempt_time")  # type: ignore[arg-type]
    return render(request, "accounts/lockouts.html", {"attempts": attempts, "page_title": "Locked sign-ins"})


@require_POST
def lockout_clear(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = get_sign_in_lock_for(request.user, attempt_id, need="edit")
    services.sign_in_unlock(attempt=attempt)
    messages.success(request, f"{attempt.username} can sign in again from {attempt.ip_address}.")
    return redirect("accounts:lockouts")
