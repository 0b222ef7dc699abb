"""The Django admin is read-only, and the support accounts that reach it are created through an audited service."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from socex.accounts.models import Organisation, User
from socex.accounts.tests.conftest import events
from socex.audit.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def support(db, monkeypatch) -> User:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-support-passphrase-2026")
    call_command("createsuperuser", interactive=False, email="Support@Police.example", full_name="Sam Support")
    return User.objects.get(email="support@police.example")


def test_createsuperuser_makes_an_audited_support_account_with_no_organisation_or_roles(support):
    assert (support.is_staff, support.is_superuser, support.organisation, support.roles.count()) == (
        True,
        True,
        None,
        0,
    )
    assert support.check_password("a-long-support-passphrase-2026")
    assert support.capabilities == frozenset()
    (created,) = events(Action.CREATE, object_id=str(support.pk))
    assert created.changes["is_superuser"] == [None, True]
    assert created.changes["email"] == [None, "support@police.example"]
    assert created.actor_label == "system (command)"


def test_createsuperuser_refuses_a_weak_password_and_creates_nothing(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("createsuperuser", interactive=False, email="weak@police.example", full_name="Weak")
    assert not User.objects.filter(email="weak@police.example").exists()
    assert not events(Action.CREATE)


def test_the_manager_will_not_create_an_unaudited_user(db):
    with pytest.raises(NotImplementedError, match="user_create"):
        User.objects.create_user("quiet@police.example", "whatever-password")


def test_every_registered_admin_refuses_add_change_delete_and_actions(support):
    request = RequestFactory().get("/django-admin/")
    request.user = support
    assert admin.site._registry, "the admin should still show something"
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        assert model_admin.get_actions(request) == {}, label


def test_the_admin_shows_records_but_will_not_change_or_delete_them(signed_in, support, wmp):
    client = signed_in(support)
    assert client.get("/django-admin/").status_code == 200
    change = reverse("admin:accounts_organisation_change", args=[wmp.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"name": "Renamed", "org_type": "police"}).status_code == 403
    assert client.get(reverse("admin:accounts_organisation_add")).status_code == 403
    assert client.post(reverse("admin:accounts_organisation_delete", args=[wmp.pk]), {"post": "yes"}).status_code == 403
    assert Organisation.objects.get(pk=wmp.pk).name == "West Midlands Police"


def test_authenticator_secrets_and_groups_are_not_in_the_admin(signed_in, support):
    client = signed_in(support)
    assert client.get("/django-admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/django-admin/auth/group/").status_code == 404


def test_a_search_in_the_admin_is_audited(signed_in, support, hub_detective):
    client = signed_in(support)
    client.get(reverse("admin:accounts_user_changelist"))
    assert not events(Action.SEARCH)
    client.get(reverse("admin:accounts_user_changelist"), {"q": "priya", "is_active__exact": "1"})
    (search,) = events(Action.SEARCH)
    assert search.object_type == "accounts.user"
    assert search.detail == {"terms": {"Django admin search": "priya", "is_active__exact": "1"}, "results": 1}
    assert search.actor_id == support.pk


def test_the_admin_password_change_hands_over_to_the_audited_page(signed_in, support):
    response = signed_in(support).get("/django-admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
