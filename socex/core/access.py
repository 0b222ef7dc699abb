"""The one access pattern every app follows.

Each app's ``access.py`` defines a queryset class deriving from :class:`ProtectedQuerySet`
with two rules, ``visible_to(user)`` and ``editable_by(user)``, and a ``get_<thing>_for``
function that calls :func:`get_for`. Views, the API, exports, search and analytics only ever
start from those, so a rule lives in exactly one place.

* a record the user may not see: ``Http404`` (we do not confirm it exists);
* a record they may see but not change: ``PermissionDenied`` (403);
* a record marked sensitive: every successful read is written to the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Self

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User

Need = Literal["view", "edit"]


class ProtectedQuerySet[M: models.Model](models.QuerySet[M]):
    """A queryset that knows who may see and who may change its records."""

    def visible_to(self, user: User | AnonymousUser) -> Self:
        raise NotImplementedError(f"{type(self).__name__} must define visible_to(user)")

    def editable_by(self, user: User | AnonymousUser) -> Self:
        """By default nothing is editable; apps that allow changes say by whom."""
        return self.none()


def get_for[M: models.Model](
    user: User | AnonymousUser,
    queryset: ProtectedQuerySet[M],
    *,
    need: Need = "view",
    sensitive: bool = False,
    justification: str = "",
    **lookup: Any,
) -> M:
    """Fetch one protected record for ``user``, or raise 404 / 403 as the access model says.

    ``sensitive`` records have the successful read written to the audit log (DPA 2018 s62
    "consultation"), with the justification where one was given.
    """
    if need not in ("view", "edit"):
        raise ValueError(f"need must be 'view' or 'edit', not {need!r}")
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        obj = queryset.visible_to(user).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    if need == "edit" and not queryset.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied("You can see this record but not change it.")
    if sensitive:
        from socex.audit.services import record_view

        record_view(obj=obj, justification=justification)
    return obj
