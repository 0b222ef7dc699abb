"""Settings of the network pages, each read from ``settings.SOCEX_NETWORK_<NAME>`` with a default.

The limits keep one page's network small enough to draw and to analyse while a person waits;
docs/_incoming/network-benchmarks.md has the figures they were set from. The grading order is a
versioned data file, since it is a local analytical choice over codes from a secondary source
(DOMAIN.md §6, [S]).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
DEFAULT_GRADING_FILE = REFERENCE_DIR / "grading.json"


def _int(name: str, default: int, minimum: int = 1) -> int:
    return max(minimum, int(getattr(settings, f"SOCEX_NETWORK_{name}", default)))


def grading_file() -> Path:
    """``SOCEX_NETWORK_GRADING_FILE``: the order of 3x5x2 grades for "minimum grading" (reference/grading.json)."""
    return Path(getattr(settings, "SOCEX_NETWORK_GRADING_FILE", DEFAULT_GRADING_FILE))


def default_hops() -> int:
    """``SOCEX_NETWORK_DEFAULT_HOPS``: how far from the chosen entity the network reaches at first (2)."""
    return min(_int("DEFAULT_HOPS", 2), max_hops())


def max_hops() -> int:
    """``SOCEX_NETWORK_MAX_HOPS``: the furthest a neighbourhood may reach (3)."""
    return _int("MAX_HOPS", 3)


def max_nodes() -> int:
    """``SOCEX_NETWORK_MAX_NODES``: a network stops growing at this many nodes and says so (1,000)."""
    return _int("MAX_NODES", 1000, minimum=2)


def max_expanded() -> int:
    """``SOCEX_NETWORK_MAX_EXPANDED``: how many nodes one view may expand (25)."""
    return _int("MAX_EXPANDED", 25)


def path_max_hops() -> int:
    """``SOCEX_NETWORK_PATH_MAX_HOPS``: the longest connection looked for between chosen entities (6)."""
    return _int("PATH_MAX_HOPS", 6)


def max_terminals() -> int:
    """``SOCEX_NETWORK_MAX_TERMINALS``: how many entities one "how are they connected" may join (8)."""
    return _int("MAX_TERMINALS", 8, minimum=2)


def key_nodes() -> int:
    """``SOCEX_NETWORK_KEY_NODES``: how many nodes are marked as key nodes (5)."""
    return _int("KEY_NODES", 5)


def betweenness_samples() -> int:
    """``SOCEX_NETWORK_BETWEENNESS_SAMPLES``: over the whole network, betweenness is estimated from
    shortest paths out of this many randomly chosen entities (64) once it has more than 5,000 linked
    entities. An entity's network (at most ``SOCEX_NETWORK_MAX_NODES``) is always exact."""
    return _int("BETWEENNESS_SAMPLES", 64)


def whole_detail_max_edges() -> int:
    """``SOCEX_NETWORK_WHOLE_DETAIL_MAX_EDGES``: communities and betweenness over the whole network are
    worked out only up to this many linked pairs (500,000). Beyond it they take minutes (Leiden on a
    million entities, five million links: over a minute on two cores), so the whole-network page gives
    components, PageRank and degree, and an entity's network gives the rest."""
    return _int("WHOLE_DETAIL_MAX_EDGES", 500_000)
