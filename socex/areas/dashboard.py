"""Home-page panels: the user's hub, and the force area for those who plan services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from socex.areas import queries
from socex.areas.models import Hub
from socex.core.dashboard import Figure, Panel

if TYPE_CHECKING:
    from socex.accounts.models import User


def your_hub_panel(user: User) -> Panel | None:
    """For members of a hub team: what their hub covers."""
    team = user.team
    if team is None or team.hub_id is None:
        return None
    summaries = queries.hub_summaries(user, hubs=Hub.objects.visible_to(user).filter(pk=team.hub_id))
    if not summaries:
        return None
    summary = summaries[0]
    href = reverse("areas:hub", args=[summary.hub.code])
    under_25 = summary.residents_0_24
    return Panel(
        title=f"Your hub: {summary.hub.name}",
        figures=[
            Figure("Local policing areas served", len(summary.lpas), href=href),
            Figure("Residents served", f"{summary.residents:,}", href=href),
            Figure(
                "Residents aged 0 to 24 served",
                f"{under_25:,}" if under_25 is not None else "Not known",
                href=href,
            ),
        ],
        rows=[(item.lpa.name, f"{item.residents:,}") for item in summary.lpas],
        headers=("LPA served", "Residents"),
        caption="Local policing areas your hub serves",
        link_text=f"More about {summary.hub.name}",
        link_href=href,
    )


def force_area_panel(user: User) -> Panel | None:
    """For analysts and the VRP: residents by LPA across the force."""
    if not (user.has_cap("analytics.view") or user.has_cap("funding.view")):
        return None
    lpas = queries.lpa_summaries(user)
    if not lpas:
        return None
    total = sum(item.residents for item in lpas)
    return Panel(
        title="The force area",
        figures=[
            Figure("Local policing areas", len(lpas), href=reverse("areas:list")),
            Figure("Residents", f"{total:,}", href=reverse("areas:list")),
        ],
        chart=[(item.lpa.name, item.residents) for item in lpas],
        caption="Residents by local policing area",
        link_text="All areas and hubs",
        link_href=reverse("areas:list"),
    )
