"""The hub's recorded referrals beside the published figures, with the coverage ratio.

For each quarter and area the published series has (``total`` referrals and ``dtn`` reports),
the hub's own count is the records the user may see that were submitted in that quarter: all of
them for the force area (``SOCEX_NRM_PUBLISHED_AREA``), those of the LPA for a local authority.
Coverage is the hub's count as a percentage of the published one. Where one quarter has figures
from more than one edition, the latest-entered edition is used (the Home Office revises earlier
quarters in later bulletins).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from socex.nrm import conf
from socex.nrm.models import Dimension, DutyToNotify, NrmReferral, PublishedFigure
from socex.nrm.statistics import quarter_end, quarter_label, quarter_start

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User


@dataclass
class CoverageRow:
    year: int
    quarter: int
    area: str
    dimension: str
    published: int
    edition: str
    recorded: int | None

    @property
    def period(self) -> str:
        return quarter_label((self.year, self.quarter))

    @property
    def ratio(self) -> float | None:
        if self.recorded is None or not self.published:
            return None
        return round(100 * self.recorded / self.published, 1)

    @property
    def dimension_label(self) -> str:
        return str(dict(Dimension.choices)[self.dimension])


def side_by_side(user: User | AnonymousUser) -> list[CoverageRow]:
    figures = PublishedFigure.objects.filter(dimension__in=(Dimension.TOTAL, Dimension.DTN)).order_by(
        "year", "quarter", "area", "dimension", "entered_at", "id"
    )
    latest: dict[tuple[int, int, str, str], PublishedFigure] = {}
    for figure in figures:
        latest[(figure.year, figure.quarter, figure.area.casefold(), figure.dimension)] = figure
    force = conf.published_area().casefold()
    referrals = NrmReferral.objects.visible_to(user)
    reports = DutyToNotify.objects.visible_to(user)
    rows = []
    for (year, quarter, area, dimension), figure in sorted(latest.items()):
        records = referrals if dimension == Dimension.TOTAL else reports
        period = (quarter_start((year, quarter)), quarter_end((year, quarter)))
        recorded: int | None
        if area == force:
            recorded = records.filter(submitted_on__range=period).count()
        elif figure.lpa_id is not None:
            recorded = records.filter(submitted_on__range=period, lpa_id=figure.lpa_id).count()
        else:
            recorded = None
        rows.append(
            CoverageRow(
                year=year,
                quarter=quarter,
                area=figure.area,
                dimension=dimension,
                published=figure.value,
                edition=figure.edition,
                recorded=recorded,
            )
        )
    return rows
