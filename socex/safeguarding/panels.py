"""The safeguarding sections of a case page: its plan, and its MACE meetings, places and groups.

Registered in ``SafeguardingConfig.ready`` with ``socex.cases.panels.register_case_panel``. The
case page has already checked that the user may see the case; each builder applies this app's
own rules to what it lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from socex.cases.panels import CasePanel
from socex.safeguarding.access import can_add_action, can_use_safeguarding
from socex.safeguarding.models import Action, AgendaItem, Location, PeerGroup

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.cases.models import Case

CLOSED_SHOWN = 20


def plan_panel(case: Case, user: User) -> CasePanel | None:
    """The case's safeguarding plan: open actions soonest due first, then the latest closed ones."""
    if not can_use_safeguarding(user):
        return None
    actions = Action.objects.visible_to(user).filter(case=case).select_related("case", "owner_agency", "owner")
    open_actions = list(actions.open().order_by("due_date", "reference"))
    closed = list(actions.exclude(pk__in=[a.pk for a in open_actions]).order_by("-completed_at")[:CLOSED_SHOWN])
    context = {
        "open_actions": open_actions,
        "closed_actions": closed,
        "overdue": sum(1 for action in open_actions if action.is_overdue),
        "can_add": case.is_open and can_add_action(user, case),
        "add_url": reverse("safeguarding:action_new", args=[case.pk]),
    }
    return CasePanel("Safeguarding plan", "safeguarding/_case_plan.html", context)


def context_panel(case: Case, user: User) -> CasePanel | None:
    """The MACE meetings that discussed the case, and the places and peer groups linked to it."""
    if not can_use_safeguarding(user):
        return None
    items = list(
        AgendaItem.objects.visible_to(user)
        .filter(case=case)
        .select_related("meeting")
        .order_by("-meeting__meeting_date")
    )
    locations = list(Location.objects.visible_to(user).filter(cases=case).select_related("lpa"))
    groups = list(PeerGroup.objects.visible_to(user).filter(cases=case))
    context = {"items": items, "locations": locations, "groups": groups}
    return CasePanel("MACE meetings, places and peer groups", "safeguarding/_case_context.html", context)
