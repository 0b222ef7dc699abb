"""Where the network's edges come from, besides intelligence links: a registry other apps add to.

An *edge source* is a function ``source(user, request) -> Iterable[ExtraEdge]`` that answers, for
a user, the edges it knows of that touch ``request.entity_ids`` (or every edge it knows of when
that is None, for whole-network analysis), within ``request.filters``. It must start from its
own app's ``visible_to(user)``: the network shows only what the user could open. Each edge
carries its :class:`Support`, which is how every result explains where a link comes from.

Cases register here (people who are subjects of the same case, when the user can see the case).
The investigations app can add its own with::

    from socex.intelligence.network.sources import register_edge_source

    register_edge_source(operation_edges, link_types={"same_operation": "Suspects in the same operation"})

Edges join intelligence entities: a person appears once they have an entity (the network node
the intelligence app makes for a person from the index).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from django.urls import reverse
from django.utils import timezone

from socex.intelligence.network.filters import NetworkFilters

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User

SAME_CASE = "same_case"


class Support(NamedTuple):
    """One record behind a link: an intelligence report (with its grading) or, from another
    source, the record that shows it (e.g. a case). A named tuple: a 2-hop network can cite
    thousands of reports, and these are made for every one."""

    kind: str
    """``report``, ``case``, or what another source calls its records."""
    reference: str
    url: str
    grade: str = ""
    """As people write it (``2B P``, ``B24 (5x5x5)``); blank when not graded or not intelligence."""
    grade_rank: int | None = None
    """0 for the best 3x5x2 grade; None for legacy, ungraded and non-intelligence records."""
    legacy: bool = False
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    note: str = ""

    @property
    def graded(self) -> bool:
        return self.kind == "report" and bool(self.grade)

    def sort_key(self) -> tuple[int, int, str]:
        """Best support first: 3x5x2 by rank, then legacy, then ungraded, then other records."""
        if self.grade_rank is not None:
            return (0, self.grade_rank, self.reference)
        if self.legacy:
            return (1, 0, self.reference)
        return (2 if self.kind == "report" else 3, 0, self.reference)


@dataclass(frozen=True)
class ExtraEdge:
    source: int
    """Entity id."""
    target: int
    link_type: str
    support: Support


@dataclass(frozen=True)
class EdgeRequest:
    entity_ids: frozenset[int] | None
    """The entities whose edges are wanted; None for every edge (whole-network analysis)."""
    filters: NetworkFilters


EdgeSource = Callable[["User | AnonymousUser", EdgeRequest], Iterable[ExtraEdge]]


@dataclass
class _Registered:
    function: EdgeSource
    link_types: dict[str, str] = field(default_factory=dict)


_sources: dict[str, _Registered] = {}


def register_edge_source(function: EdgeSource, *, link_types: Mapping[str, str] | None = None) -> None:
    """Add a source of edges (once, however often ``AppConfig.ready`` runs).

    ``link_types`` maps each link type the source produces to its label, so the filters can
    offer it ("same_case": "Subjects of the same case").
    """
    name = f"{function.__module__}.{function.__qualname__}"
    _sources[name] = _Registered(function=function, link_types=dict(link_types or {}))


def extra_link_types() -> dict[str, str]:
    return dict(itertools.chain.from_iterable(entry.link_types.items() for entry in _sources.values()))


def extra_edges(user: User | AnonymousUser, request: EdgeRequest) -> list[ExtraEdge]:
    """Every registered source's edges for ``request``, with the link-type filter applied."""
    found: list[ExtraEdge] = []
    for entry in _sources.values():
        if entry.link_types and not any(request.filters.wants(code) for code in entry.link_types):
            continue
        found.extend(edge for edge in entry.function(user, request) if request.filters.wants(edge.link_type))
    return found


# --- Cases -----------------------------------------------------------------------------------------


def case_edges(user: User | AnonymousUser, request: EdgeRequest) -> Iterable[ExtraEdge]:
    """People who are subjects of the same case, for the cases ``user`` may see.

    A case is "in the window" while it is open (opened to closed). Case links are facts recorded
    on a case, not graded intelligence, so the minimum grading does not remove them; the link
    type filter does.
    """
    from socex.cases.models import Case, CaseSubject
    from socex.intelligence.models import Entity, EntityKind

    cases = Case.objects.visible_to(user)  # type: ignore[arg-type]
    if not cases.exists():
        return []
    people = Entity.objects.filter(kind=EntityKind.PERSON, person__isnull=False)
    if request.entity_ids is not None:
        people = people.filter(pk__in=request.entity_ids)
    entity_of_person = dict(people.values_list("person_id", "pk"))
    if not entity_of_person:
        return []
    subjects = CaseSubject.objects.filter(case__in=cases)
    touched_cases = subjects.filter(person_id__in=list(entity_of_person)).values("case_id")
    rows = list(
        subjects.filter(case_id__in=touched_cases).values_list(
            "case_id", "person_id", "case__reference", "case__opened_at", "case__closed_at"
        )
    )
    if request.entity_ids is not None:
        # The co-subjects' own entities (they may lie outside the entities asked about).
        others = {person for _, person, *_ in rows} - set(entity_of_person)
        entity_of_person.update(
            Entity.objects.filter(kind=EntityKind.PERSON, person_id__in=others).values_list("person_id", "pk")
        )
    by_case: dict[int, list[tuple[int, str, dt.date, dt.date | None]]] = {}
    for case_id, person_id, reference, opened_at, closed_at in rows:
        entity = entity_of_person.get(person_id)
        if entity is None:
            continue
        opened = timezone.localdate(opened_at)
        closed = timezone.localdate(closed_at) if closed_at else None
        if not request.filters.overlaps(opened, closed):
            continue
        by_case.setdefault(case_id, []).append((entity, reference, opened, closed))
    edges = []
    for case_id, members in by_case.items():
        for (a, reference, opened, closed), (b, *_) in itertools.combinations(sorted(members), 2):
            if request.entity_ids is not None and a not in request.entity_ids and b not in request.entity_ids:
                continue
            support = Support(
                kind="case",
                reference=reference,
                url=reverse("cases:detail", args=[case_id]),
                valid_from=opened,
                valid_to=closed,
                note="Both are subjects of this case",
            )
            edges.append(ExtraEdge(source=a, target=b, link_type=SAME_CASE, support=support))
    return edges


register_edge_source(case_edges, link_types={SAME_CASE: "Subjects of the same case"})
