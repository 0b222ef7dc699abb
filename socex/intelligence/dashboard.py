"""The intelligence panels on the home page: the workflow queue for police, and the reports
shared with a partner agency (shown only when there are some). Every figure is a real count
linking to the list it counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from socex.core.dashboard import Figure, Panel
from socex.intelligence.access import can_evaluate, can_read_intel, can_use_intelligence, disseminated_reports
from socex.intelligence.models import Report, ReportStatus

if TYPE_CHECKING:
    from socex.accounts.models import User


def _status_figure(reports: object, status: str, label: str) -> Figure:
    count = reports.filter(status=status).count()  # type: ignore[attr-defined]
    return Figure(label, f"{count:,}", href=f"{reverse('intelligence:list')}?status={status}")


def intelligence_panel(user: User) -> Panel | None:
    if not can_use_intelligence(user):
        return None
    reports = Report.objects.visible_to(user)
    if can_read_intel(user):
        figures = [_status_figure(reports, ReportStatus.SUBMITTED, "Reports awaiting evaluation")]
        if can_evaluate(user):
            figures.append(_status_figure(reports, ReportStatus.EVALUATED, "Evaluated, awaiting sanitised text"))
            figures.append(_status_figure(reports, ReportStatus.SANITISED, "Sanitised, awaiting publication"))
        figures.append(_status_figure(reports, ReportStatus.PUBLISHED, "Published reports"))
    else:
        figures = [
            _status_figure(reports, ReportStatus.SUBMITTED, "Your reports awaiting evaluation"),
            Figure("Your reports", f"{reports.count():,}", href=reverse("intelligence:list")),
        ]
    return Panel(
        title="Intelligence",
        figures=figures,
        link_text="Search intelligence" if can_read_intel(user) else "Submit or view your intelligence",
        link_href=reverse("intelligence:list"),
    )


def shared_intelligence_panel(user: User) -> Panel | None:
    """For a partner agency with reports disseminated to it: how many, linking to them."""
    if can_use_intelligence(user):
        return None
    count = disseminated_reports(user).count()
    if not count:
        return None
    href = reverse("intelligence:shared_list")
    return Panel(
        title="Shared intelligence",
        figures=[Figure("Sanitised reports shared with your organisation", f"{count:,}", href=href)],
        link_text="Read the shared intelligence",
        link_href=href,
    )
