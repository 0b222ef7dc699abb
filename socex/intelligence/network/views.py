"""The network pages: find an entity, its network (drawn with cytoscape.js, with the same
nodes and links as tables beside it), expanding nodes, filters, CSV exports, how chosen entities
are connected, and the key nodes across the whole network.

Intelligence is police-only: anyone without ``intel.view`` gets a 404 from every page here, as
they would for any intelligence record. Every page starts from ``socex.intelligence.access``
(entities through ``get_entity_for``, which audits the read) and reads only links the user may
see (``Link.objects.visible_to``; restricted reports stay with their team). Filtered networks
and expansions are audited as searches, CSV files as exports.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from socex.audit.listing import audited_csv
from socex.audit.services import record_search
from socex.core.listing import query_without
from socex.intelligence.access import ENTITY_TYPE, can_read_intel, get_entity_for
from socex.intelligence.models import Entity
from socex.intelligence.network import conf, present
from socex.intelligence.network.analysis import Analysis, analyse, connecting_network, neighbourhood, whole_network
from socex.intelligence.network.forms import EntityFindForm, NetworkFilterForm
from socex.intelligence.network.grading import grading_order
from socex.intelligence.network.graph import Network

LINK_TYPE = "intelligence.link"
FIND_PER_PAGE = 25


def _require_reader(request: HttpRequest) -> None:
    """Police intelligence readers only; anyone else is told nothing exists (404)."""
    if not can_read_intel(request.user):
        raise Http404


def _ids(request: HttpRequest, name: str, limit: int) -> list[int]:
    values = []
    for raw in request.GET.getlist(name):
        if raw.strip().isdigit():
            values.append(int(raw))
    return list(dict.fromkeys(values))[:limit]


class _State:
    """One entity's network as the request asks for it: the entity, filters, hops, expansions."""

    def __init__(self, request: HttpRequest, entity_id: int) -> None:
        self.request = request
        self.entity = get_entity_for(request.user, entity_id)
        self.form = NetworkFilterForm(request.GET)
        self.filters = self.form.network_filters()
        self.hops = self.form.chosen_hops()
        self.expanded = [pk for pk in _ids(request, "expand", conf.max_expanded()) if pk != self.entity.pk]
        self.network: Network = neighbourhood(
            request.user, self.entity.pk, hops=self.hops, filters=self.filters, expanded=self.expanded
        )
        self.analysis: Analysis = analyse(self.network)
        terms = self.form.terms()
        if self.expanded:
            labels = [self.network.nodes[pk].label for pk in self.expanded if pk in self.network.nodes]
            terms["Expanded"] = ", ".join(labels) or ", ".join(map(str, self.expanded))
        if terms:
            record_search(
                record_type=LINK_TYPE,
                terms={"Network of": self.entity.label, **terms},
                results=len(self.network.edges),
            )

    @property
    def query(self) -> str:
        return query_without(self.request).rstrip("&")

    def context(self) -> dict[str, Any]:
        base = reverse("network:view")
        return {
            "entity": self.entity,
            "form": self.form,
            "hops": self.hops,
            "expanded": self.expanded,
            "network": self.network,
            "analysis": self.analysis,
            "node_rows": present.node_rows(self.network, self.analysis),
            "edge_rows": present.edge_rows(self.network),
            "elements": present.elements(self.network, self.analysis, network_url=base),
            "query": self.query,
            "grading_rule": grading_order().rule,
            "max_expanded": conf.max_expanded(),
        }


@require_GET
def network_view(request: HttpRequest) -> HttpResponse:
    """With ``?entity=<id>``: that entity's network. Without: find an entity to start from."""
    _require_reader(request)
    raw = request.GET.get("entity", "").strip()
    if not raw:
        return _find(request)
    if not raw.isdigit():
        raise Http404
    state = _State(request, int(raw))
    context = state.context() | {"page_title": f"Network of {state.entity.label}"}
    return render(request, "intelligence/network/entity.html", context)


def _find(request: HttpRequest) -> HttpResponse:
    form = EntityFindForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid() and form.terms():
        entities = Entity.objects.visible_to(request.user).order_by("label", "pk")
        text = form.cleaned_data.get("q", "")
        if text:
            entities = entities.filter(Q(label__icontains=text) | Q(key__icontains=text.replace(" ", "")))
        if form.cleaned_data.get("kind"):
            entities = entities.filter(kind=form.cleaned_data["kind"])
        page = Paginator(entities, FIND_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        record_search(record_type=ENTITY_TYPE, terms=form.terms(), results=page.paginator.count)
    context = {
        "page_title": "Network",
        "form": form,
        "page_obj": page,
        "query_without_page": query_without(request, "page"),
        "max_terminals": conf.max_terminals(),
    }
    return render(request, "intelligence/network/find.html", context)


def _entity_id(request: HttpRequest) -> int:
    raw = request.GET.get("entity", "").strip()
    if not raw.isdigit():
        raise Http404
    return int(raw)


@require_GET
def network_data(request: HttpRequest) -> JsonResponse:
    """The network as cytoscape.js elements, and the tables beside it, for expanding a node."""
    _require_reader(request)
    state = _State(request, _entity_id(request))
    context = state.context()
    data = context["elements"] | {
        "query": state.query,
        "tablesHtml": render_to_string("intelligence/network/_tables.html", context, request=request),
        "summaryHtml": render_to_string("intelligence/network/_summary.html", context, request=request),
    }
    return JsonResponse(data)


@require_GET
def network_export(request: HttpRequest, what: str) -> StreamingHttpResponse:
    """The network's entities or its links as CSV (audited as an export)."""
    _require_reader(request)
    state = _State(request, _entity_id(request))
    filters = {"Network of": state.entity.label, **state.form.terms()}
    if state.expanded:
        filters["Expanded"] = ", ".join(str(pk) for pk in state.expanded)
    slug = f"network-{state.entity.pk}"
    if what == "nodes":
        rows = present.node_csv_rows(state.network, state.analysis)
        return audited_csv(
            filename=f"{slug}-entities.csv",
            header=present.NODE_CSV_HEADER,
            rows=rows,
            count=len(rows),
            record_type=ENTITY_TYPE,
            filters=filters,
        )
    if what == "links":
        rows = present.edge_csv_rows(state.network)
        return audited_csv(
            filename=f"{slug}-links.csv",
            header=present.EDGE_CSV_HEADER,
            rows=rows,
            count=len(rows),
            record_type=LINK_TYPE,
            filters=filters,
        )
    raise Http404


@require_GET
def network_connect(request: HttpRequest) -> HttpResponse:
    """How two or more chosen entities are connected (``?between=<id>&between=<id>...``)."""
    _require_reader(request)
    chosen = _ids(request, "between", conf.max_terminals() + 1)
    too_many = len(chosen) > conf.max_terminals()
    entities = [get_entity_for(request.user, pk) for pk in chosen[: conf.max_terminals()]]
    form = NetworkFilterForm(request.GET)
    filters = form.network_filters()
    context: dict[str, Any] = {
        "page_title": "How they are connected",
        "entities": entities,
        "form": form,
        "too_many": too_many,
        "max_terminals": conf.max_terminals(),
        "path_max_hops": conf.path_max_hops(),
    }
    if len(entities) >= 2 and form.is_valid():
        connection = connecting_network(request.user, [e.pk for e in entities], filters=filters)
        analysis = analyse(connection.network)
        labels = {e.pk: e.label for e in entities}
        record_search(
            record_type=LINK_TYPE,
            terms={"Connections between": "; ".join(labels.values()), **form.terms()},
            results=len(connection.network.edges),
        )
        context |= {
            "connection": connection,
            "pairs": [(labels[a], labels[b], hops) for (a, b), hops in sorted(connection.distances.items())],
            "network": connection.network,
            "analysis": analysis,
            "node_rows": present.node_rows(connection.network, analysis),
            "edge_rows": present.edge_rows(connection.network),
            "elements": present.elements(connection.network, analysis, network_url=reverse("network:view")),
        }
    return render(request, "intelligence/network/connect.html", context)


@require_GET
def network_whole(request: HttpRequest) -> HttpResponse:
    """Key nodes, components and communities across everything the user may see (on request:
    over millions of links this takes seconds)."""
    _require_reader(request)
    form = NetworkFilterForm(request.GET)
    context: dict[str, Any] = {"page_title": "Key nodes across the network", "form": form}
    if request.GET.get("run") and form.is_valid():
        result = whole_network(request.user, filters=form.network_filters(), top=20)
        ids = {r.entity_id for r in [*result.pagerank, *result.degree, *result.betweenness]}
        labels = dict(Entity.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", "label"))
        record_search(
            record_type=LINK_TYPE,
            terms={"Whole network": "key nodes", **form.terms()},
            results=result.links,
        )
        context |= {"result": result, "labels": labels}
    return render(request, "intelligence/network/whole.html", context)
