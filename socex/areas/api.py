"""Areas API: LPAs (with their neighbourhoods) and hubs, for any token holder.

Geography is public information, so every authenticated user may read it; the same access
functions as the pages (socex.areas.access) fetch each record, so an unknown code is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from socex.areas import queries
from socex.areas.access import get_hub_for, get_lpa_for
from socex.areas.models import LSOA

router = Router()


class LPAOut(Schema):
    code: str
    name: str
    force_code: str
    residents: int
    residents_0_24: int | None
    population_source: str
    population_date: dt.date | None
    effective_from: dt.date | None
    effective_to: dt.date | None
    lsoa_count: int
    hubs: list[str]


class LSOAOut(Schema):
    code: str
    name: str
    residents: int
    residents_0_15: int | None
    residents_16_24: int | None


class LPADetailOut(LPAOut):
    lsoas: list[LSOAOut]


class HubOut(Schema):
    code: str
    name: str
    force_code: str
    base_lpa: str
    lpas_served: list[str]
    residents: int
    residents_0_24: int | None


def _lpa(item: queries.LPASummary) -> LPAOut:
    lpa = item.lpa
    return LPAOut(
        code=lpa.code,
        name=lpa.name,
        force_code=lpa.force.code,
        residents=item.residents,
        residents_0_24=item.residents_0_24,
        population_source=lpa.population_source,
        population_date=lpa.population_date,
        effective_from=lpa.effective_from,
        effective_to=lpa.effective_to,
        lsoa_count=item.lsoa_count,
        hubs=[hub.code for hub in item.hubs],
    )


def _lsoa(lsoa: LSOA) -> LSOAOut:
    return LSOAOut(
        code=lsoa.code,
        name=lsoa.name,
        residents=lsoa.population,
        residents_0_15=lsoa.population_0_15,
        residents_16_24=lsoa.population_16_24,
    )


def _hub(summary: queries.HubSummary) -> HubOut:
    hub = summary.hub
    return HubOut(
        code=hub.code,
        name=hub.name,
        force_code=hub.force.code,
        base_lpa=hub.base_lpa.code,
        lpas_served=[item.lpa.code for item in summary.lpas],
        residents=summary.residents,
        residents_0_24=summary.residents_0_24,
    )


@router.get("/lpas", response=list[LPAOut], summary="Current local policing areas")
def lpa_list(request: HttpRequest) -> list[LPAOut]:
    return [_lpa(item) for item in queries.lpa_summaries(request.auth)]  # type: ignore[attr-defined]


@router.get("/lpas/{code}", response=LPADetailOut, summary="One LPA with its neighbourhoods (LSOAs)")
def lpa_detail(request: HttpRequest, code: str) -> LPADetailOut:
    user = request.auth  # type: ignore[attr-defined]
    lpa = get_lpa_for(user, code)
    lsoas = [_lsoa(lsoa) for lsoa in queries.lsoas_in(user, lpa).order_by("code")]
    return LPADetailOut(**_lpa(queries.lpa_summary(user, lpa)).model_dump(), lsoas=lsoas)


@router.get("/hubs", response=list[HubOut], summary="SOCEX hubs and the LPAs each serves")
def hub_list(request: HttpRequest) -> list[HubOut]:
    return [_hub(summary) for summary in queries.hub_summaries(request.auth)]  # type: ignore[attr-defined]


@router.get("/hubs/{code}", response=HubOut, summary="One hub")
def hub_detail(request: HttpRequest, code: str) -> HubOut:
    user = request.auth  # type: ignore[attr-defined]
    return _hub(queries.hub_summary(user, get_hub_for(user, code)))
