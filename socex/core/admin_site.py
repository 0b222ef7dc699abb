"""The Django admin is a read-only window for support staff, and nothing more.

Every change to a SOCEX record goes through a service that audits it; the admin's add, change
and delete pages would bypass that, so :func:`make_admin_read_only` (run from
``CoreConfig.ready``, after the admin has imported every app's ``admin.py``) swaps each
registered ``ModelAdmin`` for a subclass that refuses every write and offers no bulk actions.
Two models are taken out altogether: authenticator devices (their admin shows the TOTP secret
and its QR code, which would let whoever reads it copy someone's second factor) and Django's
groups (capabilities come from roles, so groups grant nothing here).

Searching or filtering a list in the admin is a search of staff or sign-in records, so it is
written to the audit log like a search anywhere else. Reading one record there is not: these
are directory records, not sensitive ones (see socex.core.access).

Who can reach it: active users with ``is_staff``, after signing in through the service's own
sign-in page and, where required, two-factor authentication. Only ``manage.py createsuperuser``
makes such a user, and it is audited (socex.accounts.services.support_user_create).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

# Models whose admin is removed rather than made read-only (see the module docstring).
REMOVED = ("auth.Group", "otp_totp.TOTPDevice")
# Query parameters of a change list that page or sort it rather than narrow it.
NOT_FILTERS = frozenset({"o", "p", "e", "all", "_popup", "_to_field"})


class ReadOnlyAdminMixin:
    """Refuses add, change and delete, and offers no actions; logs searches and filters."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest, action_location: Any = ActionLocation.CHANGE_LIST) -> dict[str, Any]:
        return {}

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response: HttpResponse = super().changelist_view(request, extra_context)  # type: ignore[misc]
        # The admin's own parameter names (e.g. is_active__exact) show the search came from there.
        terms = {
            ("Django admin search" if key == "q" else key): str(value)
            for key, value in request.GET.items()
            if key not in NOT_FILTERS
        }
        if terms:
            from socex.audit.services import record_search

            context = (response.context_data or {}) if isinstance(response, TemplateResponse) else {}
            changelist = context.get("cl")
            model = self.model  # type: ignore[attr-defined]
            record_search(
                record_type=model._meta.label_lower,
                terms=terms,
                results=getattr(changelist, "result_count", None),
            )
        return response


def make_admin_read_only(site: admin.AdminSite = admin.site) -> None:
    """Remove the admin of :data:`REMOVED` models and make every other registered admin read-only."""
    for label in REMOVED:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if site.is_registered(model):
            site.unregister(model)
    for model, model_admin in list(site._registry.items()):
        admin_class = type(model_admin)
        if issubclass(admin_class, ReadOnlyAdminMixin):
            continue
        site.unregister(model)
        site.register(model, type(f"ReadOnly{admin_class.__name__}", (ReadOnlyAdminMixin, admin_class), {}))
