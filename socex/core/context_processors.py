from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from socex.core.navigation import items_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: the service name and the user's navigation."""
    user = getattr(request, "user", None)
    # No navigation before sign-in, nor while a two-factor code is still owed.
    show_nav = user is not None and user.is_authenticated and not getattr(request, "mfa_pending", False)
    nav = items_for(user, request.path) if show_nav else []  # type: ignore[arg-type]
    return {"service_name": settings.SOCEX_SERVICE_NAME, "primary_navigation": nav}
