"""Who may see and change accounts: users, organisations, teams, roles and API tokens.

* Users: an administrator (``users.manage``) sees and changes everyone; anyone else sees only
  themself, and changes themself only through "Your account" (password, MFA, tokens), which
  are not edits of the user record.
* Organisations, teams and roles: a directory every signed-in, active user may read (cases and
  the sharing ledger name them); only administrators change them.
* API tokens: their owner sees and revokes them; an administrator sees and revokes anyone's.
* Sign-in lockouts (django-axes' failed-attempt records): administrators only.

The models import these querysets for their managers, so this module imports the models
only inside the ``get_*_for`` functions.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Self

from axes.models import AccessAttempt
from django.db import models

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import ApiToken, Organisation, Role, Team, User

MANAGE = "users.manage"


def _is_active_user(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _is_administrator(user: User | AnonymousUser) -> bool:
    return _is_active_user(user) and user.has_cap(MANAGE)  # type: ignore[union-attr]


class UserQuerySet(ProtectedQuerySet["User"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Administrators see every user; anyone else sees only themself."""
        if _is_administrator(user):
            return self.all()
        if _is_active_user(user):
            return self.filter(pk=user.pk)
        return self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        """Only administrators change user records (organisation, team, roles, active)."""
        return self.all() if _is_administrator(user) else self.none()


class DirectoryQuerySet[M: models.Model](ProtectedQuerySet[M]):
    """Organisations, teams and roles: readable by every signed-in user, changed by administrators."""

    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.all() if _is_active_user(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.all() if _is_administrator(user) else self.none()


class OrganisationQuerySet(DirectoryQuerySet["Organisation"]):
    pass


class TeamQuerySet(DirectoryQuerySet["Team"]):
    pass


class RoleQuerySet(DirectoryQuerySet["Role"]):
    pass


class ApiTokenQuerySet(ProtectedQuerySet["ApiToken"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """A user's own tokens; every token for an administrator."""
        if _is_administrator(user):
            return self.all()
        if _is_active_user(user):
            return self.filter(user_id=user.pk)
        return self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        """Whoever may see a token may revoke it: its owner, or an administrator."""
        return self.visible_to(user)


class SignInLockQuerySet(ProtectedQuerySet[AccessAttempt]):
    """django-axes' records of failed sign-ins: seen and cleared by administrators only."""

    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.all() if _is_administrator(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.visible_to(user)


def sign_in_locks() -> SignInLockQuerySet:
    return SignInLockQuerySet(model=AccessAttempt)


def get_user_for(user: User | AnonymousUser, user_id: uuid.UUID | str, need: Need = "view") -> User:
    """The user ``user_id`` as ``user`` may see them: 404 if not visible, 403 if ``need="edit"`` is refused."""
    from socex.accounts.models import User

    queryset = User.objects.select_related("organisation", "team").prefetch_related("roles")
    return get_for(user, queryset, need=need, pk=user_id)


def get_organisation_for(
    user: User | AnonymousUser, organisation_id: uuid.UUID | str, need: Need = "view"
) -> Organisation:
    """The organisation ``organisation_id``: 404 if not visible, 403 if ``need="edit"`` is refused."""
    from socex.accounts.models import Organisation

    return get_for(user, Organisation.objects.select_related("lpa"), need=need, pk=organisation_id)


def get_team_for(user: User | AnonymousUser, team_id: uuid.UUID | str, need: Need = "view") -> Team:
    """The team ``team_id``: 404 if not visible, 403 if ``need="edit"`` is refused."""
    from socex.accounts.models import Team

    return get_for(user, Team.objects.select_related("organisation", "hub"), need=need, pk=team_id)


def get_role_for(user: User | AnonymousUser, role_id: int | str, need: Need = "view") -> Role:
    """The role ``role_id``: 404 if not visible, 403 if ``need="edit"`` is refused."""
    from socex.accounts.models import Role

    return get_for(user, Role.objects.all(), need=need, pk=role_id)


def get_api_token_for(user: User | AnonymousUser, token_id: uuid.UUID | str, need: Need = "view") -> ApiToken:
    """The API token ``token_id`` (never its secret): 404 unless it is the user's own or they are an administrator."""
    from socex.accounts.models import ApiToken

    return get_for(user, ApiToken.objects.select_related("user"), need=need, pk=token_id)


def get_sign_in_lock_for(user: User | AnonymousUser, attempt_id: int | str, need: Need = "view") -> AccessAttempt:
    """A failed sign-in record (email and IP pair): 404 for anyone but an administrator."""
    return get_for(user, sign_in_locks(), need=need, pk=attempt_id)
