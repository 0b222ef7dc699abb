"""Home-page panel for people who share records or see what is shared with them."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from socex.core.dashboard import Figure, Panel
from socex.sharing.access import EXPIRING_WITHIN_DAYS, MANAGE
from socex.sharing.models import Share

if TYPE_CHECKING:
    from socex.accounts.models import User


def _ledger_link(**filters: str) -> str:
    return f"{reverse('sharing:list')}?{urlencode(filters)}"


def sharing_panel(user: User) -> Panel | None:
    """Shares in force with and by the user's organisation, and those about to end."""
    if user.organisation_id is None or not (user.has_cap(MANAGE) or user.has_cap("case.view_shared")):
        return None
    shares = Share.objects.visible_to(user)
    received = shares.active().filter(organisation_id=user.organisation_id)
    made = shares.active().filter(shared_by_organisation_id=user.organisation_id)
    ours = Q(organisation_id=user.organisation_id) | Q(shared_by_organisation_id=user.organisation_id)
    expiring = shares.expiring().filter(ours)
    return Panel(
        title="Sharing",
        figures=[
            Figure(
                "Records shared with your organisation",
                f"{received.count():,}",
                href=_ledger_link(direction="received", status="active"),
            ),
            Figure(
                f"Shares ending within {EXPIRING_WITHIN_DAYS} days",
                f"{expiring.count():,}",
                href=_ledger_link(status="expiring"),
                hint="Made or received by your organisation",
            ),
            Figure(
                "Records your organisation has shared",
                f"{made.count():,}",
                href=_ledger_link(direction="made", status="active"),
            ),
        ],
        link_text="Open the sharing ledger",
        link_href=reverse("sharing:list"),
    )
