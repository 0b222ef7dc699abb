"""Primary navigation. Each entry shows only to users whose roles grant its capability."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from socex.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None = None
    any_of: tuple[str, ...] = ()

    def allowed(self, user: User) -> bool:
        if self.capability and not user.has_cap(self.capability):
            return False
        return not self.any_of or any(user.has_cap(c) for c in self.any_of)


NAVIGATION: list[NavItem] = [
    NavItem("Home", "core:home"),
    NavItem("People", "people:search", capability="person.view"),
    NavItem("Areas and hubs", "areas:list"),
    NavItem("Sharing ledger", "sharing:list", any_of=("sharing.manage", "sharing.view_all", "case.view_shared")),
    NavItem("Audit log", "audit:events", capability="audit.view"),
    NavItem("Users", "accounts:user_list", capability="users.manage"),
]


def items_for(user: User, current_path: str) -> list[dict[str, object]]:
    items = []
    for item in NAVIGATION:
        if not item.allowed(user):
            continue
        href = reverse(item.url_name)
        active = current_path == href if href == "/" else current_path.startswith(href)
        items.append({"label": item.label, "href": href, "active": active})
    return items
