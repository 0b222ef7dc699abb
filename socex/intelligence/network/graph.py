"""Building the network a user may see, from the database.

Two ways in, for two sizes of question:

* :func:`expand` grows a neighbourhood outwards from chosen entities, one hop per query, over
  the ``Link(source, target)`` and ``Link(target, source)`` indexes. It reads only the links
  around the entities asked about, never the whole graph, so it stays fast on millions of
  links. This is what the network page, the API and path finding use.
* :func:`whole_edges` reads every link the user may see as two numpy arrays of vertex numbers
  (PostgreSQL: a binary ``COPY``; SQLite: a streamed cursor), for whole-network analysis in
  igraph (components, PageRank, communities).

Both start from ``Link.objects.visible_to(user)`` (restricted reports are left out for anyone
outside their team), apply the :class:`NetworkFilters`, and add the edges of every registered
edge source (cases, and later investigations), which start from their own ``visible_to``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse

from socex.intelligence.models import Entity, GradingScheme, Link
from socex.intelligence.network import conf
from socex.intelligence.network.filters import NetworkFilters, annotate_start
from socex.intelligence.network.grading import grading_order
from socex.intelligence.network.sources import EdgeRequest, ExtraEdge, Support, extra_edges, extra_link_types
from socex.intelligence.rules import grade_label

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User

# Ids per IN (...) list: far inside SQLite's limit on query parameters.
CHUNK = 4000
LINK_COLUMNS = (
    "source_id",
    "target_id",
    "link_type",
    "valid_from",
    "valid_to",
    "report__reference",
    "report__grading_scheme",
    "report__source_evaluation",
    "report__intelligence_assessment",
    "report__handling_code",
    "report__legacy_grading",
)


@dataclass(frozen=True)
class Node:
    id: int
    kind: str
    label: str
    hop: int | None
    """Links from the nearest chosen entity, as found (None when not found by expanding)."""
    person_id: int | None = None
    group_id: int | None = None

    @property
    def kind_label(self) -> str:
        from socex.intelligence.models import EntityKind

        return str(EntityKind(self.kind).label) if self.kind in EntityKind.values else self.kind


@dataclass
class Edge:
    """The links of one type from one entity to another, with every record that supports them."""

    source: int
    target: int
    link_type: str
    supports: list[Support] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.source}-{self.target}-{self.link_type}"

    @property
    def label(self) -> str:
        return link_type_label(self.link_type)

    def ordered_supports(self) -> list[Support]:
        return sorted(self.supports, key=Support.sort_key)

    @property
    def best(self) -> Support | None:
        ordered = self.ordered_supports()
        return ordered[0] if ordered else None

    @property
    def period(self) -> tuple[dt.date | None, dt.date | None]:
        starts = [s.valid_from for s in self.supports]
        ends = [s.valid_to for s in self.supports]
        start = None if any(d is None for d in starts) else min(d for d in starts if d)
        end = None if any(d is None for d in ends) else max(d for d in ends if d)
        return start, end


@dataclass
class Network:
    nodes: dict[int, Node]
    edges: dict[Any, Edge]
    """Keyed by (source, target, link type)."""
    seeds: list[int]
    filters: NetworkFilters
    truncated: bool = False
    """The node limit was reached: some neighbours were left out."""

    def pairs(self) -> list[tuple[int, int]]:
        """Each pair of linked entities once (smaller id first), for analysis."""
        return sorted({(min(e.source, e.target), max(e.source, e.target)) for e in self.edges.values()})

    def edges_between(self, a: int, b: int) -> list[Edge]:
        return [e for e in self.edges.values() if {e.source, e.target} == {a, b}]

    def sub(self, node_ids: Iterable[int], pairs: Iterable[tuple[int, int]] | None = None) -> Network:
        """The part of this network on ``node_ids`` (only the ``pairs`` given, if any)."""
        keep = set(node_ids)
        wanted = None if pairs is None else {(min(a, b), max(a, b)) for a, b in pairs}
        edges = {
            key: edge
            for key, edge in self.edges.items()
            if edge.source in keep
            and edge.target in keep
            and (wanted is None or (min(edge.source, edge.target), max(edge.source, edge.target)) in wanted)
        }
        nodes = {pk: node for pk, node in self.nodes.items() if pk in keep}
        return Network(nodes, edges, [s for s in self.seeds if s in keep], self.filters, self.truncated)


def link_type_labels() -> dict[str, str]:
    from socex.intelligence.models import LinkType

    return {**dict(LinkType.choices), **extra_link_types()}


def link_type_label(code: str) -> str:
    return link_type_labels().get(code, code.replace("_", " ").capitalize())


# --- Reading links ---------------------------------------------------------------------------------


def visible_links(user: User | AnonymousUser, filters: NetworkFilters) -> QuerySet[Link]:
    """The intelligence links ``user`` may see that pass ``filters``."""
    links = Link.objects.visible_to(user)
    if filters.needs_start:
        links = annotate_start(links)
    return links.filter(filters.link_q())


def _chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _id_list(ids: Iterable[int]) -> str:
    # The ids are integers this module read from the database, written into the SQL as numbers:
    # Django would otherwise prepare each of a thousand values one by one, which costs more than
    # the query itself on a 2-hop network.
    return ", ".join(str(int(pk)) for pk in ids) or "NULL"


def _where(sql: str) -> RawSQL:
    return RawSQL(sql, [], output_field=BooleanField())  # noqa: S611 (only integers and names, see _id_list)


def _rows_touching(links: QuerySet[Link], ids: set[int]) -> list[tuple[Any, ...]]:
    table = connection.ops.quote_name(Link._meta.db_table)
    rows: list[tuple[Any, ...]] = []
    for chunk in _chunks(ids):
        listed = _id_list(chunk)
        touching = _where(f"({table}.source_id IN ({listed}) OR {table}.target_id IN ({listed}))")
        rows.extend(links.filter(touching).values_list(*LINK_COLUMNS))
    return rows


def _rows_among(links: QuerySet[Link], ids: set[int]) -> list[tuple[Any, ...]]:
    table = connection.ops.quote_name(Link._meta.db_table)
    every = _id_list(sorted(ids))
    rows: list[tuple[Any, ...]] = []
    for chunk in _chunks(ids):
        among = _where(f"({table}.source_id IN ({_id_list(chunk)}) AND {table}.target_id IN ({every}))")
        rows.extend(links.filter(among).values_list(*LINK_COLUMNS))
    return rows


class _Builder:
    """Collects link rows and extra edges, then makes the :class:`Network`."""

    def __init__(self, user: User | AnonymousUser, filters: NetworkFilters) -> None:
        self.user = user
        self.filters = filters
        self.links = visible_links(user, filters)
        self.rows: set[tuple[Any, ...]] = set()
        self.extra: set[ExtraEdge] = set()
        self.hop: dict[int, int] = {}
        self.loaded: set[int] = set()
        self.truncated = False

    def touching(self, ids: set[int]) -> list[tuple[int, int]]:
        """Read every edge touching ``ids``; return them as (source, target) pairs."""
        ids = ids - self.loaded
        if not ids:
            return []
        self.loaded |= ids
        rows = _rows_touching(self.links, ids)
        extra = extra_edges(self.user, EdgeRequest(frozenset(ids), self.filters))
        self.rows.update(rows)
        self.extra.update(extra)
        return [(row[0], row[1]) for row in rows] + [(edge.source, edge.target) for edge in extra]

    def grow(self, ids: set[int], depth: int, limit: int) -> set[int]:
        """One hop out from ``ids``: the new neighbours (most linked first, up to the limit)."""
        counts: Counter[int] = Counter()
        for a, b in self.touching(ids):
            for end in (a, b):
                if end not in self.hop:
                    counts[end] += 1
        new = sorted(counts, key=lambda pk: (-counts[pk], pk))
        room = limit - len(self.hop)
        if len(new) > room:
            new = new[: max(room, 0)]
            self.truncated = True
        for pk in new:
            self.hop[pk] = depth
        return set(new)

    def close(self) -> None:
        """Read the edges between nodes whose links were not read (the outermost ring)."""
        rest = set(self.hop) - self.loaded
        if not rest:
            return
        self.rows.update(_rows_among(self.links, rest))
        extra = extra_edges(self.user, EdgeRequest(frozenset(rest), self.filters))
        self.extra.update(edge for edge in extra if edge.source in rest and edge.target in rest)

    def network(self, seeds: Sequence[int]) -> Network:
        present = self.hop
        edges: dict[Any, Edge] = {}
        order = grading_order()
        url_of = _report_url_maker()
        grades: dict[tuple[str, str, str, str, str], tuple[str, int | None, bool]] = {}
        for row in self.rows:
            source, target, link_type, valid_from, valid_to, reference, *grading = row
            if source not in present or target not in present:
                continue
            key = tuple(grading)
            grade = grades.get(key)  # type: ignore[arg-type]
            if grade is None:
                scheme, s_eval, assessment, handling, old = grading
                grade = grades[key] = (  # type: ignore[index]
                    grade_label(scheme=scheme, source=s_eval, assessment=assessment, handling=handling, legacy=old),
                    order.rank(s_eval, assessment) if scheme == GradingScheme.THREE_FIVE_TWO else None,
                    scheme == GradingScheme.FIVE_FIVE_FIVE,
                )
            support = Support("report", reference, url_of(reference), *grade, valid_from, valid_to)
            _add(edges, source, target, link_type, support)
        for extra in self.extra:
            if extra.source in present and extra.target in present:
                _add(edges, extra.source, extra.target, extra.link_type, extra.support)
        for edge in edges.values():
            if len(edge.supports) > 1:
                edge.supports = list(dict.fromkeys(edge.supports))
        nodes = _nodes(present)
        return Network(nodes, edges, [s for s in seeds if s in nodes], self.filters, self.truncated)


def _add(edges: dict[Any, Edge], source: int, target: int, link_type: str, support: Support) -> None:
    key = (source, target, link_type)
    edge = edges.get(key)
    if edge is None:
        edge = edges[key] = Edge(source, target, link_type)
    edge.supports.append(support)


def _report_url_maker() -> Any:
    marker = "REFERENCE-MARKER"
    template = reverse("intelligence:report", args=[marker])
    return lambda reference: template.replace(marker, reference)


def _nodes(hop: dict[int, int]) -> dict[int, Node]:
    nodes = {}
    for chunk in _chunks(hop):
        for pk, kind, label, person_id, group_id in Entity.objects.filter(pk__in=chunk).values_list(
            "pk", "kind", "label", "person_id", "group_id"
        ):
            nodes[pk] = Node(pk, kind, label, hop.get(pk), person_id, group_id)
    return nodes


def expand(
    user: User | AnonymousUser,
    seeds: Sequence[int],
    *,
    hops: int,
    filters: NetworkFilters,
    expanded: Sequence[int] = (),
    max_nodes: int | None = None,
) -> Network:
    """The network within ``hops`` links of ``seeds``, plus one hop around each of ``expanded``.

    Each hop is one indexed query for the links touching the newest ring of nodes; a last query
    reads the links between nodes of the outermost ring. Only links the user may see and that
    pass the filters are followed. The network stops at ``max_nodes`` (``SOCEX_NETWORK_MAX_NODES``):
    the neighbours with most links to what is already there are kept, and ``truncated`` is set.
    """
    limit = max_nodes or conf.max_nodes()
    builder = _Builder(user, filters)
    for seed in seeds:
        builder.hop.setdefault(seed, 0)
    frontier = set(builder.hop)
    for depth in range(1, hops + 1):
        frontier = builder.grow(frontier, depth, limit)
        if not frontier:
            break
    for pk in expanded:
        if pk in builder.hop and pk not in builder.loaded:
            builder.grow({pk}, builder.hop[pk] + 1, limit)
    builder.close()
    return builder.network(seeds)


# --- The whole network, for analysis in bulk ------------------------------------------------------------------


@dataclass
class EdgeArrays:
    """Every visible link as vertex numbers: ``sources[i]`` to ``targets[i]``; ``entity_ids[v]`` is
    the entity of vertex ``v``. Parallel links are kept (see :func:`simple_pairs`)."""

    entity_ids: np.ndarray
    sources: np.ndarray
    targets: np.ndarray
    links_read: int

    @property
    def vertex_count(self) -> int:
        return int(self.entity_ids.size)


def _pg_copy_pairs(sql: str, params: Sequence[Any]) -> np.ndarray:
    """Run ``sql`` (two bigint columns) through a binary COPY: about 26 bytes a row, no Python objects."""
    # compose_sql exists on the PostgreSQL backend only (this runs only there).
    composed = connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined]
    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY ({composed}) TO STDOUT (FORMAT BINARY)") as copy:
            for block in copy:
                chunks.append(bytes(block))
    data = b"".join(chunks)
    # Header: 11-byte signature, 4-byte flags, 4-byte extension length (0); trailer: int16 -1.
    extension = int.from_bytes(data[15:19], "big")
    body = memoryview(data)[19 + extension : len(data) - 2]
    row = np.dtype([("fields", ">i2"), ("len_a", ">i4"), ("a", ">i8"), ("len_b", ">i4"), ("b", ">i8")])
    rows = np.frombuffer(body, dtype=row)
    return np.column_stack([rows["a"].astype(np.int64), rows["b"].astype(np.int64)])


def _cursor_pairs(sql: str, params: Sequence[Any]) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        flat = np.fromiter(itertools.chain.from_iterable(cursor), dtype=np.int64)
    return flat.reshape(-1, 2)


def read_pairs(links: QuerySet[Link]) -> np.ndarray:
    """``(source_id, target_id)`` of every link in ``links`` as an (n, 2) int64 array."""
    try:
        sql, params = links.values_list("source_id", "target_id").query.sql_with_params()
    except EmptyResultSet:  # e.g. ``Link.objects.none()`` for someone who may not read intelligence
        return np.zeros((0, 2), dtype=np.int64)
    if connection.vendor == "postgresql":
        return _pg_copy_pairs(sql, params)
    return _cursor_pairs(sql, params)


def whole_edges(user: User | AnonymousUser, filters: NetworkFilters) -> EdgeArrays:
    """Every link ``user`` may see that passes ``filters``, plus the registered sources' edges."""
    pairs = read_pairs(visible_links(user, filters).order_by())
    extra = extra_edges(user, EdgeRequest(None, filters))
    if extra:
        pairs = np.vstack([pairs, np.array([(e.source, e.target) for e in extra], dtype=np.int64)])
    return number_vertices(pairs)


def number_vertices(pairs: np.ndarray) -> EdgeArrays:
    """Entity ids to vertex numbers 0..n-1 (a lookup table when ids are dense, else a sort)."""
    if pairs.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return EdgeArrays(empty, empty, empty, 0)
    top = int(pairs.max())
    if top <= 8 * pairs.shape[0] + 1_000_000:
        present = np.zeros(top + 1, dtype=bool)
        present[pairs[:, 0]] = True
        present[pairs[:, 1]] = True
        entity_ids = np.flatnonzero(present)
        lookup = np.full(top + 1, -1, dtype=np.int64)
        lookup[entity_ids] = np.arange(entity_ids.size)
        numbered = lookup[pairs]
    else:
        entity_ids, inverse = np.unique(pairs, return_inverse=True)
        numbered = inverse.reshape(pairs.shape)
    return EdgeArrays(entity_ids, numbered[:, 0], numbered[:, 1], int(pairs.shape[0]))


def simple_pairs(arrays: EdgeArrays) -> np.ndarray:
    """Each linked pair of vertices once, smaller first: the simple undirected graph's edges."""
    n = max(arrays.vertex_count, 1)
    keys = np.minimum(arrays.sources, arrays.targets) * n + np.maximum(arrays.sources, arrays.targets)
    # Sort and drop repeats: np.unique does the same but was seven times slower here at 5M links.
    keys.sort()
    if keys.size:
        first = np.empty(keys.size, dtype=bool)
        first[0] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        keys = keys[first]
    return np.column_stack([keys // n, keys % n])
