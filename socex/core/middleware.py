from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from socex.core import context

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


# Browser features the service never uses, switched off for every page.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address for the audit log and for sign-in lockouts (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR only, never X-Forwarded-For: that header comes from the client and anyone can
    write anything in it, so trusting it would let a caller choose the address the audit log
    records and escape lockouts by changing it. Deployment requirement: behind a reverse proxy
    REMOTE_ADDR is the proxy's address unless the server replaces it with the real client's,
    from the proxy's own header only (e.g. gunicorn ``--forwarded-allow-ips=<proxy address>``
    with the proxy setting X-Forwarded-For, or uvicorn ``--proxy-headers``). Without that,
    every event records the proxy's address and lockouts apply per email address only.
    """
    return request.META.get("REMOTE_ADDR") or None


class PrivateResponseMiddleware:
    """No browser or proxy keeps a copy of a page, and unused browser features are switched off.

    Pages hold OFFICIAL-SENSITIVE information, and a shared computer's back button or cache
    must not show them to the next person. Every response that has not set its own caching
    gets ``Cache-Control: no-store`` (static files are answered by WhiteNoise, which runs
    before this and keeps their long cache).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RequestIdMiddleware:
    """Gives every request an id (or keeps a well-formed one from the proxy) and returns it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


class AuditContextMiddleware:
    """Sets who is acting for the audit log for the length of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with context.acting_as(
            user,  # type: ignore[arg-type]
            ip_address=client_ip(request),
            request_id=getattr(request, "request_id", ""),
            channel="web",
        ):
            return self.get_response(request)
