"""Roles, organisations and teams, managed in the app (capability ``users.manage``)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from socex.accounts import services
from socex.accounts.access import MANAGE, get_organisation_for, get_role_for, get_team_for
from socex.accounts.capabilities import describe
from socex.accounts.forms import NewOrganisationForm, NewRoleForm, OrganisationForm, RoleForm, TeamForm
from socex.accounts.models import Organisation, Role
from socex.accounts.views._common import capability_required
from socex.core.forms import add_service_errors

# --- Roles ---------------------------------------------------------------------------------------


@require_GET
@capability_required(MANAGE)
def role_list(request: HttpRequest) -> HttpResponse:
    roles = Role.objects.visible_to(request.user).annotate(active_users=Count("users", filter=Q(users__is_active=True)))
    rows = [(role, [describe(code) for code in role.capabilities or []]) for role in roles]
    return render(request, "accounts/role_list.html", {"rows": rows, "page_title": "Roles"})


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE)
def role_create(request: HttpRequest) -> HttpResponse:
    form = NewRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_create(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The role “{role.name}” has been created.")
            return redirect("accounts:role_list")
    return render(request, "accounts/role_form.html", {"form": form, "page_title": "Add a role"})


@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, role_id: int) -> HttpResponse:
    role = get_role_for(request.user, role_id, need="edit")
    form = RoleForm(request.POST or None, initial=RoleForm.initial_for(role))
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(role=role, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The role “{role.name}” has been updated.")
            return redirect("accounts:role_list")
    context = {"form": form, "role": role, "page_title": f"Change the role {role.name}"}
    return render(request, "accounts/role_form.html", context)


# --- Organisations and teams ---------------------------------------------------------------------


@require_GET
@capability_required(MANAGE)
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = (
        Organisation.objects.visible_to(request.user)
        .select_related("lpa")
        .annotate(
            active_users=Count("users", filter=Q(users__is_active=True), distinct=True),
            team_count=Count("teams", distinct=True),
        )
    )
    context = {"organisations": organisations, "page_title": "Organisations and teams"}
    return render(request, "accounts/organisation_list.html", context)


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = NewOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} has been added.")
            return redirect("accounts:organisation_detail", organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "page_title": "Add an organisation"})


@require_GET
@capability_required(MANAGE)
def organisation_detail(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = get_organisation_for(request.user, organisation_id)
    context = {
        "organisation": organisation,
        "teams": organisation.teams.select_related("hub").annotate(member_count=Count("members")),
        "active_users": organisation.users.filter(is_active=True).count(),
        "page_title": organisation.name,
    }
    return render(request, "accounts/organisation_detail.html", context)


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = get_organisation_for(request.user, organisation_id, need="edit")
    form = OrganisationForm(request.POST or None, initial=OrganisationForm.initial_for(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} has been updated.")
            return redirect("accounts:organisation_detail", organisation.pk)
    context = {"form": form, "organisation": organisation, "page_title": f"Change {organisation.name}"}
    return render(request, "accounts/organisation_form.html", context)


@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = get_organisation_for(request.user, organisation_id, need="edit")
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The team “{team.name}” has been added.")
            return redirect("accounts:organisation_detail", organisation.pk)
    context = {"form": form, "organisation": organisation, "page_title": f"Add a team to {organisation.name}"}
    return render(request, "accounts/team_form.html", context)


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, team_id: uuid.UUID) -> HttpResponse:
    team = get_team_for(request.user, team_id, need="edit")
    form = TeamForm(request.POST or None, initial={"name": team.name, "hub": team.hub_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The team “{team.name}” has been updated.")
            return redirect("accounts:organisation_detail", team.organisation_id)
    context = {"form": form, "organisation": team.organisation, "team": team, "page_title": f"Change {team.name}"}
    return render(request, "accounts/team_form.html", context)
