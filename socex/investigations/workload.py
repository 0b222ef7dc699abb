"""What the hubs carry, and whether each hub's capacity matches the demand from the LPAs it serves.

* **Workload** is open work: cases an officer is keyworker for, investigations they are officer
  in the case for, NRM referrals they made that still await a decision, and safeguarding actions
  they own that are not done.
* **Demand per LPA** is what arrived in a period: referrals submitted, cases opened, NRM
  referrals submitted and intelligence reports obtained. It is the one place these are counted;
  analytics reads it from here.
* **Hub capacity** is the sum of its staff's capacity (open items each can carry, scaled by
  their full-time equivalent); a hub's **load** is the open work in the LPAs it serves against it.

Counts only: no record about a person leaves this module.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from socex.areas.models import LPA, Hub
from socex.investigations.models import Investigation, StaffKind, StaffMember

DEMAND_KINDS = ("referrals", "cases", "nrm_referrals", "intelligence")
WORK_KINDS = ("cases", "investigations", "nrm_referrals", "actions")
WORK_LABELS = {
    "cases": "Cases",
    "investigations": "Investigations",
    "nrm_referrals": "NRM referrals",
    "actions": "Actions",
}
DEMAND_LABELS = {
    "referrals": "Referrals",
    "cases": "Cases opened",
    "nrm_referrals": "NRM referrals",
    "intelligence": "Intelligence reports",
}


@dataclass
class OfficerLoad:
    member: StaffMember
    work: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.work.values())

    @property
    def capacity(self) -> Decimal:
        return (self.member.capacity * self.member.fte).quantize(Decimal("0.1"))

    @property
    def percent(self) -> int:
        return round(100 * self.total / float(self.capacity)) if self.capacity else 0


def _open_work_by_user(user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Counter[str]]:
    from socex.cases.models import Case
    from socex.nrm.models import OPEN_STATUSES as NRM_OPEN
    from socex.nrm.models import NrmReferral
    from socex.safeguarding.models import OPEN_STATUSES as ACTION_OPEN
    from socex.safeguarding.models import Action

    counts: dict[uuid.UUID, Counter[str]] = {user_id: Counter() for user_id in user_ids}
    sources = (
        ("cases", Case.objects.open().filter(keyworker__in=user_ids).values_list("keyworker")),
        (
            "investigations",
            Investigation.objects.open().filter(officer_in_case__in=user_ids).values_list("officer_in_case"),
        ),
        ("nrm_referrals", NrmReferral.objects.filter(officer__in=user_ids, status__in=NRM_OPEN).values_list("officer")),
        ("actions", Action.objects.filter(owner__in=user_ids, status__in=ACTION_OPEN).values_list("owner")),
    )
    for kind, rows in sources:
        for user_id, total in rows.annotate(total=Count("pk")).order_by():
            counts[user_id][kind] += total
    return counts


def officer_loads(hub: Hub | None = None) -> list[OfficerLoad]:
    """Each hub staff member's open work (for one hub, or every hub)."""
    queryset = StaffMember.objects.select_related("user", "hub")
    if hub is not None:
        queryset = queryset.filter(hub=hub)
    members = list(queryset)
    work = _open_work_by_user([member.user_id for member in members])
    return [OfficerLoad(member, {kind: work[member.user_id][kind] for kind in WORK_KINDS}) for member in members]


def demand_by_lpa(start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """What arrived in each LPA between ``start`` and ``end`` inclusive, by kind (see the module doc)."""
    from socex.cases.models import Case
    from socex.intelligence.models import Report
    from socex.nrm.models import NrmReferral
    from socex.referrals.models import Referral

    after = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    before = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    sources = (
        ("referrals", Referral.objects.filter(submitted_at__gte=after, submitted_at__lt=before)),
        ("cases", Case.objects.filter(opened_at__gte=after, opened_at__lt=before)),
        ("nrm_referrals", NrmReferral.objects.filter(submitted_on__gte=start, submitted_on__lte=end)),
        ("intelligence", Report.objects.filter(obtained_on__gte=start, obtained_on__lte=end)),
    )
    demand: dict[int, dict[str, int]] = {
        lpa_id: dict.fromkeys(DEMAND_KINDS, 0) for lpa_id in LPA.objects.values_list("pk", flat=True)
    }
    for kind, rows in sources:
        for lpa_id, total in rows.values_list("lpa").annotate(total=Count("pk")).order_by():
            if lpa_id in demand:
                demand[lpa_id][kind] = total
    return demand


def open_work_by_lpa() -> dict[int, int]:
    """Open cases, investigations, NRM referrals and actions in each LPA (actions by their case's LPA)."""
    from socex.cases.models import Case
    from socex.nrm.models import OPEN_STATUSES as NRM_OPEN
    from socex.nrm.models import NrmReferral
    from socex.safeguarding.models import OPEN_STATUSES as ACTION_OPEN
    from socex.safeguarding.models import Action

    totals: Counter[int] = Counter()
    for rows in (
        Case.objects.open().values_list("lpa"),
        Investigation.objects.open().values_list("lpa"),
        NrmReferral.objects.filter(status__in=NRM_OPEN).values_list("lpa"),
        Action.objects.filter(status__in=ACTION_OPEN).values_list("case__lpa"),
    ):
        for lpa_id, total in rows.annotate(total=Count("pk")).order_by():
            totals[lpa_id] += total
    return dict(totals)


@dataclass
class HubCapacity:
    hub: Hub
    lpas: list[LPA]
    detectives: int
    non_detectives: int
    capacity: Decimal
    open_work: int
    demand: dict[str, int] = field(default_factory=dict)

    @property
    def percent(self) -> int | None:
        return round(100 * self.open_work / float(self.capacity)) if self.capacity else None

    @property
    def label(self) -> str:
        """The hub's name with its load, for charts: "Coventry SOCEX Hub (84% of capacity)"."""
        load = f"{self.percent}% of capacity" if self.percent is not None else "no staff recorded"
        return f"{self.hub.name} ({load})"

    @property
    def over_capacity(self) -> bool:
        return (self.capacity == 0 and self.open_work > 0) or (self.percent or 0) > 100


@dataclass
class CapacityPicture:
    hubs: list[HubCapacity]
    unserved: list[LPA]
    start: dt.date
    end: dt.date
    demand: dict[int, dict[str, int]]
    lpas: list[LPA]


def capacity_picture(start: dt.date | None = None, end: dt.date | None = None) -> CapacityPicture:
    """Each hub's staff and capacity against the open work and demand of the LPAs it serves."""
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=365)
    demand = demand_by_lpa(start, end)
    open_work = open_work_by_lpa()
    staff: dict[int, dict[str, int]] = {
        hub_id: {"detectives": detectives, "non_detectives": others}
        for hub_id, detectives, others in StaffMember.objects.values_list("hub")
        .annotate(
            detectives=Count("pk", filter=Q(kind=StaffKind.DETECTIVE)),
            non_detectives=Count("pk", filter=Q(kind=StaffKind.NON_DETECTIVE)),
        )
        .order_by()
    }
    capacity: Counter[int] = Counter()
    for member in StaffMember.objects.only("hub_id", "capacity", "fte"):
        capacity[member.hub_id] += float(member.capacity * member.fte)  # type: ignore[assignment]
    hubs = []
    for hub in Hub.objects.prefetch_related("lpas_served").order_by("name"):
        served = list(hub.lpas_served.order_by("name"))
        row = staff.get(hub.pk, {})
        hubs.append(
            HubCapacity(
                hub=hub,
                lpas=served,
                detectives=row.get("detectives", 0),
                non_detectives=row.get("non_detectives", 0),
                capacity=Decimal(str(round(capacity[hub.pk], 1))),
                open_work=sum(open_work.get(lpa.pk, 0) for lpa in served),
                demand={kind: sum(demand[lpa.pk][kind] for lpa in served) for kind in DEMAND_KINDS},
            )
        )
    served_ids = {lpa.pk for hub in hubs for lpa in hub.lpas}
    lpas = list(LPA.objects.order_by("name"))
    return CapacityPicture(
        hubs=hubs,
        unserved=[lpa for lpa in lpas if lpa.pk not in served_ids],
        start=start,
        end=end,
        demand=demand,
        lpas=lpas,
    )
