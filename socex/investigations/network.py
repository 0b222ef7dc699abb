"""The investigations' edges in the intelligence network (``register_edge_source``).

People named in the same investigation are linked: a suspect to each victim ("suspect and victim
in one investigation") and suspects to each other ("co-suspects"); each suspect is linked to the
lines or groups the investigation targets. Only for users who may read investigations; each edge
cites the investigation, dated from when it opened to when it closed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse

from socex.intelligence.network.sources import EdgeRequest, ExtraEdge, Support
from socex.investigations.models import Investigation, InvestigationPerson, PersonRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User

SUSPECT_VICTIM = "suspect_victim"
CO_SUSPECTS = "co_suspects"
TARGETED = "targeted_with"
LINK_TYPES = {
    SUSPECT_VICTIM: "Suspect and victim in one investigation",
    CO_SUSPECTS: "Suspects in the same investigation",
    TARGETED: "Suspect of an investigation targeting the line or group",
}


def investigation_edges(user: User | AnonymousUser, request: EdgeRequest) -> Iterable[ExtraEdge]:
    from socex.intelligence.models import Entity, EntityKind
    from socex.investigations.access import can_read

    if not can_read(user):
        return []  # the network asks every source on each expansion: answer readers only
    investigations = Investigation.objects.visible_to(user)  # type: ignore[arg-type]
    roles = InvestigationPerson.objects.filter(investigation__in=investigations)
    person_entities = dict(
        Entity.objects.filter(kind=EntityKind.PERSON, person_id__in=roles.values("person_id")).values_list(
            "person_id", "pk"
        )
    )
    group_entities = dict(
        Entity.objects.filter(kind=EntityKind.GROUP, group__investigations__in=investigations).values_list(
            "group_id", "pk"
        )
    )
    if request.entity_ids is not None:
        wanted_people = [person for person, entity in person_entities.items() if entity in request.entity_ids]
        wanted_groups = [group for group, entity in group_entities.items() if entity in request.entity_ids]
        touched = (
            roles.filter(person_id__in=wanted_people)
            .values("investigation_id")
            .union(Investigation.objects.filter(targets__in=wanted_groups).values("id"))
        )
        investigations = investigations.filter(pk__in=touched)
    edges: list[ExtraEdge] = []
    for investigation in investigations.prefetch_related("people", "targets"):
        if not request.filters.overlaps(investigation.opened_on, investigation.closed_on):
            continue
        support = Support(
            kind="investigation",
            reference=investigation.reference,
            url=reverse("investigations:detail", args=[investigation.reference]),
            valid_from=investigation.opened_on,
            valid_to=investigation.closed_on,
            note=investigation.title,
        )
        suspects = sorted(
            {
                person_entities[p.person_id]
                for p in investigation.people.all()
                if p.role == PersonRole.SUSPECT and p.person_id in person_entities
            }
        )
        victims = sorted(
            {
                person_entities[p.person_id]
                for p in investigation.people.all()
                if p.role == PersonRole.VICTIM and p.person_id in person_entities
            }
        )
        groups = sorted(group_entities[g.pk] for g in investigation.targets.all() if g.pk in group_entities)
        pairs = [(s, v, SUSPECT_VICTIM) for s in suspects for v in victims if s != v]
        pairs += [(a, b, CO_SUSPECTS) for a, b in itertools.combinations(suspects, 2)]
        pairs += [(s, g, TARGETED) for s in suspects for g in groups]
        for a, b, link_type in pairs:
            if request.entity_ids is None or a in request.entity_ids or b in request.entity_ids:
                edges.append(ExtraEdge(source=a, target=b, link_type=link_type, support=support))
    return edges
