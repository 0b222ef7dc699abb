"""The home-page panel for administrators: accounts, MFA take-up and lockouts."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from socex.accounts.access import MANAGE
from socex.accounts.models import OrganisationType, User
from socex.accounts.services import has_confirmed_device_expression, locked_out_attempts
from socex.core.dashboard import Figure, Panel


def accounts_panel(user: User) -> Panel | None:
    if not user.has_cap(MANAGE):
        return None
    active = User.objects.visible_to(user).filter(is_active=True)
    without_mfa = active.exclude(has_confirmed_device_expression()).count()
    locked = locked_out_attempts(user).count()
    labels = dict(OrganisationType.choices)
    by_type = (
        active.exclude(organisation=None)
        .values("organisation__org_type")
        .annotate(total=Count("pk"))
        .order_by("-total", "organisation__org_type")
    )
    users_url = reverse("accounts:user_list")
    return Panel(
        title="Accounts",
        figures=[
            Figure("Active users", active.count(), href=f"{users_url}?status=active"),
            Figure(
                "Active users without two-factor authentication",
                without_mfa,
                href=f"{users_url}?status=active&mfa=none",
                hint="Asked at next sign-in where required",
            ),
            Figure(
                "Sign-ins locked now",
                locked,
                href=reverse("accounts:lockouts"),
                hint="After too many wrong passwords",
            ),
        ],
        chart=[
            (labels.get(row["organisation__org_type"], row["organisation__org_type"]), row["total"]) for row in by_type
        ],
        caption="Active users by type of organisation",
        link_text="Manage users, roles and organisations",
        link_href=users_url,
    )
