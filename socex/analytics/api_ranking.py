"""API for part B of analytics: the threat-risk ranking and the internal figures by LPA.

Same access and the same functions as the pages: ``analytics.view`` (403 without it), the
published weights, small counts of internal records suppressed for token holders outside the
police. Query: ``to`` (``YYYY-MM``, the period's last month) and ``months`` (3, 6, 12, 24 or 36).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from socex.analytics import internal, ranking
from socex.analytics.access import can_view_analytics
from socex.analytics.conf import serious_violence_categories
from socex.analytics.forms_ranking import PeriodForm
from socex.areas.queries import current_lpas

router = Router()


class MeasureOut(Schema):
    key: str
    label: str
    dimension: str
    weight: float
    unit: str
    value: float | None
    force_value: float | None
    times_force: float | None
    suppressed: bool


class AreaOut(Schema):
    code: str
    name: str
    rank: int
    rank_range: tuple[int, int] | None
    score: float
    harm: float
    likelihood: float
    capacity: float
    confidence: str
    demand_share: float
    explanation: list[str]
    measures: list[MeasureOut]


class RankingOut(Schema):
    weights_version: str
    period: str
    crime_months: int
    stability: str
    notes: list[str]
    areas: list[AreaOut]


class InternalRowOut(Schema):
    code: str
    name: str
    residents: int
    serious_crimes: int
    all_crimes: int
    internal: dict[str, int | str]


class InternalOut(Schema):
    period: str
    crime_months: int
    suppressed_below: int | None
    areas: list[InternalRowOut]


def _period(request: HttpRequest) -> internal.Period:
    if not can_view_analytics(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "Your roles do not include analytics.")
    form = PeriodForm(request.GET if request.GET else None)
    if form.is_bound and not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items())
        raise HttpError(422, problems)
    return form.period()


def _measure(part: ranking.ComponentScore) -> MeasureOut:
    hidden = part.suppressed
    return MeasureOut(
        key=part.component.key,
        label=part.component.label,
        dimension=part.component.dimension,
        weight=part.component.weight,
        unit=part.component.unit,
        value=None if hidden else part.value,
        force_value=part.force_value,
        times_force=None if hidden else part.ratio,
        suppressed=hidden,
    )


@router.get("/ranking", response=RankingOut, summary="The threat-risk ranking of LPAs (published weights)")
def ranking_get(request: HttpRequest) -> RankingOut:
    period = _period(request)
    user = request.auth  # type: ignore[attr-defined]
    model = ranking.load_model()
    inputs = ranking.gather_inputs(user, model, period)
    result = ranking.score(inputs, model, stability=True, suppress_below=ranking.suppression_for(user))
    ranges = result.stability.rank_ranges if result.stability else {}
    return RankingOut(
        weights_version=model.version,
        period=period.label,
        crime_months=inputs.crime_months,
        stability=result.stability.sentence if result.stability else "",
        notes=result.notes,
        areas=[
            AreaOut(
                code=area.code,
                name=area.name,
                rank=area.rank,
                rank_range=ranges.get(area.name),
                score=area.score,
                harm=area.harm,
                likelihood=area.likelihood,
                capacity=area.capacity,
                confidence=area.confidence,
                demand_share=area.demand_share,
                explanation=area.sentences,
                measures=[_measure(part) for part in area.components],
            )
            for area in result.areas
        ],
    )


@router.get("/internal-figures", response=InternalOut, summary="Internal records beside public crime, by LPA")
def internal_figures_get(request: HttpRequest) -> InternalOut:
    period = _period(request)
    user = request.auth  # type: ignore[attr-defined]
    table = internal.figures_table(user, list(current_lpas(user)), period, serious_violence_categories())
    keys = [source.key for source in internal.INTERNAL_SOURCES]
    return InternalOut(
        period=period.label,
        crime_months=table.crime_months,
        suppressed_below=None if table.exact else table.threshold,
        areas=[
            InternalRowOut(
                code=row.lpa.code,
                name=row.lpa.name,
                residents=row.residents,
                serious_crimes=row.serious_crimes,
                all_crimes=row.all_crimes,
                internal={key: count for key, (count, _) in zip(keys, row.internal, strict=True)},
            )
            for row in table.rows
        ],
    )
