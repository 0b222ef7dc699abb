from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from socex.core.dashboard import panels_for

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    panels = panels_for(request.user)  # type: ignore[arg-type]
    return render(request, "core/home.html", {"panels": panels, "page_title": "Home"})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Load-balancer check: is the database answering?

    It needs no sign-in, so it says only ok or unavailable: not which database, which version
    or why it failed (that goes to the server's log), which would help an attacker more than
    the load balancer.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer.")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"page_title": "Page not found"}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"page_title": "You cannot do that", "reason": str(exception or "")}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: says sorry and gives the request id to quote, and nothing about the error.

    Rendered without the request's context processors or the page shell, which need the
    database and the user, either of which may be what failed.
    """
    context = {"service_name": settings.SOCEX_SERVICE_NAME, "request_id": getattr(request, "request_id", "")}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (CSRF_FAILURE_VIEW): a plain explanation, not Django's page.

    ``reason`` is Django's technical explanation; it stays out of the page.
    """
    message = (
        "The form could not be sent: it may have been open too long or come from another site. "
        "Go back, reload the page and try again."
    )
    return render(request, "403.html", {"page_title": "The form could not be sent", "reason": message}, status=403)


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back_url: str,
    button: str,
    caption: str = "",
    lead_text: str = "",
) -> HttpResponse:
    """A one-form question page: back link, error summary, caption, heading, a lead paragraph, the
    form and its button. Apps whose form needs nothing more render it through here."""
    context = {
        "page_title": title,
        "form": form,
        "back_url": back_url,
        "button": button,
        "caption": caption,
        "lead_text": lead_text,
    }
    return render(request, "core/form_page.html", context)
