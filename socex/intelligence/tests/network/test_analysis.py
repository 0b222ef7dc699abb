"""Network algorithms on small graphs whose answers are known: a path, a star, two cliques joined
by a bridge; PageRank and betweenness checked against networkx (the reference implementation)."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from socex.intelligence.network.analysis import analyse, analyse_arrays, communities_of, graph_of, key_count
from socex.intelligence.network.filters import NetworkFilters
from socex.intelligence.network.graph import Edge, Network, Node, number_vertices, simple_pairs


def network_of(pairs: list[tuple[int, int]], *, extra_nodes: tuple[int, ...] = ()) -> Network:
    ids = sorted({n for pair in pairs for n in pair} | set(extra_nodes))
    nodes = {pk: Node(pk, "person", f"N{pk}", None) for pk in ids}
    edges = {f"{a}-{b}-associate": Edge(a, b, "associate") for a, b in pairs}
    return Network(nodes, edges, [], NetworkFilters())


PATH = [(1, 2), (2, 3), (3, 4), (4, 5)]
STAR = [(1, leaf) for leaf in range(2, 7)]
TWO_CLIQUES = [*itertools.combinations(range(1, 6), 2), *itertools.combinations(range(6, 11), 2), (5, 6)]


def nx_graph(pairs: list[tuple[int, int]]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_edges_from(pairs)
    return graph


def test_on_a_path_the_middle_lies_on_most_paths_and_the_ends_on_none():
    result = analyse(network_of(PATH))
    betweenness = {pk: m.betweenness for pk, m in result.metrics.items()}
    # Node 3 is on the paths 1-4, 1-5, 2-4, 2-5 (four pairs); 2 and 4 on three each.
    assert betweenness == {1: 0.0, 2: 3.0, 3: 4.0, 4: 3.0, 5: 0.0}
    assert {pk: m.degree for pk, m in result.metrics.items()} == {1: 1, 2: 2, 3: 2, 4: 2, 5: 1}


def test_the_centre_of_a_star_is_its_key_node():
    result = analyse(network_of(STAR))
    centre = result.metrics[1]
    # Six nodes: the centre joins each of the 10 pairs of leaves. PageRank by hand, damping d = 0.85:
    # each leaf passes all its rank to the centre, the centre a fifth of its rank to each leaf, so
    # c = (1 - d)/6 + 5d*l and l = (1 - d)/6 + d*c/5, hence c = (1 - d)/6 * (1 + 5d) / (1 - d^2).
    damping = 0.85
    centre_rank = (1 - damping) / 6 * (1 + 5 * damping) / (1 - damping**2)
    assert centre_rank == pytest.approx(0.472973, abs=1e-6)
    assert centre.betweenness == 10.0
    assert centre.degree == 5
    assert centre.pagerank == pytest.approx(centre_rank, abs=1e-6)
    assert result.key_nodes == [1]
    assert centre.why_key == ("highest PageRank", "lies on many paths between others")
    assert all(not result.metrics[leaf].key for leaf in range(2, 7))


def test_two_cliques_joined_by_a_bridge_are_two_communities_and_the_bridge_ends_are_key():
    result = analyse(network_of(TWO_CLIQUES))
    assert sorted(sorted(c.members) for c in result.communities) == [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]
    assert result.metrics[5].community != result.metrics[6].community
    # Each bridge end carries every path from its clique's other four to the other clique's five.
    assert result.metrics[5].betweenness == 4 * 5
    assert result.metrics[6].betweenness == 4 * 5
    assert {1, 2, 3, 4} & set(result.key_nodes) == set()
    assert {5, 6} <= set(result.key_nodes)
    assert result.modularity == pytest.approx(
        nx.community.modularity(nx_graph(TWO_CLIQUES), [set(range(1, 6)), set(range(6, 11))])
    )


@pytest.mark.parametrize("pairs", [PATH, STAR, TWO_CLIQUES], ids=["path", "star", "two cliques"])
def test_pagerank_and_betweenness_match_networkx(pairs):
    result = analyse(network_of(pairs))
    graph = nx_graph(pairs)
    pagerank = nx.pagerank(graph, alpha=0.85, tol=1e-12, max_iter=1000)
    betweenness = nx.betweenness_centrality(graph, normalized=False)
    for pk, metrics in result.metrics.items():
        assert metrics.pagerank == pytest.approx(pagerank[pk], abs=1e-9)
        assert metrics.betweenness == pytest.approx(betweenness[pk])


def test_a_random_graph_matches_networkx_too():
    rng = np.random.default_rng(7)
    pairs = sorted({(int(a), int(b)) for a, b in rng.integers(1, 60, size=(150, 2)) if a < b})
    result = analyse(network_of(pairs))
    graph = nx_graph(pairs)
    pagerank = nx.pagerank(graph, tol=1e-12, max_iter=1000)
    betweenness = nx.betweenness_centrality(graph, normalized=False)
    assert max(abs(result.metrics[pk].pagerank - pagerank[pk]) for pk in graph) < 1e-9
    assert max(abs(result.metrics[pk].betweenness - betweenness[pk]) for pk in graph) < 1e-9


def test_parallel_links_count_once_in_analysis():
    network = network_of(PATH)
    network.edges["2-1-family"] = Edge(2, 1, "family")  # a second link, other way round, other type
    graph, ids = graph_of(network)
    assert (graph.vcount(), graph.ecount(), ids) == (5, 4, [1, 2, 3, 4, 5])


def test_communities_are_numbered_by_size_and_are_the_same_every_time():
    pairs = [*TWO_CLIQUES, *((11, other) for other in range(6, 11))]  # the second clique grows to six
    graph, ids = graph_of(network_of(pairs))
    first = communities_of(graph)
    assert all(communities_of(graph) == first for _ in range(5))
    by_number: dict[int, set[int]] = {}
    for vertex, number in enumerate(first):
        by_number.setdefault(number, set()).add(ids[vertex])
    assert by_number[1] == {6, 7, 8, 9, 10, 11}
    assert by_number[2] == {1, 2, 3, 4, 5}


def test_an_isolated_entity_and_an_empty_network():
    lonely = analyse(network_of([], extra_nodes=(9,)))
    assert lonely.metrics[9].degree == 0
    assert lonely.key_nodes == []
    assert lonely.modularity is None
    empty = analyse(network_of([]))
    assert (empty.metrics, empty.communities, empty.key_nodes) == ({}, [], [])


@pytest.mark.parametrize(("vertices", "expected"), [(0, 0), (1, 1), (5, 1), (6, 2), (24, 5), (1000, 5)])
def test_at_most_one_node_in_five_is_key(vertices, expected):
    assert key_count(vertices) == expected


def test_whole_network_analysis_from_arrays_matches_networkx():
    rng = np.random.default_rng(3)
    # Entity ids far from 0..n, with parallel links and both directions, as a database gives them.
    raw = rng.integers(1000, 1400, size=(1500, 2))
    raw = raw[raw[:, 0] != raw[:, 1]]
    arrays = number_vertices(raw)
    result = analyse_arrays(arrays, top=5, betweenness=False)
    graph = nx.Graph()
    graph.add_edges_from(map(tuple, raw.tolist()))
    assert result.vertices == graph.number_of_nodes()
    assert result.edges == graph.number_of_edges() == len(simple_pairs(arrays))
    assert result.links == len(raw)
    assert result.components == nx.number_connected_components(graph)
    assert result.largest_component == max(len(c) for c in nx.connected_components(graph))
    pagerank = nx.pagerank(graph, tol=1e-12, max_iter=1000)
    best = max(pagerank, key=pagerank.get)
    assert result.pagerank[0].entity_id == best
    assert result.pagerank[0].value == pytest.approx(pagerank[best], abs=1e-9)
    assert result.communities is not None
    assert result.communities >= result.components
    assert {"build", "components", "pagerank", "communities"} <= set(result.timings)


def test_vertex_numbering_with_sparse_ids_uses_a_sort():
    pairs = np.array([[5, 10**12], [10**12, 7]], dtype=np.int64)
    arrays = number_vertices(pairs)
    assert arrays.entity_ids.tolist() == [5, 7, 10**12]
    assert list(zip(arrays.sources.tolist(), arrays.targets.tolist(), strict=True)) == [(0, 2), (2, 1)]


@pytest.mark.parametrize("samples", [200, 400])
def test_on_a_large_network_betweenness_is_estimated_from_sampled_sources(samples):
    from django.test import override_settings

    from socex.intelligence.network import analysis

    # A path of 6,001 entities: the exact betweenness of position i is i * (6000 - i).
    n = 6001
    arrays = number_vertices(np.array([(i, i + 1) for i in range(n - 1)], dtype=np.int64))
    with override_settings(SOCEX_NETWORK_BETWEENNESS_SAMPLES=samples):
        result = analysis.analyse_arrays(arrays, top=1, communities=False)
    assert result.betweenness_sampled == samples
    middle = result.betweenness[0]
    assert abs(middle.entity_id - 3000) < 600
    assert middle.value == pytest.approx(3000 * 3000, rel=0.25)


def test_communities_and_betweenness_are_skipped_on_a_network_too_large_for_them():
    from django.test import override_settings

    arrays = number_vertices(np.array(PATH, dtype=np.int64))
    with override_settings(SOCEX_NETWORK_WHOLE_DETAIL_MAX_EDGES=3):
        result = analyse_arrays(arrays)
    assert result.detail_skipped
    assert (result.betweenness, result.communities) == ([], None)
    assert result.components == 1
    assert result.pagerank


def test_whole_network_pagerank_and_components_agree_with_igraph():
    import igraph as ig

    from socex.intelligence.network.analysis import component_sizes, pagerank, sparse_graph

    rng = np.random.default_rng(5)
    # Three separate clusters of different sizes and densities, with parallel and reversed links.
    parts = [
        rng.integers(0, 300, size=(900, 2)),
        rng.integers(300, 350, size=(400, 2)),
        rng.integers(350, 360, size=(12, 2)),
    ]
    raw = np.vstack(parts)
    raw = raw[raw[:, 0] != raw[:, 1]] + 10_000
    arrays = number_vertices(raw)
    graph = sparse_graph(arrays)
    reference = ig.Graph(n=graph.vertex_count, edges=graph.pairs)
    assert np.max(np.abs(pagerank(graph) - np.asarray(reference.pagerank()))) < 1e-9
    assert sorted(component_sizes(graph).tolist()) == sorted(reference.connected_components().sizes())
    assert graph.degree().tolist() == reference.degree()
