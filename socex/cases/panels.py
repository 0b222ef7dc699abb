"""Sections other apps add to a case page (NRM status, safeguarding plan, investigations...).

An app registers a builder in its ``AppConfig.ready``; the case page calls each builder with the
case and the viewing user, and shows the sections that come back, in order. A builder applies
its own app's access rules: it returns ``None`` when the user may not see what it would show.

The case page shows each panel under an ``<h2>`` of its ``title`` and renders its ``template``
with ``case``, ``panel``, ``user`` and every key of ``context`` (so a template may use
``{{ actions }}`` for ``context={"actions": ...}``); headings inside a panel start at ``<h3>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.cases.models import Case


@dataclass
class CasePanel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


CasePanelBuilder = Callable[["Case", "User"], CasePanel | None]
_builders: list[tuple[int, str, CasePanelBuilder]] = []


def register_case_panel(order: int, builder: CasePanelBuilder) -> None:
    key = f"{builder.__module__}.{builder.__qualname__}"
    if any(existing == key for _, existing, _ in _builders):
        return
    _builders.append((order, key, builder))
    _builders.sort(key=lambda item: (item[0], item[1]))


def case_panels(case: Case, user: User) -> list[CasePanel]:
    return [panel for _, _, builder in _builders if (panel := builder(case, user)) is not None]
