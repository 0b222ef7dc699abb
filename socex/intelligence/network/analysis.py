"""Network analysis over the people, phones, vehicles, places and lines in intelligence.

* :func:`neighbourhood`: the entities within N links of an entity, in a time window, read with
  indexed queries around the entity (never a whole-graph load);
* :func:`shortest_path` and :func:`connecting_network`: how two or more chosen entities are
  connected (the union of shortest paths, joined as a Steiner tree approximation);
* :func:`analyse`: key nodes (degree, PageRank, betweenness) and communities (Leiden,
  modularity) of a network already read;
* :func:`whole_network`: components, PageRank, approximate betweenness and communities of
  everything the user may see, from numpy arrays into igraph.

Every result keeps its :class:`~socex.intelligence.network.graph.Edge` objects, each with the
reports (and other records) that support it and their grading, so every answer can say why.

Analysis treats the network as a simple undirected graph: two entities are linked once however
many links (of whatever types and directions) join them. Direction matters when a person reads
a link ("recruited by") but not to who is central or who clusters together.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import random
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from socex.intelligence.network import conf
from socex.intelligence.network.filters import NetworkFilters
from socex.intelligence.network.graph import EdgeArrays, Network, expand, simple_pairs, whole_edges

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User

_RNG_LOCK = threading.Lock()
SEED = 20_240_601


@contextlib.contextmanager
def _seeded() -> Iterator[None]:
    """Run igraph's randomised algorithms (Leiden) from a fixed seed, so the same network always
    gets the same communities; igraph's generator is global, hence the lock."""
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(SEED))  # noqa: S311 (layout of communities, not security)
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


# --- Graphs ---------------------------------------------------------------------------------------


def graph_of(network: Network) -> tuple[ig.Graph, list[int]]:
    """The simple undirected igraph of ``network`` and the entity id of each vertex."""
    ids = sorted(network.nodes)
    index = {pk: position for position, pk in enumerate(ids)}
    pairs = [(index[a], index[b]) for a, b in network.pairs() if a in index and b in index]
    return ig.Graph(n=len(ids), edges=pairs), ids


def neighbourhood(
    user: User | AnonymousUser,
    entity_id: int,
    *,
    hops: int | None = None,
    filters: NetworkFilters | None = None,
    expanded: Sequence[int] = (),
) -> Network:
    """The entities within ``hops`` links of ``entity_id`` (and one hop round each ``expanded``)."""
    hops = max(1, min(hops or conf.default_hops(), conf.max_hops()))
    return expand(user, [entity_id], hops=hops, filters=filters or NetworkFilters(), expanded=expanded)


# --- Key nodes and communities ---------------------------------------------------------------------


@dataclass(frozen=True)
class NodeMetrics:
    degree: int
    pagerank: float
    betweenness: float
    community: int
    """1 for the largest community, 2 for the next..."""
    key: bool = False
    why_key: tuple[str, ...] = ()


@dataclass
class Community:
    number: int
    members: list[int]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class Analysis:
    metrics: dict[int, NodeMetrics]
    communities: list[Community]
    key_nodes: list[int]
    modularity: float | None

    def community_of(self, pk: int) -> int | None:
        found = self.metrics.get(pk)
        return found.community if found else None


def communities_of(graph: ig.Graph) -> list[int]:
    """Leiden communities (modularity), numbered 1.. by size, largest first (ties: lowest vertex)."""
    if graph.vcount() == 0:
        return []
    with _seeded():
        membership = graph.community_leiden(objective_function="modularity", n_iterations=-1).membership
    groups: dict[int, list[int]] = {}
    for vertex, group in enumerate(membership):
        groups.setdefault(group, []).append(vertex)
    ranked = sorted(groups.values(), key=lambda members: (-len(members), members[0]))
    numbers = {}
    for number, members in enumerate(ranked, start=1):
        for vertex in members:
            numbers[vertex] = number
    return [numbers[vertex] for vertex in range(graph.vcount())]


def key_count(vertex_count: int) -> int:
    """How many key nodes to mark: ``SOCEX_NETWORK_KEY_NODES``, but no more than one in five."""
    return min(conf.key_nodes(), max(1, math.ceil(vertex_count / 5))) if vertex_count else 0


def _top(values: Sequence[float], count: int) -> list[int]:
    order = sorted(range(len(values)), key=lambda v: (-values[v], v))
    return [v for v in order[:count] if values[v] > 0]


def analyse(network: Network, *, betweenness_cutoff: int | None = None) -> Analysis:
    """Degree, PageRank, betweenness and Leiden communities of every node; the key nodes.

    Key nodes are the top ``key_count`` by PageRank (well connected to the well connected), of
    those above the average, and the top by betweenness (on the paths between others: brokers
    between groups). Betweenness
    is exact unless ``betweenness_cutoff`` is given (paths longer than it are ignored).
    """
    graph, ids = graph_of(network)
    n = graph.vcount()
    if n == 0:
        return Analysis({}, [], [], None)
    degree = graph.degree()
    pagerank = graph.pagerank()
    betweenness = graph.betweenness(cutoff=betweenness_cutoff) if graph.ecount() else [0.0] * n
    membership = communities_of(graph)
    count = key_count(n)
    reasons: dict[int, list[str]] = {}
    # Above the average PageRank (1/n) only: in a star the leaves tie, and none of them is key.
    for vertex in _top([p if p > 1 / n + 1e-12 else 0.0 for p in pagerank], count) if graph.ecount() else []:
        reasons.setdefault(vertex, []).append("highest PageRank")
    for vertex in _top(betweenness, count):
        reasons.setdefault(vertex, []).append("lies on many paths between others")
    metrics = {
        ids[v]: NodeMetrics(
            degree=degree[v],
            pagerank=pagerank[v],
            betweenness=betweenness[v],
            community=membership[v],
            key=v in reasons,
            why_key=tuple(reasons.get(v, ())),
        )
        for v in range(n)
    }
    communities: dict[int, list[int]] = {}
    for v in range(n):
        communities.setdefault(membership[v], []).append(ids[v])
    modularity = graph.modularity([m - 1 for m in membership]) if graph.ecount() else None
    key_nodes = sorted((ids[v] for v in reasons), key=lambda pk: (-metrics[pk].pagerank, pk))
    return Analysis(
        metrics,
        [Community(number, members) for number, members in sorted(communities.items())],
        key_nodes,
        modularity,
    )


# --- Paths between chosen entities ---------------------------------------------------------------


@dataclass
class Connection:
    """How chosen entities are connected: the network joining them, and each pair's distance."""

    terminals: list[int]
    network: Network
    distances: dict[tuple[int, int], int | None]
    """Links between each pair (smaller id first); None when not connected within the limit."""
    max_hops: int
    exact: bool = True
    """False when the node limit stopped the search: a path found may not be the shortest."""

    @property
    def unconnected(self) -> list[tuple[int, int]]:
        return [pair for pair, hops in self.distances.items() if hops is None]


def _path_pairs(graph: ig.Graph, ids: list[int], a: int, b: int) -> list[tuple[int, int]] | None:
    index = {pk: v for v, pk in enumerate(ids)}
    path = graph.get_shortest_path(index[a], index[b])
    if not path:
        return None
    return [(ids[x], ids[y]) for x, y in itertools.pairwise(path)]


def connecting_network(
    user: User | AnonymousUser,
    entity_ids: Sequence[int],
    *,
    filters: NetworkFilters | None = None,
    max_hops: int | None = None,
) -> Connection:
    """The network that joins ``entity_ids``: a shortest path between each pair that is needed.

    The search grows a ring round every chosen entity at once, one hop at a time, reading only
    those links. With rings of radius r, every path of up to 2r + 1 links is inside what was
    read, so a pair found at that distance or less has its true shortest path. When every pair
    is settled (or ``max_hops`` is reached) the pairs' shortest paths are joined along a
    minimum spanning tree of their distances: a Steiner tree approximation (at most twice the
    size of the smallest network joining them), which for two entities is their shortest path.
    """
    terminals = list(dict.fromkeys(entity_ids))
    filters = filters or NetworkFilters()
    limit = max_hops or conf.path_max_hops()
    pairs = [(min(a, b), max(a, b)) for a, b in itertools.combinations(terminals, 2)]
    radius = 0
    network = expand(user, terminals, hops=0, filters=filters)
    distances: dict[tuple[int, int], int | None] = dict.fromkeys(pairs)
    while True:
        graph, ids = graph_of(network)
        index = {pk: v for v, pk in enumerate(ids)}
        settled = True
        for a, b in pairs:
            if a not in index or b not in index:
                distances[(a, b)] = None
                continue
            hops = graph.distances(index[a], index[b])[0][0]
            found = None if math.isinf(hops) else int(hops)
            distances[(a, b)] = found if found is not None and found <= limit else None
            if found is None or found > 2 * radius + 1:
                settled = False
        if settled or 2 * radius + 1 >= limit or network.truncated:
            break
        radius += 1
        network = expand(user, terminals, hops=radius, filters=filters)
    graph, ids = graph_of(network)
    used: set[tuple[int, int]] = set()
    nodes: set[int] = {t for t in terminals if t in network.nodes}
    tree = ig.Graph(n=len(terminals))
    weights = []
    for a, b in pairs:
        if distances[(a, b)] is not None:
            tree.add_edge(terminals.index(a), terminals.index(b))
            weights.append(distances[(a, b)])
    for edge in tree.spanning_tree(weights=weights or None).es if tree.ecount() else []:
        a, b = terminals[edge.source], terminals[edge.target]
        for x, y in _path_pairs(graph, ids, a, b) or []:
            used.add((min(x, y), max(x, y)))
            nodes.update((x, y))
    joined = network.sub(nodes, used)
    return Connection(terminals, joined, distances, limit, exact=not network.truncated)


def shortest_path(
    user: User | AnonymousUser, a: int, b: int, *, filters: NetworkFilters | None = None, max_hops: int | None = None
) -> Connection:
    """The shortest path between two entities (see :func:`connecting_network`)."""
    return connecting_network(user, [a, b], filters=filters, max_hops=max_hops)


# --- The whole network --------------------------------------------------------------------------


@dataclass
class Ranked:
    entity_id: int
    value: float


@dataclass
class WholeNetwork:
    vertices: int
    links: int
    edges: int
    """Linked pairs (parallel links counted once)."""
    components: int
    largest_component: int
    pagerank: list[Ranked]
    degree: list[Ranked]
    betweenness: list[Ranked] = field(default_factory=list)
    betweenness_sampled: int | None = None
    """Estimated from shortest paths out of this many sampled entities (None: exact)."""
    communities: int | None = None
    largest_community: int | None = None
    detail_skipped: bool = False
    """Too large for communities and betweenness (``SOCEX_NETWORK_WHOLE_DETAIL_MAX_EDGES``)."""
    timings: dict[str, float] = field(default_factory=dict)


def build_graph(arrays: EdgeArrays) -> ig.Graph:
    """The simple undirected igraph of every visible link (parallel links counted once)."""
    return ig.Graph(n=arrays.vertex_count, edges=simple_pairs(arrays))


def _ranked(arrays: EdgeArrays, values: Sequence[float] | np.ndarray, top: int) -> list[Ranked]:
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return []
    order = np.argsort(-values, kind="stable")[:top]
    return [Ranked(int(arrays.entity_ids[v]), float(values[v])) for v in order]


EXACT_BETWEENNESS_MAX = 5000


def _betweenness(graph: ig.Graph) -> tuple[list[float], int | None]:
    """Exact betweenness on a small graph; on a large one, an estimate from the shortest paths out of
    ``SOCEX_NETWORK_BETWEENNESS_SAMPLES`` random sources, scaled up (Brandes and Pich's method)."""
    n = graph.vcount()
    samples = conf.betweenness_samples()
    if n <= EXACT_BETWEENNESS_MAX or samples >= n:
        return graph.betweenness(), None
    rng = np.random.default_rng(SEED)
    sources = rng.choice(n, size=samples, replace=False).tolist()
    scale = n / samples
    return [value * scale for value in graph.betweenness(sources=sources)], samples


def whole_network(
    user: User | AnonymousUser,
    *,
    filters: NetworkFilters | None = None,
    top: int = 20,
    betweenness: bool = True,
    communities: bool = True,
) -> WholeNetwork:
    """Components, PageRank and degree over every link ``user`` may see; and, unless turned off or
    the network is too large (``SOCEX_NETWORK_WHOLE_DETAIL_MAX_EDGES``), betweenness (estimated from
    sampled sources on a large network) and Leiden communities. ``timings`` says how long each step
    took, in seconds."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    arrays = whole_edges(user, filters or NetworkFilters())
    timings["read"] = time.perf_counter() - started
    result = analyse_arrays(arrays, top=top, betweenness=betweenness, communities=communities, timings=timings)
    return result


@dataclass
class SparseGraph:
    """The simple undirected graph of the whole network as the upper triangle of its adjacency
    matrix (scipy CSR): each linked pair once, smaller vertex first."""

    upper: sp.csr_matrix
    pairs: np.ndarray

    @property
    def vertex_count(self) -> int:
        return int(self.upper.shape[0])

    @property
    def edge_count(self) -> int:
        return int(self.pairs.shape[0])

    def degree(self) -> np.ndarray:
        n = self.vertex_count
        return np.bincount(self.pairs[:, 0], minlength=n) + np.bincount(self.pairs[:, 1], minlength=n)

    def spread(self, values: np.ndarray) -> np.ndarray:
        """For each vertex, the sum of ``values`` over its neighbours (A @ values, A symmetric)."""
        return self.upper @ values + self.upper.T @ values


def sparse_graph(arrays: EdgeArrays) -> SparseGraph:
    """Straight from the numpy arrays, never through Python objects (igraph's constructor reads an
    edge list one Python pair at a time: seconds at five million links). The pairs come sorted, so
    the CSR index is a running count of each row's length."""
    pairs = simple_pairs(arrays)
    n = arrays.vertex_count
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs[:, 0], minlength=n), out=indptr[1:])
    upper = sp.csr_matrix((np.ones(pairs.shape[0], dtype=np.float64), pairs[:, 1], indptr), shape=(n, n))
    return SparseGraph(upper, pairs)


def component_sizes(graph: SparseGraph) -> np.ndarray:
    if graph.vertex_count == 0:
        return np.zeros(0, dtype=np.int64)
    _, labels = csgraph.connected_components(graph.upper, directed=False)
    return np.bincount(labels)


def pagerank(graph: SparseGraph, *, damping: float = 0.85, tolerance: float = 1e-10, max_iter: int = 500) -> np.ndarray:
    """PageRank by power iteration on the CSR matrix: the same definition as igraph's (an entity
    with no links spreads its rank evenly), iterated until the ranks move by less than
    ``tolerance`` in total. The tests check it against igraph (PRPACK) and networkx."""
    n = graph.vertex_count
    if n == 0:
        return np.zeros(0)
    degree = graph.degree().astype(np.float64)
    inverse = np.divide(1.0, degree, out=np.zeros(n), where=degree > 0)
    dangling = degree == 0
    ranks = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        following = damping * graph.spread(ranks * inverse)
        following += (damping * ranks[dangling].sum() + 1.0 - damping) / n
        change = np.abs(following - ranks).sum()
        ranks = following
        if change < tolerance:
            break
    return ranks / ranks.sum()


def analyse_arrays(
    arrays: EdgeArrays,
    *,
    top: int = 20,
    betweenness: bool = True,
    communities: bool = True,
    timings: dict[str, float] | None = None,
) -> WholeNetwork:
    """Components, PageRank and degree on a sparse matrix (numpy and scipy, no per-edge Python
    work); betweenness and Leiden communities in igraph when the network is small enough."""
    timings = timings if timings is not None else {}
    clock = time.perf_counter()
    graph = sparse_graph(arrays)
    timings["build"] = time.perf_counter() - clock
    clock = time.perf_counter()
    sizes = component_sizes(graph)
    timings["components"] = time.perf_counter() - clock
    clock = time.perf_counter()
    ranks = pagerank(graph)
    timings["pagerank"] = time.perf_counter() - clock
    result = WholeNetwork(
        vertices=graph.vertex_count,
        links=arrays.links_read,
        edges=graph.edge_count,
        components=int(sizes.size),
        largest_component=int(sizes.max()) if sizes.size else 0,
        pagerank=_ranked(arrays, ranks, top),
        degree=_ranked(arrays, graph.degree(), top),
        timings=timings,
    )
    if not (betweenness or communities) or not graph.edge_count:
        return result
    if graph.edge_count > conf.whole_detail_max_edges():
        result.detail_skipped = True
        return result
    clock = time.perf_counter()
    detail = ig.Graph(n=graph.vertex_count, edges=graph.pairs)
    timings["igraph"] = time.perf_counter() - clock
    if betweenness:
        clock = time.perf_counter()
        values, result.betweenness_sampled = _betweenness(detail)
        result.betweenness = _ranked(arrays, values, top)
        timings["betweenness"] = time.perf_counter() - clock
    if communities:
        clock = time.perf_counter()
        with _seeded():
            clustering = detail.community_leiden(objective_function="modularity", n_iterations=2)
        community_sizes = clustering.sizes()
        result.communities = len(community_sizes)
        result.largest_community = max(community_sizes, default=0)
        timings["communities"] = time.perf_counter() - clock
    return result
