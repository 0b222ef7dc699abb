"""The one access pattern every app follows.

Each app's ``access.py`` defines a queryset class deriving from :class:`ProtectedQuerySet`
with two rules, ``visible_to(user)`` and ``editable_by(user)``, and a ``get_<thing>_for``
function that calls :func:`get_for`. Views, the API, exports, search and analytics only ever
start from those, so a rule lives in exactly one place.

* a record the user may not see: ``Http404`` (we do not confirm it exists);
* a record they may see but not change: ``PermissionDenied`` (403);
* a record marked sensitive: every successful read is written to the audit log.

What is audited (DPA 2018 s62: collection, alteration, consultation, disclosure)
-------------------------------------------------------------------------------------------

* **Every change**, whatever the record, by the service that makes it (old -> new values).
* **Reading one sensitive record** (``get_for(..., sensitive=True)``): a VIEW event. A record
  is *sensitive* when it holds information about a person the service protects or
  investigates (people, cases, referrals, intelligence, NRM and so on, as those apps arrive),
  records a disclosure (a share in the sharing ledger), or is an audit event (it carries old
  and new values of other records and shows who looked at what). Every ``get_<thing>_for`` of
  such a record passes ``sensitive=True``, on pages and in the API alike.
* **Not sensitive**: staff accounts, organisations, teams, roles, API tokens (never their
  secrets), sign-in lockouts, legal bases and geography. They are directory or reference
  data seen only by their owner, by administrators or by everyone signed in; reading them
  is not a consultation of anyone's case, so only their changes are audited.
* **Searches**: a list narrowed by any filter or search term is a SEARCH event with the
  terms and the number of results (``audited_filtered_page`` / ``record_search``), for
  every kind of record that holds personal data, staff accounts included. The one
  exception is public geography (searching LSOA names by LPA), which holds no personal data.
  An unfiltered list page is not a search and is not logged.
* **Exports**: every CSV download (``audited_csv``) and every page of sensitive records the
  API hands to a script (``AuditedApiPagination``) is an EXPORT event with the filters, the
  number of rows and, for the API, the offset and limit.
* **Sign-in**: every sign-in, failed sign-in (including a refused API token), sign-out and
  two-factor event.
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
