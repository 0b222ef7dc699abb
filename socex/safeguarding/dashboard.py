"""Home-page panel: the user's and their agency's overdue and due-soon actions, and overdue
actions by agency across the cases they can see. Every figure is a count linking to its list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from socex.core.dashboard import Figure, Panel
from socex.safeguarding.access import can_use_safeguarding
from socex.safeguarding.conf import due_soon_days
from socex.safeguarding.models import Action

if TYPE_CHECKING:
    from socex.accounts.models import User

TOP_AGENCIES = 5


def actions_panel(user: User) -> Panel | None:
    if not can_use_safeguarding(user):
        return None
    from socex.safeguarding.views.actions import overdue_rows

    today = timezone.localdate()
    visible = Action.objects.visible_to(user)
    mine = visible.filter(owner=user)
    tray, agency_tray = reverse("safeguarding:tray"), reverse("safeguarding:agency_tray")
    days = due_soon_days()
    figures = [
        Figure("Your actions overdue", f"{mine.overdue(today).count():,}", href=f"{tray}?state=overdue"),
        Figure(
            f"Your actions due in the next {days} days",
            f"{mine.due_soon(today).count():,}",
            href=f"{tray}?state=due_soon",
        ),
    ]
    if user.organisation_id is not None:
        agency = visible.filter(owner_agency_id=user.organisation_id)
        figures.append(
            Figure(
                "Your agency's actions overdue",
                f"{agency.overdue(today).count():,}",
                href=f"{agency_tray}?state=overdue",
            )
        )
    rows = [row for row in overdue_rows(user, limit=TOP_AGENCIES) if row["overdue"]]
    return Panel(
        title="Safeguarding actions",
        figures=figures,
        chart=[(row["owner_agency__name"], row["overdue"]) for row in rows],
        caption="Overdue actions by agency (the five with most)" if rows else "",
        link_text="Overdue actions by agency",
        link_href=reverse("safeguarding:overdue"),
    )
