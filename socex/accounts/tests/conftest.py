"""Helpers for the accounts tests: authenticator devices with codes, and the audit events written."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from socex.accounts.models import User
from socex.audit.models import Event


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for ``device``."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A 6-digit code that is certainly not accepted in the current window."""
    accepted = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + d):06d}" for d in (-1, 0, 1)
    }
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


@pytest.fixture
def make_device() -> Callable[..., TOTPDevice]:
    def make(user: User, *, confirmed: bool = True) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)

    return make


def events(action: str, **filters: object) -> list[Event]:
    """Audit events of ``action``, oldest first."""
    return list(Event.objects.filter(action=action, **filters).order_by("id"))
