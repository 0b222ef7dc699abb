"""Roles, organisations and teams: managed by administrators in the app, every change audited."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from socex.accounts import services
from socex.accounts.models import Organisation, OrganisationType, Role, Team
from socex.accounts.tests.conftest import events
from socex.areas.models import LPA, Hub
from socex.audit.models import Action

pytestmark = pytest.mark.django_db


def role_data(role: Role, **overrides):
    data = {
        "name": role.name,
        "description": role.description,
        "capabilities": list(role.capabilities),
        **({"police_only": "on"} if role.police_only else {}),
    }
    data.update(overrides)
    return data


# --- Roles ----------------------------------------------------------------------------------------


def test_roles_list_describes_capabilities(signed_in, administrator):
    response = signed_in(administrator).get(reverse("accounts:role_list"))
    assert response.status_code == 200
    assert b"Hub detective" in response.content
    assert b"Read intelligence reports (police only)" in response.content


def test_role_form_offers_every_capability_with_its_description(signed_in, administrator):
    supervisor_role = Role.objects.get(code="supervisor")
    response = signed_in(administrator).get(reverse("accounts:role_edit", args=[supervisor_role.pk]))
    assert response.status_code == 200
    assert b"Approve spend and override budget limits (funding.approve)" in response.content
    assert b"See every case in the force (case.view_all, police only)" in response.content


def test_editing_a_role_changes_capabilities_and_is_audited(signed_in, administrator):
    vrp = Role.objects.get(code="vrp-officer")
    old_caps = list(vrp.capabilities)
    new_caps = ["analytics.view", "funding.approve", "funding.manage", "funding.view"]
    response = signed_in(administrator).post(
        reverse("accounts:role_edit", args=[vrp.pk]), role_data(vrp, capabilities=new_caps)
    )
    assert response.status_code == 302
    vrp.refresh_from_db()
    assert vrp.capabilities == new_caps
    [event] = events(Action.UPDATE, object_type="accounts.role")
    assert event.changes == {
        "capabilities": [old_caps, new_caps],
    }


def test_police_only_capabilities_need_a_police_only_role(signed_in, administrator):
    vrp = Role.objects.get(code="vrp-officer")
    response = signed_in(administrator).post(
        reverse("accounts:role_edit", args=[vrp.pk]), role_data(vrp, capabilities=["intel.view"])
    )
    assert response.status_code == 200
    assert b"Tick police only" in response.content
    vrp.refresh_from_db()
    assert "intel.view" not in vrp.capabilities


def test_a_role_held_outside_the_police_cannot_become_police_only(walsall_partner):
    partner_role = Role.objects.get(code="partner-practitioner")
    with pytest.raises(ValidationError) as refused:
        services.role_update(
            role=partner_role,
            name=partner_role.name,
            description="",
            capabilities=partner_role.capabilities,
            police_only=True,
        )
    assert "outside the police hold this role" in str(refused.value)
    partner_role.refresh_from_db()
    assert partner_role.police_only is False


def test_the_last_administrator_role_keeps_users_manage(signed_in, administrator):
    admin_role = Role.objects.get(code="administrator")
    response = signed_in(administrator).post(
        reverse("accounts:role_edit", args=[admin_role.pk]), role_data(admin_role, capabilities=["audit.view"])
    )
    assert b"No active user would be able to manage users" in response.content
    admin_role.refresh_from_db()
    assert admin_role.capabilities == ["users.manage"]


def test_adding_a_role(signed_in, administrator):
    response = signed_in(administrator).post(
        reverse("accounts:role_create"),
        {"name": "Missing persons coordinator", "code": "missing-persons", "capabilities": ["case.view_shared"]},
    )
    assert response.status_code == 302
    created = Role.objects.get(code="missing-persons")
    assert created.capabilities == ["case.view_shared"]
    assert events(Action.CREATE, object_type="accounts.role")


def test_role_edit_is_403_for_non_administrators_and_404_for_unknown_roles(signed_in, hub_detective, administrator):
    url = reverse("accounts:role_edit", args=[Role.objects.get(code="hub-detective").pk])
    assert signed_in(hub_detective).get(url).status_code == 403
    assert signed_in(administrator).get(reverse("accounts:role_edit", args=[987654])).status_code == 404


# --- Organisations and teams --------------------------------------------------------------------------


def test_organisations_list_counts_users_and_teams(signed_in, administrator, hub_detective, hub_officer):
    response = signed_in(administrator).get(reverse("accounts:organisation_list"))
    assert response.status_code == 200
    wmp = next(o for o in response.context["organisations"] if o.name == "West Midlands Police")
    assert wmp.team_count == 2
    assert wmp.active_users == 3  # detective, officer, administrator


def test_adding_an_organisation_with_type_and_lpa(signed_in, administrator):
    walsall = LPA.objects.get(name="Walsall")
    response = signed_in(administrator).post(
        reverse("accounts:organisation_create"),
        {"name": "Walsall Youth Justice Service", "org_type": OrganisationType.LOCAL_AUTHORITY, "lpa": walsall.pk},
    )
    created = Organisation.objects.get(name="Walsall Youth Justice Service")
    assert response["Location"] == reverse("accounts:organisation_detail", args=[created.pk])
    assert created.lpa == walsall
    assert created.org_type == "local_authority"
    [event] = events(Action.CREATE, object_type="accounts.organisation")
    assert event.changes["lpa"] == [None, "Walsall"]


def test_an_organisation_needs_a_name_and_a_type(signed_in, administrator):
    response = signed_in(administrator).post(reverse("accounts:organisation_create"), {"name": "", "org_type": ""})
    assert b"Enter the organisation&#x27;s name" in response.content
    assert b"Choose the type of organisation" in response.content
    assert not events(Action.CREATE)


def test_changing_an_organisation_is_audited_old_to_new(signed_in, administrator, walsall_partner):
    organisation = walsall_partner.organisation
    response = signed_in(administrator).post(
        reverse("accounts:organisation_edit", args=[organisation.pk]),
        {
            "name": organisation.name,
            "org_type": OrganisationType.CHILDRENS_SERVICES,
            "lpa": organisation.lpa_id,
            "contact_email": "earlyhelp.duty@walsall.example",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    [event] = events(Action.UPDATE, object_type="accounts.organisation")
    assert event.changes == {
        "org_type": ["early_help", "childrens_services"],
        "contact_email": ["", "earlyhelp.duty@walsall.example"],
    }


def test_the_police_cannot_stop_being_police_while_detectives_work_there(signed_in, administrator, hub_detective):
    wmp = hub_detective.organisation
    response = signed_in(administrator).post(
        reverse("accounts:organisation_edit", args=[wmp.pk]),
        {"name": wmp.name, "org_type": OrganisationType.OTHER, "is_active": "on"},
    )
    assert b"hold police-only roles" in response.content
    wmp.refresh_from_db()
    assert wmp.org_type == "police"


def test_adding_and_renaming_a_team_in_a_hub(signed_in, administrator, wmp):
    client = signed_in(administrator)
    hub = Hub.objects.get(code="wolverhampton")
    response = client.post(reverse("accounts:team_create", args=[wmp.pk]), {"name": "Exploitation desk", "hub": hub.pk})
    assert response.status_code == 302
    team = Team.objects.get(organisation=wmp, name="Exploitation desk")
    assert team.hub == hub
    duplicate = client.post(reverse("accounts:team_create", args=[wmp.pk]), {"name": "exploitation desk"})
    assert b"already has a team with this name" in duplicate.content
    client.post(reverse("accounts:team_edit", args=[team.pk]), {"name": "Exploitation desk (west)", "hub": hub.pk})
    [event] = events(Action.UPDATE, object_type="accounts.team")
    assert event.changes == {"name": ["Exploitation desk", "Exploitation desk (west)"]}


def test_organisation_pages_are_403_for_non_administrators(signed_in, walsall_partner, wmp):
    client = signed_in(walsall_partner)
    assert client.get(reverse("accounts:organisation_detail", args=[wmp.pk])).status_code == 403
    assert client.get(reverse("accounts:organisation_edit", args=[wmp.pk])).status_code == 403
    assert client.post(reverse("accounts:team_create", args=[wmp.pk]), {"name": "x"}).status_code == 403
    assert not Team.objects.filter(name="x").exists()


def test_an_unknown_organisation_is_404(signed_in, administrator):
    url = reverse("accounts:organisation_edit", args=["5a9c3a44-7a3e-4f3a-9a55-3b3b3b3b3b3b"])
    assert signed_in(administrator).get(url).status_code == 404


def test_role_capabilities_are_checkboxes_showing_every_capability_the_role_has(signed_in, administrator):
    detective = Role.objects.get(code="hub-detective")
    html = signed_in(administrator).get(reverse("accounts:role_edit", args=[detective.pk])).content.decode()
    checked = set(re.findall(r'name="capabilities" type="checkbox" value="([a-z_.]+)" checked', html))
    assert checked == set(detective.capabilities)
    assert 'type="radio"' not in html
