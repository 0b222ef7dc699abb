"""Django admin for accounts: a read-only view for support staff.

Every change happens in the app (Users, Roles, Organisations), where it goes through the
services and is audited with old -> new values. socex.core.admin_site makes every admin
read-only; here secrets (password hashes, token hashes) are also kept off the pages, and the
admin's own sign-in and password-change pages hand over to the service's, which apply the
one-time-password, two-factor and audit rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from socex.accounts.models import ApiToken, Organisation, Role, Team, User


def _sign_in_through_the_service(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin site's own login would skip the one-time password change; use the service's sign-in."""
    if request.user.is_authenticated:
        # Signed in but not staff: sending them to sign in again would loop back here.
        raise PermissionDenied("The Django admin site is only for support staff.")
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))


def _change_password_through_the_service(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin site's own page would change the password without the audit event."""
    return redirect("accounts:password_change")


admin.site.login = _sign_in_through_the_service  # type: ignore[method-assign]
admin.site.password_change = _change_password_through_the_service  # type: ignore[method-assign,assignment]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "org_type", "lpa", "is_active")
    list_filter = ("org_type", "is_active", "lpa")
    search_fields = ("name",)
    readonly_fields = ("name", "org_type", "lpa", "is_active")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "organisation", "hub")
    list_filter = ("hub",)
    search_fields = ("name", "organisation__name")
    readonly_fields = ("organisation", "name", "hub")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin[Role]):
    list_display = ("name", "code", "police_only")
    readonly_fields = ("code", "name", "description", "capabilities", "police_only")


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("full_name", "email", "organisation", "is_active", "last_login")
    list_filter = ("is_active", "organisation__org_type", "roles")
    search_fields = ("full_name", "email")
    fields = ("email", "full_name", "job_title", "organisation", "team", "roles", "is_active", "is_staff", "last_login")
    readonly_fields = fields


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__email")
    fields = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = fields
