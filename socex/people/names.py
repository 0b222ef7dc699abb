"""Given-name variants and name similarity, shared by live matching, blocking keys and batch dedupe.

Nicknames and diminutives (Robert/Bob, Katherine/Kate) come from the public list in
``reference/nicknames.csv`` (Apache-2.0; see ``reference/README.md``). Names are compared in
folded form (:func:`socex.people.normalise.fold_name`).

Spelling variants that the list does not know (Kieran/Kiernan, Mohammed/Muhammad,
Katarzyna/Katarzina) are caught by similarity: Jaro-Winkler over the folded spelling and
equality of a phonetic code.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path

import jellyfish

from socex.people.normalise import fold_name

NICKNAMES_CSV = Path(__file__).resolve().parent / "reference" / "nicknames.csv"
SIMILAR_SPELLING = 0.88
"""Jaro-Winkler at or above which two folded names count as the same name mistyped."""


@cache
def _nickname_groups() -> dict[str, frozenset[str]]:
    """Each name to the set of full names it is a form of (a full name maps to itself)."""
    roots: dict[str, set[str]] = defaultdict(set)
    with NICKNAMES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            full, nickname = fold_name(row["name1"]), fold_name(row["name2"])
            if full and nickname:
                roots[full].add(full)
                roots[nickname].add(full)
    return {name: frozenset(found) for name, found in roots.items()}


@lru_cache(maxsize=65_536)
def name_roots(name: str) -> frozenset[str]:
    """The full names a given name may be short for, itself included: ``bob`` → {robert, bob}."""
    folded = fold_name(name)
    if not folded:
        return frozenset()
    return _nickname_groups().get(folded, frozenset()) | {folded}


def are_variants(a: str, b: str) -> bool:
    """Are two (different) given names forms of one another according to the nickname list?"""
    roots_a, roots_b = name_roots(a), name_roots(b)
    return bool(roots_a and roots_b and roots_a & roots_b)


@lru_cache(maxsize=65_536)
def phonetic(name: str) -> str:
    """A phonetic code of a folded name (Metaphone of its letters, spaces removed); '' if none."""
    letters = fold_name(name).replace(" ", "")
    return jellyfish.metaphone(letters) if letters else ""


def similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of the folded spellings, 0..1."""
    fa, fb = fold_name(a), fold_name(b)
    if not fa or not fb:
        return 0.0
    return jellyfish.jaro_winkler_similarity(fa, fb)


def sound_alike(a: str, b: str) -> bool:
    code_a, code_b = phonetic(a), phonetic(b)
    return bool(code_a) and code_a == code_b
