"""The service's own address, for links that leave it (emails)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(view_name: str, *args: object) -> str:
    """``https://socex.example.police.uk/referrals/...`` for a URL name: ``SOCEX_SITE_URL`` + the path."""
    return f"{str(getattr(settings, 'SOCEX_SITE_URL', '')).rstrip('/')}{reverse(view_name, args=args)}"


def site_url() -> str:
    return str(getattr(settings, "SOCEX_SITE_URL", "")).rstrip("/")
