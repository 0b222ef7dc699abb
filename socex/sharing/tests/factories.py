"""Helpers for sharing tests: shares are always made through the service, as in the app."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from socex.sharing.models import LegalBasis, Share
from socex.sharing.services import share_grant

S47 = "children-act-1989-s47"


def legal_basis(code: str = S47) -> LegalBasis:
    """One of the default legal bases the data migration loads."""
    return LegalBasis.objects.get(code=code)


def make_share(
    *, actor, obj, organisation, days: int = 30, scope: str = "Hub contact list for the MACE meeting", code: str = S47
) -> Share:
    return share_grant(
        actor=actor,
        obj=obj,
        organisation=organisation,
        legal_basis=legal_basis(code),
        scope=scope,
        until=timezone.localdate() + dt.timedelta(days=days),
    )


def backdate(share: Share, *, until_days_ago: int) -> Share:
    """Make ``share`` look as if it ended ``until_days_ago`` days ago (shares are never edited in the app)."""
    today = timezone.localdate()
    Share.objects.filter(pk=share.pk).update(
        shared_at=timezone.now() - dt.timedelta(days=until_days_ago + 30),
        until=today - dt.timedelta(days=until_days_ago),
    )
    share.refresh_from_db()
    return share
