"""The funding panel on the home page: VRP staff see the year's money; a lead organisation its projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from socex.cases.panels import CasePanel
from socex.core.dashboard import Figure, Panel
from socex.core.templatetags.socex import money
from socex.funding import access, reports
from socex.funding.forms import default_year
from socex.funding.models import Allocation, ClaimStatus, SpendClaim, financial_year_label

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.cases.models import Case


def funding_panel(user: User) -> Panel | None:
    if access.sees_all_funding(user):
        year = default_year()
        totals = reports.year_totals(reports.budget_lines(user, year=year))
        overview = reverse("funding:overview")
        pending = SpendClaim.objects.visible_to(user).filter(status=ClaimStatus.SUBMITTED).count()
        return Panel(
            title=f"VRP funding {financial_year_label(year)}",
            figures=[
                Figure("Budgets", money(totals["budget"]), overview),
                Figure("Allocated", money(totals["allocated"]), overview),
                Figure("Spent", money(totals["spent"]), overview),
                Figure("Claims awaiting approval", pending, overview),
            ],
            link_text="See budgets and allocations",
            link_href=overview,
        )
    if access.leads_allocations(user):
        allocations = Allocation.objects.visible_to(user)
        return Panel(
            title="Your funded projects",
            figures=[Figure("Projects", allocations.count(), reverse("funding:overview"))],
            link_text="Report on your projects",
            link_href=reverse("funding:overview"),
        )
    return None


def case_interventions_panel(case: Case, user: User) -> CasePanel | None:
    """On a case page: the funded interventions the case was referred to, and a form to refer it."""
    from socex.funding.models import AllocationStatus, InterventionReferral

    referrals = InterventionReferral.objects.filter(case=case).select_related("allocation__lead")
    can_refer = case.__class__.objects.editable_by(user).filter(pk=case.pk).exists()
    options = (
        Allocation.objects.filter(
            takes_case_referrals=True, status__in=(AllocationStatus.APPROVED, AllocationStatus.ACTIVE)
        )
        .exclude(pk__in=referrals.values("allocation"))
        .select_related("lead")
        if can_refer
        else Allocation.objects.none()
    )
    if not referrals and not options:
        return None
    context = {"case": case, "referrals": referrals, "options": options}
    return CasePanel("Funded interventions", "funding/case_panel.html", context)
