"""The network endpoints of the API (mounted at /api/v1/intelligence/network/): an entity's
neighbourhood, and how chosen entities are connected.

Police intelligence readers only: for anyone else every entity is a 404, as on the pages. The
same rules and code as the pages: entities through ``get_entity_for`` (the read is audited),
links through ``Link.objects.visible_to`` (restricted reports stay with their team), and the
filters checked by the page's own form. Filtered networks are also audited as searches. Each
link lists the records that support it, best graded first. Bad input is a 422 naming the field
(and the rule, for a grade outside 3x5x2).
"""

# No ``from __future__ import annotations``: django-ninja must see the real types.

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as ApiValidationError

from socex.audit.services import record_search
from socex.intelligence.access import get_entity_for
from socex.intelligence.network import conf
from socex.intelligence.network.analysis import Analysis, Connection, analyse, connecting_network, neighbourhood
from socex.intelligence.network.forms import NetworkFilterForm
from socex.intelligence.network.graph import Network
from socex.intelligence.network.present import NO_METRICS, edge_rows, node_rows, period_text

router = Router()
LINK_TYPE = "intelligence.link"


class SupportOut(Schema):
    kind: str = Field(description="report, or the kind of record another source adds (case)", examples=["report"])
    reference: str = Field(examples=["INT-2026-0000123"])
    url: str = Field(examples=["/intelligence/reports/INT-2026-0000123/"])
    grade: str = Field(
        description="As written: 2B P, or a legacy grade verbatim with (5x5x5); blank if none", examples=["2B P"]
    )
    legacy: bool = Field(description="A legacy 5x5x5 grade, never mapped to 3x5x2")
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str


class NodeOut(Schema):
    id: int = Field(description="The entity id")
    kind: str = Field(examples=["phone"])
    label: str = Field(examples=["07700 900123"])
    url: str = Field(examples=["/intelligence/entities/42/"])
    hops: int | None = Field(description="Links from the nearest chosen entity")
    chosen: bool
    degree: int = Field(description="How many entities it is linked to here")
    pagerank: float
    betweenness: float
    community: int = Field(description="Leiden community, 1 the largest")
    key_node: bool
    key_because: list[str]


class LinkOut(Schema):
    source: int
    target: int
    link_type: str = Field(examples=["uses_phone"])
    label: str = Field(examples=["Uses phone"])
    period: str = Field(examples=["3 March 2026 to now"])
    best_grade: str = Field(description="The best grade among the reports that support it", examples=["2B P"])
    supported_by: list[SupportOut]


class CommunityOut(Schema):
    number: int
    size: int
    members: list[int]


class NetworkOut(Schema):
    truncated: bool = Field(description="The node limit was reached: some entities further out are left out")
    filters: dict[str, str] = Field(description="The filters applied, as shown on the page")
    nodes: list[NodeOut]
    links: list[LinkOut]
    key_nodes: list[int]
    communities: list[CommunityOut]


class NeighbourhoodOut(NetworkOut):
    entity: NodeOut
    hops: int


class PairOut(Schema):
    a: int
    b: int
    links_apart: int | None = Field(description="None: not connected within max_hops")


class ConnectionOut(NetworkOut):
    between: list[int]
    max_hops: int
    exact: bool = Field(description="False if the node limit stopped the search (a shorter path may exist)")
    pairs: list[PairOut]


class NeighbourhoodParams(Schema):
    hops: int = Field(2, ge=1, le=10, description="Links out from the entity (at most SOCEX_NETWORK_MAX_HOPS, 3)")
    date_from: str = Field("", description="Links true on or after this date (2026-03-01 or 1/3/2026)")
    date_to: str = Field("", description="Links true on or before this date")
    link_types: list[str] = Field(default_factory=list, description="Only these link types (all if none)")
    min_grade: str = Field("", description="A 3x5x2 grade such as 2B: links from reports below it are left out")
    include_legacy: bool = Field(False, description="With min_grade, still include legacy 5x5x5 reports")
    expand: list[int] = Field(default_factory=list, description="Entities to expand by one more link")


class ConnectParams(Schema):
    between: list[int] = Field(..., description="Two or more entity ids")
    date_from: str = ""
    date_to: str = ""
    link_types: list[str] = Field(default_factory=list)
    min_grade: str = ""
    include_legacy: bool = False


# The form's field names as the API's query parameters call them.
_FORM_FIELDS = {"link_type": "link_types"}


def _form(params: Any, hops: int | None = None) -> NetworkFilterForm:
    """The page's filter form over the query, or a 422 naming each bad field."""
    if hops is not None and hops > conf.max_hops():
        raise ApiValidationError(
            [{"type": "value_error", "loc": ["query", "hops"], "msg": f"hops must be 1 to {conf.max_hops()}."}]
        )
    data = MultiValueDict(
        {
            "date_from": [params.date_from],
            "date_to": [params.date_to],
            "link_type": list(params.link_types),
            "min_grade": [params.min_grade.strip().upper()],
            "include_legacy": ["on"] if params.include_legacy else [],
            "hops": [str(hops)] if hops else [],
        }
    )
    form = NetworkFilterForm(data)
    if not form.is_valid():
        raise ApiValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["query", _FORM_FIELDS.get(name, name)],
                    "msg": " ".join(str(m) for m in messages),
                }
                for name, messages in form.errors.items()
            ]
        )
    return form


def _node(network: Network, analysis: Analysis, pk: int) -> NodeOut:
    node = network.nodes[pk]
    metrics = analysis.metrics.get(pk, NO_METRICS)
    return NodeOut(
        id=pk,
        kind=node.kind,
        label=node.label,
        url=reverse("intelligence:entity", args=[pk]),
        hops=node.hop,
        chosen=pk in network.seeds,
        degree=metrics.degree,
        pagerank=round(metrics.pagerank, 6),
        betweenness=round(metrics.betweenness, 3),
        community=metrics.community,
        key_node=metrics.key,
        key_because=list(metrics.why_key),
    )


def _network(network: Network, analysis: Analysis, terms: dict[str, str]) -> dict[str, Any]:
    links = []
    for row in edge_rows(network):
        best = row.edge.best
        links.append(
            LinkOut(
                source=row.edge.source,
                target=row.edge.target,
                link_type=row.edge.link_type,
                label=row.edge.label,
                period=period_text(*row.edge.period),
                best_grade=best.grade if best else "",
                supported_by=[
                    SupportOut(
                        kind=s.kind,
                        reference=s.reference,
                        url=s.url,
                        grade=s.grade,
                        legacy=s.legacy,
                        valid_from=s.valid_from,
                        valid_to=s.valid_to,
                        note=s.note,
                    )
                    for s in row.supports
                ],
            )
        )
    return {
        "truncated": network.truncated,
        "filters": terms,
        "nodes": [_node(network, analysis, r.node.id) for r in node_rows(network, analysis)],
        "links": links,
        "key_nodes": analysis.key_nodes,
        "communities": [
            CommunityOut(number=c.number, size=c.size, members=sorted(c.members)) for c in analysis.communities
        ],
    }


@router.get("/entities/{entity_id}/neighbourhood", response=NeighbourhoodOut, summary="An entity's neighbourhood")
def entity_neighbourhood(request: HttpRequest, entity_id: int, params: Query[NeighbourhoodParams]) -> dict[str, Any]:
    """The entities within ``hops`` links of the entity, the links between them and the reports that
    support each link (best graded first), with degree, PageRank, betweenness, Leiden communities and
    the key nodes. Filters: a time window, link types and a minimum 3x5x2 grade."""
    entity = get_entity_for(request.auth, entity_id)  # type: ignore[attr-defined]
    form = _form(params, hops=params.hops)
    expanded = [pk for pk in dict.fromkeys(params.expand) if pk != entity.pk][: conf.max_expanded()]
    network = neighbourhood(
        request.auth,  # type: ignore[attr-defined]
        entity.pk,
        hops=params.hops,
        filters=form.network_filters(),
        expanded=expanded,
    )
    analysis = analyse(network)
    terms = form.terms()
    if expanded:
        terms["Expanded"] = ", ".join(map(str, expanded))
    if terms:
        record_search(record_type=LINK_TYPE, terms={"Network of": entity.label, **terms}, results=len(network.edges))
    return {"entity": _node(network, analysis, entity.pk), "hops": params.hops} | _network(network, analysis, terms)


@router.get("/connect", response=ConnectionOut, summary="How two or more entities are connected")
def connect(request: HttpRequest, params: Query[ConnectParams]) -> dict[str, Any]:
    """The shortest chains of links between the entities (up to SOCEX_NETWORK_PATH_MAX_HOPS, 6),
    joined into one network, with the reports that support every link."""
    chosen = list(dict.fromkeys(params.between))
    if not 2 <= len(chosen) <= conf.max_terminals():
        raise ApiValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["query", "between"],
                    "msg": f"Give between 2 and {conf.max_terminals()} different entity ids.",
                }
            ]
        )
    entities = [get_entity_for(request.auth, pk) for pk in chosen]  # type: ignore[attr-defined]
    form = _form(params)
    result: Connection = connecting_network(request.auth, chosen, filters=form.network_filters())  # type: ignore[attr-defined]
    analysis = analyse(result.network)
    terms = form.terms()
    record_search(
        record_type=LINK_TYPE,
        terms={"Connections between": "; ".join(e.label for e in entities), **terms},
        results=len(result.network.edges),
    )
    return {
        "between": chosen,
        "max_hops": result.max_hops,
        "exact": result.exact,
        "pairs": [PairOut(a=a, b=b, links_apart=hops) for (a, b), hops in sorted(result.distances.items())],
    } | _network(result.network, analysis, terms)
