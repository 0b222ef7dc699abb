"""Two-factor authentication: set up an authenticator app, and enter its code at sign-in."""

from __future__ import annotations

import textwrap
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from socex.accounts import services
from socex.accounts.forms import CodeForm
from socex.accounts.models import User
from socex.accounts.views._common import safe_next


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """Record the second factor in the session, under a new session key.

    Passing two-factor authentication raises what the session may do, so its key changes, as
    Django changes it on signing in: a session id learnt before this point is worthless after.
    """
    otp_login(request, device)
    request.session.cycle_key()


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// URL as an inline SVG QR code (no style attributes, so the CSP allows it)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, title="QR code to scan with your authenticator app", svgclass="socex-qr", dark="#0b0c0c"
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup from our own otpauth URL


def secret_in_groups(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    return " ".join(textwrap.wrap(b32encode(device.bin_key).decode("ascii"), 4))


@never_cache
@require_http_methods(["GET", "POST"])
def mfa(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the user's authenticator app; send them to set one up if they have none."""
    user: User = request.user  # type: ignore[assignment]
    next_url = safe_next(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url)
    if not services.has_confirmed_device(user):
        return redirect(_with_next("accounts:mfa_enrol", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.mfa_verify(user=user, code=form.cleaned_data["code"])
        if result.device is not None:
            _mark_verified(request, result.device)
            return redirect(next_url)
        form.add_error("code", result.error)
    context = {"form": form, "next": next_url, "page_title": "Enter your security code"}
    return render(request, "accounts/mfa_verify.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code from it."""
    user: User = request.user  # type: ignore[assignment]
    next_url = safe_next(request, reverse("accounts:profile"))
    has_device = services.has_confirmed_device(user)
    if has_device and not user.is_verified():  # type: ignore[attr-defined]
        # Replacing an authenticator needs the old one first; a lost phone needs an administrator.
        return redirect(_with_next("accounts:mfa", next_url))
    device = services.mfa_start_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.mfa_confirm_enrolment(user=user, device=device, code=form.cleaned_data["code"])
        if result.device is not None:
            _mark_verified(request, result.device)
            messages.success(
                request, "Two-factor authentication is set up. You will be asked for a code each time you sign in."
            )
            return redirect(next_url)
        form.add_error("code", result.error)
    context = {
        "form": form,
        "next": next_url,
        "qr_code": qr_code_svg(device),
        "secret": secret_in_groups(device),
        "replacing": has_device,
        "page_title": "Set up two-factor authentication",
    }
    return render(request, "accounts/mfa_enrol.html", context)
