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


# (position, item): apps add theirs with register_nav_item in AppConfig.ready, so the order is
# fixed here by number rather than by which app happens to load first.
_items: list[tuple[int, NavItem]] = [
    (0, NavItem("Home", "core:home")),
    (20, NavItem("People", "people:search", capability="person.view")),
    (80, NavItem("Areas and hubs", "areas:list")),
    (85, NavItem("Sharing ledger", "sharing:list", any_of=("sharing.manage", "sharing.view_all", "case.view_shared"))),
    (90, NavItem("Audit log", "audit:events", capability="audit.view")),
    (95, NavItem("Users", "accounts:user_list", capability="users.manage")),
]


def register_nav_item(position: int, item: NavItem) -> None:
    """Add an app's entry to the primary navigation (once, however often ``ready`` runs)."""
    if any(existing.url_name == item.url_name for _, existing in _items):
        return
    _items.append((position, item))
    _items.sort(key=lambda entry: entry[0])


def navigation() -> list[NavItem]:
    return [item for _, item in _items]


def items_for(user: User, current_path: str) -> list[dict[str, object]]:
    items = []
    for item in navigation():
        if not item.allowed(user):
            continue
        href = reverse(item.url_name)
        active = current_path == href if href == "/" else current_path.startswith(href)
        items.append({"label": item.label, "href": href, "active": active})
    return items
