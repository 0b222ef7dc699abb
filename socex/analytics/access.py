"""Who may see analytics.

Analytics are read-only and built from public crime data and counts of internal records, never
the records themselves, so one capability opens them: ``analytics.view``. Pages start from
:func:`require_analytics`; a user without the capability gets 403 (the pages exist for
everyone, so there is nothing to hide by answering 404). Areas a user asks for are fetched
through ``socex.areas.access`` (an unknown LPA code is 404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.exceptions import PermissionDenied
from django.db import models

from socex.core.access import ProtectedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from socex.accounts.models import User

VIEW = "analytics.view"


def can_view_analytics(user: User | AnonymousUser) -> bool:
    """True for a signed-in, active user whose roles grant ``analytics.view``."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.has_cap(VIEW))  # type: ignore[union-attr]


def require_analytics(request: HttpRequest) -> None:
    """Raise PermissionDenied (403) unless the user may see analytics."""
    if not can_view_analytics(request.user):
        raise PermissionDenied("Your roles do not include analytics.")


class AnalyticsQuerySet[M: models.Model](ProtectedQuerySet[M]):
    """Crime data and imports: everything for analytics users, nothing for anyone else.
    Nobody edits them through the app (``manage.py import_crime`` writes them)."""

    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.all() if can_view_analytics(user) else self.none()

    def editable_by(self, user: User | AnonymousUser) -> Self:
        return self.none()
