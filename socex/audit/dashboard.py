"""Home-page panel for auditors: today's activity and the state of the hash chain."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from socex.audit.access import can_read_audit
from socex.audit.forms import PERIODS, start_of
from socex.audit.models import Action, Event
from socex.core.dashboard import Figure, Panel
from socex.core.templatetags.socex import uk_datetime

if TYPE_CHECKING:
    from socex.accounts.models import User


def _log_link(**filters: str) -> str:
    return f"{reverse('audit:events')}?{urlencode(filters)}"


def _chain_figure(user: User) -> Figure:
    last = Event.objects.visible_to(user).filter(action=Action.VERIFY).order_by("-id").first()
    href = _log_link(action=Action.VERIFY.value)
    if last is None:
        hint = "An administrator checks it with manage.py audit_verify"
        return Figure("Hash chain", "Never checked", href=href, hint=hint)
    checked = f"checked {uk_datetime(last.occurred_at)}"
    if last.detail.get("result") == "intact":
        return Figure(
            "Hash chain", "Intact", href=href, hint=f"{checked}, {last.detail.get('events_checked', 0):,} events"
        )
    return Figure("Hash chain", "Broken", href=href, hint=f"At event #{last.detail.get('broken_at')}, {checked}")


def audit_panel(user: User) -> Panel | None:
    """For holders of ``audit.view``: real counts, each linking to the log filtered to match."""
    if not can_read_audit(user):
        return None
    events = Event.objects.visible_to(user)
    today = timezone.localdate()
    since_today = events.filter(occurred_at__gte=start_of(today))
    now = timezone.now()
    failed = events.filter(action=Action.LOGIN_FAILED, occurred_at__gte=now - PERIODS["24h"][1]).count()
    exports = events.filter(action=Action.EXPORT, occurred_at__gte=now - PERIODS["7d"][1]).count()
    iso_today = today.isoformat()
    return Panel(
        title="Audit",
        figures=[
            Figure("Events today", f"{since_today.count():,}", href=_log_link(date_from=iso_today)),
            Figure(
                "Views of sensitive records today",
                f"{since_today.filter(action=Action.VIEW).count():,}",
                href=_log_link(action=Action.VIEW.value, date_from=iso_today),
            ),
            Figure(
                "Failed sign-ins in the last 24 hours",
                f"{failed:,}",
                href=_log_link(action=Action.LOGIN_FAILED.value, period="24h"),
            ),
            Figure(
                "Exports in the last 7 days", f"{exports:,}", href=_log_link(action=Action.EXPORT.value, period="7d")
            ),
            _chain_figure(user),
        ],
        link_text="Search the audit log",
        link_href=reverse("audit:events"),
    )
