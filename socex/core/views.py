from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from socex.core.dashboard import panels_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    panels = panels_for(request.user)  # type: ignore[arg-type]
    return render(request, "core/home.html", {"panels": panels, "page_title": "Home"})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Load-balancer check: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"page_title": "Page not found"}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"page_title": "You cannot do that", "reason": str(exception or "")}, status=403)
