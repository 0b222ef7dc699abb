"""A network and its analysis as the page, the browser's graph, CSV files and the API show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from socex.core.templatetags.socex import uk_date
from socex.intelligence.network.analysis import Analysis, NodeMetrics
from socex.intelligence.network.graph import Edge, Network, Node
from socex.intelligence.network.sources import Support

NO_METRICS = NodeMetrics(degree=0, pagerank=0.0, betweenness=0.0, community=0)


@dataclass(frozen=True)
class NodeRow:
    node: Node
    metrics: NodeMetrics
    seed: bool

    @property
    def entity_url(self) -> str:
        return reverse("intelligence:entity", args=[self.node.id])


@dataclass(frozen=True)
class EdgeRow:
    edge: Edge
    source: Node
    target: Node

    @property
    def supports(self) -> list[Support]:
        return self.edge.ordered_supports()


def node_rows(network: Network, analysis: Analysis) -> list[NodeRow]:
    """Chosen entities first, then by hops out, then the most central first."""
    seeds = set(network.seeds)
    rows = [NodeRow(node, analysis.metrics.get(pk, NO_METRICS), pk in seeds) for pk, node in network.nodes.items()]
    return sorted(
        rows,
        key=lambda r: (not r.seed, r.node.hop if r.node.hop is not None else 99, -r.metrics.pagerank, r.node.label),
    )


def edge_rows(network: Network) -> list[EdgeRow]:
    rows = [EdgeRow(e, network.nodes[e.source], network.nodes[e.target]) for e in network.edges.values()]
    return sorted(rows, key=lambda r: (r.source.label.casefold(), r.edge.label, r.target.label.casefold()))


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "Dates not recorded"
    return f"{uk_date(start) if start else 'Not known'} to {uk_date(end) if end else 'now'}"


def support_dict(support: Support) -> dict[str, Any]:
    return {
        "kind": support.kind,
        "reference": support.reference,
        "url": support.url,
        "grade": support.grade,
        "legacy": support.legacy,
        "valid_from": support.valid_from.isoformat() if support.valid_from else None,
        "valid_to": support.valid_to.isoformat() if support.valid_to else None,
        "period": period_text(support.valid_from, support.valid_to),
        "note": support.note,
    }


def support_text(support: Support) -> str:
    """E.g. ``INT-2026-0000123 (2B P)``, ``INT-2019-0000007 (B24 (5x5x5))``, ``CASE-2026-000001 (case)``."""
    if support.kind == "report":
        return f"{support.reference} ({support.grade or 'not graded'})"
    return f"{support.reference} ({support.kind})"


def elements(network: Network, analysis: Analysis, *, network_url: str) -> dict[str, Any]:
    """Cytoscape.js elements and a legend, for the browser."""
    seeds = set(network.seeds)
    nodes = []
    for row in node_rows(network, analysis):
        m, node = row.metrics, row.node
        nodes.append(
            {
                "data": {
                    "id": str(node.id),
                    "label": node.label,
                    "kind": node.kind,
                    "kindLabel": node.kind_label,
                    "hop": node.hop,
                    "degree": m.degree,
                    "pagerank": round(m.pagerank, 4),
                    "betweenness": round(m.betweenness, 2),
                    "community": m.community,
                    "key": m.key,
                    "whyKey": list(m.why_key),
                    "seed": node.id in seeds,
                    "url": row.entity_url,
                    "networkUrl": f"{network_url}?entity={node.id}",
                }
            }
        )
    edges = []
    for link in edge_rows(network):
        best = link.edge.best
        edges.append(
            {
                "data": {
                    "id": link.edge.key,
                    "source": str(link.edge.source),
                    "target": str(link.edge.target),
                    "linkType": link.edge.link_type,
                    "label": link.edge.label,
                    "sourceLabel": link.source.label,
                    "targetLabel": link.target.label,
                    "grade": best.grade if best else "",
                    "supports": [support_dict(s) for s in link.supports],
                }
            }
        )
    return {
        "seeds": [str(s) for s in network.seeds],
        "truncated": network.truncated,
        "nodes": nodes,
        "edges": edges,
        "communities": [{"number": c.number, "size": c.size} for c in analysis.communities],
        "keyNodes": [str(pk) for pk in analysis.key_nodes],
    }


def node_csv_rows(network: Network, analysis: Analysis) -> list[list[Any]]:
    return [
        [
            r.node.id,
            r.node.kind_label,
            r.node.label,
            "" if r.node.hop is None else r.node.hop,
            r.metrics.degree,
            f"{r.metrics.pagerank:.6f}",
            f"{r.metrics.betweenness:.2f}",
            r.metrics.community,
            "; ".join(r.metrics.why_key) if r.metrics.key else "",
        ]
        for r in node_rows(network, analysis)
    ]


NODE_CSV_HEADER = [
    "Entity id",
    "Kind",
    "Name",
    "Links from the chosen entity",
    "Linked to (degree)",
    "PageRank",
    "Betweenness",
    "Community",
    "Key node because",
]
EDGE_CSV_HEADER = [
    "From entity id",
    "From",
    "Link",
    "To entity id",
    "To",
    "Period",
    "Best grading",
    "Supported by",
]


def edge_csv_rows(network: Network) -> list[list[Any]]:
    rows = []
    for r in edge_rows(network):
        best = r.edge.best
        rows.append(
            [
                r.source.id,
                r.source.label,
                r.edge.label,
                r.target.id,
                r.target.label,
                period_text(*r.edge.period),
                (best.grade if best and best.kind == "report" else "") if best else "",
                "; ".join(support_text(s) for s in r.supports),
            ]
        )
    return rows
