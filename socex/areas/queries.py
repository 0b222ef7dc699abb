"""Read-only summaries of reference geography for pages, the API and the dashboard.

Each starts from ``visible_to(user)`` (socex.areas.access). "Residents aged 0 to 24" is the
Census 2021 "aged 15 and under" plus "aged 16 to 24" bands summed over an area's LSOAs, and
is only given when every LSOA in the area has both bands: a part-sum would understate it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from socex.areas.models import LPA, LSOA, Force, Hub

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User


@dataclass(frozen=True)
class LPASummary:
    lpa: LPA
    lsoa_count: int
    residents_0_24: int | None
    hubs: tuple[Hub, ...]

    @property
    def residents(self) -> int:
        return self.lpa.population


@dataclass(frozen=True)
class HubSummary:
    hub: Hub
    lpas: tuple[LPASummary, ...]

    @property
    def residents(self) -> int:
        return sum(item.residents for item in self.lpas)

    @property
    def residents_0_24(self) -> int | None:
        counts = [item.residents_0_24 for item in self.lpas]
        if not counts or any(count is None for count in counts):
            return None
        return sum(count for count in counts if count is not None)


def current_lpas(user: User | AnonymousUser) -> QuerySet[LPA]:
    """The LPAs in force today (effective dates allow for restructures)."""
    today = timezone.localdate()
    return (
        LPA.objects.visible_to(user)
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=today))
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=today))
    )


def _with_counts(lpas: QuerySet[LPA]) -> QuerySet[LPA]:
    both_bands = Q(lsoas__population_0_15__isnull=False, lsoas__population_16_24__isnull=False)
    return (
        lpas.select_related("force")
        .annotate(
            n_lsoas=Count("lsoas"),
            n_lsoas_with_ages=Count("lsoas", filter=both_bands),
            sum_0_15=Sum("lsoas__population_0_15"),
            sum_16_24=Sum("lsoas__population_16_24"),
        )
        .prefetch_related(Prefetch("serving_hubs", queryset=Hub.objects.order_by("name")))
    )


def _summary(lpa: LPA) -> LPASummary:
    n_lsoas: int = lpa.n_lsoas  # type: ignore[attr-defined]
    known = n_lsoas > 0 and lpa.n_lsoas_with_ages == n_lsoas  # type: ignore[attr-defined]
    return LPASummary(
        lpa=lpa,
        lsoa_count=n_lsoas,
        residents_0_24=lpa.sum_0_15 + lpa.sum_16_24 if known else None,  # type: ignore[attr-defined]
        hubs=tuple(lpa.serving_hubs.all()),
    )


def lpa_summaries(user: User | AnonymousUser, *, force: Force | None = None) -> list[LPASummary]:
    """Every current LPA the user may see (of one force if given), with its counts and hubs."""
    lpas = current_lpas(user)
    if force is not None:
        lpas = lpas.filter(force=force)
    return [_summary(lpa) for lpa in _with_counts(lpas)]


def lpa_summary(user: User | AnonymousUser, lpa: LPA) -> LPASummary:
    return _summary(_with_counts(LPA.objects.visible_to(user).filter(pk=lpa.pk)).get())


def forces_with_lpas(user: User | AnonymousUser) -> list[tuple[Force, list[LPASummary]]]:
    """Each force with its current LPAs, for the areas page."""
    summaries = lpa_summaries(user)
    return [
        (force, [item for item in summaries if item.lpa.force_id == force.pk])
        for force in Force.objects.visible_to(user).order_by("name")
    ]


def hub_summaries(user: User | AnonymousUser, *, hubs: QuerySet[Hub] | None = None) -> list[HubSummary]:
    """Hubs (all the user may see, or those given) with the current LPAs each serves."""
    hubs = (hubs if hubs is not None else Hub.objects.visible_to(user)).select_related("base_lpa", "force")
    by_code = {item.lpa.code: item for item in lpa_summaries(user)}
    result = []
    for hub in hubs.prefetch_related("lpas_served"):
        served = sorted((lpa for lpa in hub.lpas_served.all() if lpa.code in by_code), key=lambda lpa: lpa.name)
        result.append(HubSummary(hub=hub, lpas=tuple(by_code[lpa.code] for lpa in served)))
    return result


def hub_summary(user: User | AnonymousUser, hub: Hub) -> HubSummary:
    return hub_summaries(user, hubs=Hub.objects.visible_to(user).filter(pk=hub.pk))[0]


def lsoas_in(user: User | AnonymousUser, lpa: LPA, *, search: str = "") -> QuerySet[LSOA]:
    """The LPA's LSOAs, filtered by a name or code fragment."""
    lsoas = LSOA.objects.visible_to(user).filter(lpa=lpa)
    if search:
        lsoas = lsoas.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return lsoas.order_by("name", "code")
