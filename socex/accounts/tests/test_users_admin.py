"""User administration in the app: only for users.manage; every change through a service and audited."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from socex.accounts import services
from socex.accounts.models import Role, User
from socex.accounts.tests.conftest import events
from socex.audit.models import Action, Event

pytestmark = pytest.mark.django_db

USERS = reverse("accounts:user_list")
NEW_USER = reverse("accounts:user_create")


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def new_user_data(organisation, **overrides):
    data = {
        "email": "New.Officer@Police.example",
        "full_name": "PC Dana Reid",
        "job_title": "Hub officer",
        "organisation": str(organisation.pk),
        "team": "",
        "roles": [str(role("hub-officer").pk)],
    }
    data.update(overrides)
    return data


# --- The list -------------------------------------------------------------------------------------


def test_administrator_sees_every_user(signed_in, administrator, hub_detective, walsall_partner):
    response = signed_in(administrator).get(USERS)
    assert response.status_code == 200
    assert b"DC Priya Sandhu" in response.content
    assert b"Jo Bennett" in response.content


def listed(response) -> set[str]:
    return {user.full_name for user in response.context["page_obj"].object_list}


def test_user_list_filters_by_search_organisation_role_and_status(
    signed_in, administrator, hub_detective, walsall_partner, school_outsider
):
    client = signed_in(administrator)
    assert listed(client.get(USERS, {"q": "PRIYA"})) == {"DC Priya Sandhu"}
    assert listed(client.get(USERS, {"q": "walsall.example"})) == {"Jo Bennett"}
    assert listed(client.get(USERS, {"organisation": str(walsall_partner.organisation_id)})) == {"Jo Bennett"}
    assert listed(client.get(USERS, {"role": str(role("hub-detective").pk)})) == {"DC Priya Sandhu"}
    school_outsider.is_active = False
    school_outsider.save(update_fields=["is_active"])
    assert listed(client.get(USERS, {"status": "inactive"})) == {"Alex Morgan"}
    assert "Alex Morgan" not in listed(client.get(USERS, {"status": "active"}))
    assert listed(client.get(USERS, {"mfa": "set"})) == set()
    assert "Jo Bennett" in listed(client.get(USERS, {"mfa": "none"}))


def test_a_filtered_user_list_is_logged_as_a_search_and_an_unfiltered_one_is_not(
    signed_in, administrator, hub_detective, walsall_partner
):
    client = signed_in(administrator)
    client.get(USERS)
    assert not Event.objects.filter(action=Action.SEARCH).exists()
    client.get(USERS, {"q": "priya", "status": "active"})
    search = Event.objects.get(action=Action.SEARCH)
    assert (search.object_type, search.actor_id) == ("accounts.user", administrator.pk)
    assert search.search_terms == "Name or email: priya; Status: Active"
    assert search.detail == {"terms": {"Name or email": "priya", "Status": "Active"}, "results": 1}


@pytest.mark.parametrize("persona", ["hub_detective", "supervisor", "auditor", "school_outsider"])
def test_people_without_users_manage_get_403_on_admin_pages(signed_in, request, persona):
    client = signed_in(request.getfixturevalue(persona))
    for name in ("user_list", "user_create", "role_list", "role_create", "organisation_list", "lockouts"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 403, name


# --- Creating ------------------------------------------------------------------------------------


def test_creating_a_user_shows_a_one_time_password_once(signed_in, administrator, wmp):
    response = signed_in(administrator).post(NEW_USER, new_user_data(wmp))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    user = User.objects.get(email="new.officer@police.example")
    password = response.context["password"]
    assert password.encode() in response.content
    assert user.check_password(password)
    assert password not in user.password
    assert user.must_change_password is True
    assert list(user.roles.values_list("code", flat=True)) == ["hub-officer"]
    [event] = events(Action.CREATE, object_type="accounts.user")
    assert event.actor_id == administrator.pk
    assert event.changes["email"] == [None, "new.officer@police.example"]
    assert event.changes["roles"] == [None, ["Hub officer"]]


def test_a_police_only_role_cannot_be_given_outside_the_police(signed_in, administrator, walsall_partner):
    data = new_user_data(walsall_partner.organisation, roles=[str(role("hub-detective").pk)])
    response = signed_in(administrator).post(NEW_USER, data)
    assert response.status_code == 200
    assert b"Hub detective can only be given to people in a police organisation" in response.content
    assert b"govuk-error-summary" in response.content
    assert not User.objects.filter(email="new.officer@police.example").exists()
    assert not events(Action.CREATE)


def test_the_service_also_refuses_a_police_only_role_outside_the_police(walsall_partner):
    with pytest.raises(ValidationError) as refused:
        services.user_create(
            email="someone@walsall.example",
            full_name="Sam Someone",
            organisation=walsall_partner.organisation,
            roles=[role("intelligence-analyst")],
        )
    assert "police organisation" in str(refused.value.message_dict["roles"])
    assert not User.objects.filter(email="someone@walsall.example").exists()


def test_a_duplicate_email_is_refused_whatever_its_case(signed_in, administrator, hub_detective, wmp):
    response = signed_in(administrator).post(NEW_USER, new_user_data(wmp, email=hub_detective.email.upper()))
    assert b"There is already an account with this email address" in response.content
    assert User.objects.filter(email__iexact=hub_detective.email).count() == 1


def test_a_team_from_another_organisation_is_refused(signed_in, administrator, hub_detective, walsall_partner):
    data = new_user_data(walsall_partner.organisation, roles=[], team=str(hub_detective.team_id))
    response = signed_in(administrator).post(NEW_USER, data)
    assert b"Choose a team in Walsall Council Early Help, or no team" in response.content


def test_a_missing_name_and_organisation_say_what_to_enter(signed_in, administrator, wmp):
    data = new_user_data(wmp, full_name="")
    data["organisation"] = ""
    response = signed_in(administrator).post(NEW_USER, data)
    assert b"Enter a full name" in response.content
    assert b"Choose the organisation they work for" in response.content


# --- Viewing and editing ----------------------------------------------------------------------------


def test_administrator_sees_a_users_details(signed_in, administrator, hub_detective):
    response = signed_in(administrator).get(reverse("accounts:user_detail", args=[hub_detective.pk]))
    assert response.status_code == 200
    assert b"det.birmingham@police.example" in response.content


def test_another_users_page_is_404_for_a_non_administrator(signed_in, school_outsider, hub_detective):
    client = signed_in(school_outsider)
    for name in ("user_detail", "user_edit", "user_reset_password"):
        assert client.get(reverse(f"accounts:{name}", args=[hub_detective.pk])).status_code == 404, name


def test_an_unknown_user_id_is_404(signed_in, administrator):
    url = reverse("accounts:user_detail", args=["5a9c3a44-7a3e-4f3a-9a55-3b3b3b3b3b3b"])
    assert signed_in(administrator).get(url).status_code == 404


def test_a_non_administrator_cannot_edit_themself_here(signed_in, hub_detective):
    client = signed_in(hub_detective)
    assert client.get(reverse("accounts:user_edit", args=[hub_detective.pk])).status_code == 403
    own_detail = client.get(reverse("accounts:user_detail", args=[hub_detective.pk]))
    assert own_detail["Location"] == reverse("accounts:profile")


def test_editing_a_user_is_audited_old_to_new(signed_in, administrator, hub_officer, hub_detective):
    data = {
        "email": hub_officer.email,
        "full_name": "Sam Whitfield",
        "job_title": "Senior hub officer",
        "organisation": str(hub_officer.organisation_id),
        "team": str(hub_detective.team_id),
        "roles": [str(role("hub-officer").pk), str(role("supervisor").pk)],
    }
    response = signed_in(administrator).post(reverse("accounts:user_edit", args=[hub_officer.pk]), data)
    assert response.status_code == 302
    hub_officer.refresh_from_db()
    assert hub_officer.job_title == "Senior hub officer"
    assert hub_officer.team_id == hub_detective.team_id
    [event] = events(Action.UPDATE, object_type="accounts.user")
    assert event.changes["job_title"] == ["", "Senior hub officer"]
    assert event.changes["roles"] == [["Hub officer"], ["Hub officer", "Supervisor"]]
    assert event.changes["team"][1].startswith("Birmingham SOCEX Hub team")


def test_moving_a_detective_out_of_the_police_is_refused(signed_in, administrator, hub_detective, walsall_partner):
    data = {
        "email": hub_detective.email,
        "full_name": hub_detective.full_name,
        "job_title": "",
        "organisation": str(walsall_partner.organisation_id),
        "team": "",
        "roles": [str(role("hub-detective").pk)],
    }
    response = signed_in(administrator).post(reverse("accounts:user_edit", args=[hub_detective.pk]), data)
    assert response.status_code == 200
    assert b"can only be given to people in a police organisation" in response.content
    hub_detective.refresh_from_db()
    assert hub_detective.organisation.name == "West Midlands Police"


def test_an_administrator_cannot_remove_their_own_right_to_manage_users(signed_in, administrator):
    data = {
        "email": administrator.email,
        "full_name": administrator.full_name,
        "job_title": "",
        "organisation": str(administrator.organisation_id),
        "team": "",
        "roles": [str(role("auditor").pk)],
    }
    response = signed_in(administrator).post(reverse("accounts:user_edit", args=[administrator.pk]), data)
    assert b"You cannot remove your own right to manage users" in response.content
    assert administrator.roles.filter(code="administrator").exists()


# --- Switching off and on, resetting the password ---------------------------------------------------


def test_switching_an_account_off_and_on(signed_in, administrator, hub_detective, client, password):
    admin_client = signed_in(administrator)
    url = reverse("accounts:user_set_active", args=[hub_detective.pk])
    assert admin_client.get(url).status_code == 405
    admin_client.post(url, {"active": "0"})
    hub_detective.refresh_from_db()
    assert hub_detective.is_active is False
    admin_client.post(url, {"active": "1"})
    hub_detective.refresh_from_db()
    assert hub_detective.is_active is True
    changes = [event.changes for event in events(Action.UPDATE, object_type="accounts.user")]
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]


def test_switching_off_revokes_api_tokens_so_switching_on_does_not_revive_them(
    signed_in, administrator, hub_detective, client
):
    token, secret = services.api_token_create(user=hub_detective, name="Nightly script")
    url = reverse("accounts:user_set_active", args=[hub_detective.pk])
    signed_in(administrator).post(url, {"active": "0"})
    signed_in(administrator).post(url, {"active": "1"})
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    (revoked,) = events(Action.TOKEN, detail__event="revoked")
    assert (revoked.object_id, revoked.actor_id) == (str(token.pk), administrator.pk)


def test_a_switched_off_user_is_signed_out_at_their_next_request(signed_in, hub_detective):
    client = signed_in(hub_detective)
    assert client.get("/").status_code == 200
    services.user_set_active(user=hub_detective, by=hub_detective, active=True)  # no-op, allowed
    User.objects.filter(pk=hub_detective.pk).update(is_active=False)
    assert client.get("/").status_code == 302


def test_an_administrator_cannot_switch_themself_off(signed_in, administrator):
    response = signed_in(administrator).post(
        reverse("accounts:user_set_active", args=[administrator.pk]), {"active": "0"}, follow=True
    )
    assert b"You cannot switch off your own account" in response.content
    administrator.refresh_from_db()
    assert administrator.is_active is True


def test_switching_off_is_refused_to_non_administrators(signed_in, hub_detective, supervisor):
    url = reverse("accounts:user_set_active", args=[hub_detective.pk])
    assert signed_in(supervisor).post(url, {"active": "0"}).status_code == 404
    hub_detective.refresh_from_db()
    assert hub_detective.is_active is True


def test_resetting_a_password_shows_a_new_one_time_password(signed_in, administrator, hub_detective, password):
    client = signed_in(administrator)
    url = reverse("accounts:user_reset_password", args=[hub_detective.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    new_password = response.context["password"]
    hub_detective.refresh_from_db()
    assert hub_detective.check_password(new_password)
    assert not hub_detective.check_password(password)
    assert hub_detective.must_change_password is True
    assert events(Action.UPDATE, detail__event="password_reset_by_administrator")


def test_user_form_shows_roles_as_checkboxes_with_current_roles_ticked(signed_in, administrator, hub_officer):
    html = signed_in(administrator).get(reverse("accounts:user_edit", args=[hub_officer.pk])).content.decode()
    ticked = re.findall(r'name="roles" type="checkbox" value="(\d+)" checked', html)
    assert ticked == [str(role("hub-officer").pk)]
    assert "Hub detective (police only)" in html
