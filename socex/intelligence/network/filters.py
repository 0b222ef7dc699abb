"""What a network is narrowed to: a time window, link types and a minimum grading."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce

from socex.intelligence.network.grading import grading_order


@dataclass(frozen=True)
class NetworkFilters:
    """Every field is optional; the default is the whole network the user may see.

    * ``date_from`` / ``date_to``: links true at some time in the window. A link runs from its
      ``valid_from`` (or, if that is blank, the date its report was obtained) to its ``valid_to``
      (blank: still true).
    * ``link_types``: only these types (intelligence link types, or those an edge source adds,
      such as ``same_case``); empty for all.
    * ``min_grade``: a 3x5x2 grade such as ``2B``; links from reports below it, not yet graded or
      graded under legacy 5x5x5 are left out (see :mod:`socex.intelligence.network.grading`).
    * ``include_legacy``: with a minimum grade, keep links from legacy 5x5x5 reports too.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    link_types: frozenset[str] = field(default_factory=frozenset)
    min_grade: str = ""
    include_legacy: bool = False

    def wants(self, link_type: str) -> bool:
        return not self.link_types or link_type in self.link_types

    def overlaps(self, start: dt.date | None, end: dt.date | None) -> bool:
        """Is a period from ``start`` to ``end`` (None: open) inside the window at some time?"""
        if self.date_to and start and start > self.date_to:
            return False
        return not (self.date_from and end and end < self.date_from)

    def link_q(self) -> Q:
        """The filters as a condition on ``intelligence.Link`` (annotate with :func:`annotate_start` first)."""
        condition = Q()
        if self.link_types:
            condition &= Q(link_type__in=sorted(self.link_types))
        if self.date_to:
            condition &= Q(network_start__lte=self.date_to)
        if self.date_from:
            condition &= Q(valid_to__isnull=True) | Q(valid_to__gte=self.date_from)
        if self.min_grade:
            condition &= grading_order().report_q(self.min_grade, include_legacy=self.include_legacy, prefix="report__")
        return condition

    @property
    def needs_start(self) -> bool:
        return self.date_to is not None

    def terms(self) -> dict[str, str]:
        """The filters in use as ``{label: value}`` for the audit log."""
        from socex.core.templatetags.socex import uk_date

        shown: dict[str, str] = {}
        if self.date_from:
            shown["From"] = uk_date(self.date_from)
        if self.date_to:
            shown["To"] = uk_date(self.date_to)
        if self.link_types:
            shown["Link types"] = ", ".join(sorted(self.link_types))
        if self.min_grade:
            shown["Minimum grading"] = self.min_grade
            if self.include_legacy:
                shown["Legacy 5x5x5 reports"] = "included"
        return shown


def annotate_start(links):  # type: ignore[no-untyped-def]
    """``links`` with ``network_start``: the link's first date, or its report's date obtained."""
    return links.annotate(network_start=Coalesce("valid_from", "report__obtained_on"))
