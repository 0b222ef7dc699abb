"""The persona dashboard on the home page.

Apps register panel builders in their ``AppConfig.ready``; each builder looks at the user's
capabilities and returns a :class:`Panel` of real figures, or ``None`` when it has nothing for
that user. The home page shows the panels in order. No figure is ever a placeholder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socex.accounts.models import User


@dataclass
class Figure:
    label: str
    value: int | str
    href: str = ""
    hint: str = ""

    @property
    def is_text(self) -> bool:
        """A word such as "Intact" or "Not known" rather than a count, shown smaller than a number."""
        return isinstance(self.value, str) and not self.value.replace(",", "").isdigit()


@dataclass
class Panel:
    title: str
    figures: list[Figure] = field(default_factory=list)
    rows: list[tuple[str, ...]] = field(default_factory=list)
    headers: tuple[str, ...] = ()
    caption: str = ""
    link_text: str = ""
    link_href: str = ""
    chart: list[tuple[str, int]] = field(default_factory=list)


PanelBuilder = Callable[["User"], Panel | None]
_builders: list[tuple[int, str, PanelBuilder]] = []


def register_panel(order: int, builder: PanelBuilder) -> None:
    key = f"{builder.__module__}.{builder.__qualname__}"
    if any(existing == key for _, existing, _ in _builders):
        return
    _builders.append((order, key, builder))
    _builders.sort(key=lambda item: (item[0], item[1]))


def panels_for(user: User) -> list[Panel]:
    panels = []
    for _, _, builder in _builders:
        panel = builder(user)
        if panel is not None:
            panels.append(panel)
    return panels
