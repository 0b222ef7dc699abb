"""Home-page panel for people who use the person index.

Every figure is a count through an index (the organisation's holdings and records, the review
queue), so the panel stays quick with a million people in the index.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from socex.core.dashboard import Figure, Panel
from socex.people.access import can_create, can_merge, can_use_index
from socex.people.models import CandidatePair, Decision, Holding, Person

if TYPE_CHECKING:
    from socex.accounts.models import User

RECENT_DAYS = 30


def people_panel(user: User) -> Panel | None:
    """What the user's organisation holds in the index, what it added lately and, for people who
    merge records, how many possible duplicates wait for a decision."""
    if not can_use_index(user):
        return None
    figures = []
    if user.organisation_id is not None:
        since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
        held = Holding.objects.filter(organisation_id=user.organisation_id, person__merged_into__isnull=True)
        added = Person.objects.filter(owner_id=user.organisation_id, created_at__gte=since)
        figures += [
            Figure("People your organisation holds a record about", f"{held.count():,}"),
            Figure(f"Added by your organisation in the last {RECENT_DAYS} days", f"{added.count():,}"),
        ]
    if can_merge(user):
        pending = CandidatePair.objects.filter(decision=Decision.PENDING).count()
        figures.append(Figure("Possible duplicates to review", f"{pending:,}", href=reverse("people:review_queue")))
    return Panel(
        title="People",
        figures=figures,
        link_text="Find a person" if not can_create(user) else "Find or add a person",
        link_href=reverse("people:search"),
    )
