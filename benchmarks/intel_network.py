"""Network analysis at a force's scale, each figure beside a naive baseline measured in the same run.

    .venv/bin/python benchmarks/intel_network.py --reports 1000000 --entities 1000000 --links 5000000 --reuse
    bash scripts/test-postgres.sh .venv/bin/python benchmarks/intel_network.py --reports 1000000 ...

1. **2-hop neighbourhood** of entities chosen at random among those with links, as the network
   page and the API read it (``analysis.neighbourhood``: one indexed query per hop, restricted
   reports left out), p50/p95; also with the analysis the page adds (PageRank, betweenness,
   Leiden on the neighbourhood). Baseline: the obvious Django code, one ORM query per entity with
   ``select_related`` (the N+1 pattern), on the first ``--naive-seeds`` of the same entities.
2. **Whole network**: every visible link read into numpy (binary COPY on PostgreSQL), then
   connected components and PageRank as the app computes them (``analysis.analyse_arrays``: a
   scipy CSR matrix built from the arrays, ``csgraph.connected_components``, PageRank by power
   iteration), and the same in igraph (``Graph(n, edges)``, ``connected_components``, PRPACK);
   baseline networkx (``nx.Graph``, ``number_connected_components``, ``pagerank`` with its
   defaults) on the same edge list, checked to agree.
   networkx needs about 1.2 KB of memory per edge: when that does not fit, it runs on the largest
   prefix of the (shuffled) edges that does, and the figure says so.

Prints a report and, with ``--json``, writes the figures to a file.
"""

# ruff: noqa: E501 (the report's lines are long so that its columns line up)

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from pathlib import Path
from typing import Any

from intel_db import machine, open_intel, percentile


def available_memory() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0


def naive_two_hop(user: Any, seed: int) -> tuple[int, int]:
    """The straightforward ORM version: one query per entity, model instances for every link."""
    from django.db.models import Q

    from socex.intelligence.models import Link

    seen = {seed}
    frontier = {seed}
    links = {}
    for _ in range(2):
        following = set()
        for entity in frontier:
            query = Link.objects.visible_to(user).filter(Q(source_id=entity) | Q(target_id=entity))
            for link in query.select_related("report", "source", "target"):
                links[link.pk] = link
                for end in (link.source_id, link.target_id):
                    if end not in seen:
                        seen.add(end)
                        following.add(end)
        frontier = following
    return len(seen), len(links)


def bench_neighbourhoods(user: Any, seeds: list[int], naive_count: int) -> dict[str, Any]:
    from socex.intelligence.network.analysis import analyse, neighbourhood

    for seed in seeds[:5]:  # warm the caches and the code paths
        neighbourhood(user, seed, hops=2)
    fast, page, sizes, links, truncated = [], [], [], [], 0
    for seed in seeds:
        started = time.perf_counter()
        network = neighbourhood(user, seed, hops=2)
        fast.append(time.perf_counter() - started)
        analyse(network)
        page.append(time.perf_counter() - started)
        sizes.append(len(network.nodes))
        links.append(len(network.edges))
        truncated += network.truncated
    naive, naive_sizes = [], []
    for seed in seeds[:naive_count]:
        started = time.perf_counter()
        nodes, _ = naive_two_hop(user, seed)
        naive.append(time.perf_counter() - started)
        naive_sizes.append(nodes)
    same = seeds[: len(naive)]
    fast_same = fast[: len(naive)]
    return {
        "seeds": len(seeds),
        "fast_p50_ms": 1000 * percentile(fast, 0.5),
        "fast_p95_ms": 1000 * percentile(fast, 0.95),
        "fast_max_ms": 1000 * max(fast),
        "page_p50_ms": 1000 * percentile(page, 0.5),
        "page_p95_ms": 1000 * percentile(page, 0.95),
        "nodes_p50": percentile(sizes, 0.5),
        "nodes_p95": percentile(sizes, 0.95),
        "edges_p50": percentile(links, 0.5),
        "edges_p95": percentile(links, 0.95),
        "truncated": truncated,
        "naive_seeds": len(same),
        "naive_p50_ms": 1000 * percentile(naive, 0.5),
        "naive_p95_ms": 1000 * percentile(naive, 0.95),
        "fast_on_naive_seeds_p50_ms": 1000 * percentile(fast_same, 0.5),
        "naive_nodes_p50": percentile(naive_sizes, 0.5),
        "speed_up_p50": percentile(naive, 0.5) / percentile(fast_same, 0.5),
    }


def bench_whole(user: Any, repeats: int) -> tuple[dict[str, Any], Any]:
    import numpy as np

    from socex.intelligence.network.analysis import analyse_arrays, build_graph
    from socex.intelligence.network.filters import NetworkFilters
    from socex.intelligence.network.graph import simple_pairs, whole_edges

    started = time.perf_counter()
    arrays = whole_edges(user, NetworkFilters())
    read = time.perf_counter() - started
    ours, via_igraph = [], []
    for _ in range(repeats):
        gc.collect()
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        result = analyse_arrays(arrays, top=10, betweenness=False, communities=False, timings=timings)
        ours.append(timings | {"total": time.perf_counter() - clock})
    for _ in range(repeats):
        gc.collect()
        clock = time.perf_counter()
        graph = build_graph(arrays)
        built = time.perf_counter()
        components = graph.connected_components()
        counted = time.perf_counter()
        igraph_pagerank = np.asarray(graph.pagerank())
        done = time.perf_counter()
        via_igraph.append(
            {"build": built - clock, "components": counted - built, "pagerank": done - counted, "total": done - clock}
        )
    summary = {
        "links_read": arrays.links_read,
        "vertices": result.vertices,
        "edges": result.edges,
        "components": result.components,
        "largest_component": result.largest_component,
        "read_seconds": read,
        "runs": ours,
        "median_seconds": statistics.median(r["total"] for r in ours),
        "igraph_runs": via_igraph,
        "igraph_median_seconds": statistics.median(r["total"] for r in via_igraph),
        "igraph_components_agree": len(components) == result.components,
        "top_pagerank_agrees_with_igraph": result.pagerank[0].entity_id
        == int(arrays.entity_ids[int(np.argmax(igraph_pagerank))]),
    }
    from socex.intelligence.network.analysis import pagerank, sparse_graph

    ours_pagerank = pagerank(sparse_graph(arrays))
    summary["pagerank_max_difference_from_igraph"] = float(np.max(np.abs(ours_pagerank - igraph_pagerank)))
    return summary | {"_pagerank": ours_pagerank, "_pairs": simple_pairs(arrays), "_n": result.vertices}, arrays


def bench_networkx(pairs: Any, n: int, igraph_pagerank: Any, igraph_components: int) -> dict[str, Any]:
    import networkx as nx
    import numpy as np

    per_edge = 1200  # bytes, measured on this machine with nx.Graph at 10^5..10^6 edges (with PageRank's copy)
    fits = int(available_memory() * 0.6 / per_edge)
    subgraph = len(pairs) > fits
    if subgraph:
        rng = np.random.default_rng(0)
        pairs = pairs[rng.permutation(len(pairs))[:fits]]
    gc.collect()
    started = time.perf_counter()
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(map(tuple, pairs.tolist()))
    built = time.perf_counter()
    components = nx.number_connected_components(graph)
    counted = time.perf_counter()
    pagerank = nx.pagerank(graph)
    done = time.perf_counter()
    result: dict[str, Any] = {
        "edges": graph.number_of_edges(),
        "subgraph": subgraph,
        "build": built - started,
        "components": counted - built,
        "pagerank": done - counted,
        "total": done - started,
    }
    if not subgraph:
        ours = np.asarray([pagerank[v] for v in range(n)])
        result["components_agree"] = components == igraph_components
        result["pagerank_max_abs_difference"] = float(np.max(np.abs(ours - igraph_pagerank)))
        result["top_10_agree"] = list(np.argsort(-ours)[:10]) == list(np.argsort(-igraph_pagerank)[:10])
    del graph
    gc.collect()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="keep the database for the next run (and reuse one)")
    parser.add_argument("--seeds", type=int, default=300, help="entities whose 2-hop neighbourhood is timed")
    parser.add_argument("--naive-seeds", type=int, default=50, help="of those, how many the naive baseline times")
    parser.add_argument("--repeats", type=int, default=3, help="igraph runs over the whole network")
    parser.add_argument("--no-networkx", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with open_intel(
        reports=args.reports, entities=args.entities, links=args.links, seed=args.seed, reuse=args.reuse
    ) as db:
        import numpy as np

        print(f"Machine: {machine()}")
        print(
            f"Database: {db.vendor} {db.version}; {db.reports:,} reports, {db.entities:,} entities, {db.links:,} links"
        )
        if db.load_seconds is not None:
            print(f"Loaded with synth_intel in {db.load_seconds:,.0f} s")
        if db.size_bytes:
            print(f"Database size: {db.size_bytes / 1e9:.1f} GB")

        whole, arrays = bench_whole(db.analyst, args.repeats)
        rng = np.random.default_rng(args.seed + 1)
        seeds = [
            int(x) for x in rng.choice(arrays.entity_ids, size=min(args.seeds, arrays.vertex_count), replace=False)
        ]
        hood = bench_neighbourhoods(db.analyst, seeds, args.naive_seeds)
        print()
        print(
            f"2-hop neighbourhood ({hood['seeds']} entities with links, chosen at random; analyst outside the restricted team)"
        )
        print(
            f"  size: p50 {hood['nodes_p50']:.0f} entities / {hood['edges_p50']:.0f} links; p95 {hood['nodes_p95']:.0f} / {hood['edges_p95']:.0f}; {hood['truncated']} reached the node limit"
        )
        print(
            f"  indexed expansion:       p50 {hood['fast_p50_ms']:7.1f} ms   p95 {hood['fast_p95_ms']:7.1f} ms   max {hood['fast_max_ms']:.1f} ms"
        )
        print(f"  + analysis (page, API):  p50 {hood['page_p50_ms']:7.1f} ms   p95 {hood['page_p95_ms']:7.1f} ms")
        print(
            f"  naive ORM, N+1 queries:  p50 {hood['naive_p50_ms']:7.1f} ms   p95 {hood['naive_p95_ms']:7.1f} ms   ({hood['naive_seeds']} of the same entities)"
        )
        print(f"  speed-up at p50 on the same entities: {hood['speed_up_p50']:.1f}x")

        print()
        print(
            f"Whole network: {whole['links_read']:,} visible links -> {whole['vertices']:,} entities, {whole['edges']:,} linked pairs"
        )
        print(f"  read into numpy: {whole['read_seconds']:.1f} s")
        best = min(whole["runs"], key=lambda r: r["total"])
        print(
            f"  components + PageRank (numpy/scipy sparse, as the app runs it): median {whole['median_seconds']:.2f} s "
            f"over {args.repeats} runs (best: build {best['build']:.2f}, components {best['components']:.2f}, "
            f"PageRank {best['pagerank']:.2f}); {whole['components']:,} components, largest {whole['largest_component']:,}"
        )
        ibest = min(whole["igraph_runs"], key=lambda r: r["total"])
        print(
            f"  the same in igraph (Graph(n, edges), connected_components, PRPACK pagerank): median "
            f"{whole['igraph_median_seconds']:.2f} s (best: build {ibest['build']:.2f}, components {ibest['components']:.2f}, "
            f"PageRank {ibest['pagerank']:.2f}); PageRank max |difference| {whole['pagerank_max_difference_from_igraph']:.1e}"
        )
        nx_result = None
        if not args.no_networkx:
            nx_result = bench_networkx(whole["_pairs"], whole["_n"], whole["_pagerank"], whole["components"])
            label = "on a subgraph of " if nx_result["subgraph"] else "on the same "
            print(
                f"  networkx {label}{nx_result['edges']:,} edges: {nx_result['total']:.1f} s "
                f"(build {nx_result['build']:.1f}, components {nx_result['components']:.1f}, PageRank {nx_result['pagerank']:.1f})"
            )
            if not nx_result["subgraph"]:
                print(
                    f"  the app is {nx_result['total'] / whole['median_seconds']:.1f}x faster than networkx "
                    f"(igraph {nx_result['total'] / whole['igraph_median_seconds']:.1f}x); components agree: "
                    f"{nx_result['components_agree']}; PageRank max |difference| {nx_result['pagerank_max_abs_difference']:.2e}; "
                    f"top 10 agree: {nx_result['top_10_agree']}"
                )
        if args.json:
            payload = {
                "machine": machine(),
                "vendor": db.vendor,
                "version": db.version,
                "sizes": {"reports": db.reports, "entities": db.entities, "links": db.links},
                "load_seconds": db.load_seconds,
                "size_bytes": db.size_bytes,
                "neighbourhood": hood,
                "whole": {k: v for k, v in whole.items() if not k.startswith("_")},
                "networkx": nx_result,
            }
            args.json.write_text(json.dumps(payload, indent=2, default=str))


if __name__ == "__main__":
    main()
