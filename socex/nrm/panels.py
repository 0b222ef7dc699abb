"""The NRM section of the case page and the NRM panel of the home-page dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from socex.core.dashboard import Figure, Panel
from socex.nrm.access import can_use_nrm
from socex.nrm.clocks import TrayRow, clock_for, tray_querysets, with_decisions
from socex.nrm.models import DutyToNotify, NrmReferral

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.cases.models import Case
    from socex.cases.panels import CasePanel


def nrm_case_panel(case: Case, user: User) -> CasePanel | None:
    """The case's NRM referrals with their status and clocks at a glance, its Duty to Notify reports
    and a "Create NRM referral" button; nothing for someone who may see none of it."""
    from socex.cases.models import ChronologyEntry
    from socex.cases.panels import CasePanel
    from socex.nrm.services import first_responder_for

    referrals = NrmReferral.objects.visible_to(user).filter(case=case)
    if not can_use_nrm(user) and not referrals.exists():
        return None
    rows = [TrayRow(referral, clock_for(referral)) for referral in with_decisions(referrals.order_by("referred_on"))]
    report_ids = ChronologyEntry.objects.filter(case=case, source_type="nrm.dutytonotify").values_list(
        "source_id", flat=True
    )
    reports = list(DutyToNotify.objects.visible_to(user).filter(pk__in=list(report_ids)).order_by("reported_on"))
    can_create = can_use_nrm(user) and first_responder_for(user.organisation) is not None
    context = {"case": case, "rows": rows, "reports": reports, "can_create": can_create}
    return CasePanel(title="NRM", template="nrm/_case_panel.html", context=context)


def nrm_dashboard_panel(user: User) -> Panel | None:
    """What is waiting in the NRM work tray; each figure links to its list there."""
    if not can_use_nrm(user):
        return None
    sets = tray_querysets(user)
    tray = reverse("nrm:tray")
    return Panel(
        title="NRM referrals",
        figures=[
            Figure(
                "Reasonable grounds decisions overdue", f"{sets['rg_overdue'].count():,}", href=f"{tray}#rg-overdue"
            ),
            Figure(
                "Awaiting a conclusive grounds decision", f"{sets['awaiting_cg'].count():,}", href=f"{tray}#awaiting-cg"
            ),
            Figure("Started, not yet submitted", f"{sets['drafts'].count():,}", href=f"{tray}#drafts"),
            Figure(
                "Support referrals awaiting a response", f"{sets['support_waiting'].count():,}", href=f"{tray}#support"
            ),
        ],
        link_text="Open the NRM work tray",
        link_href=tray,
    )
