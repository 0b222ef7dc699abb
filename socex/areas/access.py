"""Who may see reference geography: forces, LPAs, hubs and LSOAs.

Geography and Census counts are public information, so every signed-in, active user sees
all of it; nobody changes it in the app (``manage.py load_reference`` loads it from files).
The rule still lives here, so that views and the API fetch areas the same way as any record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

from socex.core.access import Need, ProtectedQuerySet, get_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.areas.models import LPA, Hub


class AreaQuerySet[M: models.Model](ProtectedQuerySet[M]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Everything, for any signed-in active user; nothing for anyone else."""
        if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False):
            return self.all()
        return self.none()


def get_lpa_for(user: User | AnonymousUser, code: str, need: Need = "view") -> LPA:
    """The LPA with ONS code ``code``, or 404. Nobody may edit one here, so ``need="edit"`` gives 403."""
    from socex.areas.models import LPA

    return get_for(user, LPA.objects.select_related("force"), need=need, code=code)


def get_hub_for(user: User | AnonymousUser, code: str, need: Need = "view") -> Hub:
    """The hub with code ``code``, or 404. Nobody may edit one here, so ``need="edit"`` gives 403."""
    from socex.areas.models import Hub

    return get_for(user, Hub.objects.select_related("force", "base_lpa"), need=need, code=code)
