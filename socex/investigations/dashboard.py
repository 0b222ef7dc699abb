"""Home-page panel for hub staff, and the investigations section of a case page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from socex.cases.panels import CasePanel
from socex.core.dashboard import Figure, Panel
from socex.investigations import access
from socex.investigations.models import Investigation

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.cases.models import Case


def investigations_panel(user: User) -> Panel | None:
    if not access.can_read(user):
        return None
    mine = Investigation.objects.open().filter(officer_in_case=user).count()
    figures = [
        Figure(
            "Open investigations", Investigation.objects.open().count(), reverse("investigations:list") + "?status="
        ),
        Figure("Yours as officer in the case", mine, reverse("investigations:list")),
    ]
    return Panel(
        title="Investigations",
        figures=figures,
        link_text="Hub manager's dashboard" if access.can_see_workload(user) else "See investigations",
        link_href=reverse("investigations:dashboard")
        if access.can_see_workload(user)
        else reverse("investigations:list"),
    )


def case_investigations_panel(case: Case, user: User) -> CasePanel | None:
    """Police see the investigations a case's subjects are victims in; a partner on the case sees
    only that an investigation exists and its status, never its details."""
    investigations = Investigation.objects.filter(people__case=case).distinct().order_by("-opened_on")
    if not investigations.exists():
        return None
    police = access.can_read(user)
    context = {"investigations": investigations, "police": police}
    return CasePanel("Police investigations", "investigations/case_panel.html", context)
