"""Small helpers the NRM views share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from socex.nrm.access import can_use_nrm, is_hub_staff
from socex.nrm.models import DutyToNotify, NrmReferral

if TYPE_CHECKING:
    from socex.accounts.models import User


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require_nrm(request: HttpRequest) -> None:
    if not can_use_nrm(request.user):
        raise PermissionDenied("Your roles do not include NRM referrals.")


def require_hub_staff(request: HttpRequest) -> None:
    if not is_hub_staff(request.user):
        raise PermissionDenied("Only hub staff (police, with NRM referrals in their role) can do this.")


def can_edit(request: HttpRequest, record: NrmReferral | DutyToNotify) -> bool:
    return type(record).objects.editable_by(request.user).filter(pk=record.pk).exists()
