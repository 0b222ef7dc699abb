from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from socex.core.navigation import items_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: the service name and the user's navigation."""
    user = getattr(request, "user", None)
    nav = items_for(user, request.path) if user is not None and user.is_authenticated else []  # type: ignore[arg-type]
    return {"service_name": settings.SOCEX_SERVICE_NAME, "primary_navigation": nav}
