"""Finding a case by its reference or a subject's name, with the signpost for partners.

A partner whose agency is not on a matching case learns only that a record exists and which hub
to contact: no reference, no name, nothing of the case (DESIGN.md, "Access model"). The search
is audited with what was typed and how many cases were shown, and each signpost is audited
against the case it points at, so "who has looked for this child?" has an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from socex.accounts.models import Organisation, OrganisationType
from socex.areas.models import Hub
from socex.audit.models import Action
from socex.audit.services import record, record_search
from socex.cases import conf
from socex.cases.access import RECORD_TYPE, signposted
from socex.cases.forms import subject_name_query
from socex.cases.models import Case

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from socex.accounts.models import User

RESULT_LIMIT = 50
# Enough signposts are audited to answer "who looked for this child?" without a flood of rows.
SIGNPOST_AUDIT_LIMIT = 20
SEARCH_LABEL = "Case reference or name"


@dataclass
class Signpost:
    hubs: list[str] = field(default_factory=list)
    contact: str = ""


@dataclass
class SearchOutcome:
    cases: list[Case]
    total: int
    signpost: Signpost | None


def _matching(cases: QuerySet[Case], text: str, *, is_reference: bool) -> QuerySet[Case]:
    if is_reference:
        return cases.filter(reference__iexact=text.strip())
    return cases.filter(subject_name_query(text)).distinct()


def hub_contact() -> str:
    """How to reach the hub: ``SOCEX_CASE_SIGNPOST_CONTACT``, else the police organisation's email and phone."""
    configured = conf.signpost_contact()
    if configured:
        return configured
    police = (
        Organisation.objects.filter(org_type=OrganisationType.POLICE, is_active=True)
        .exclude(contact_email="", contact_phone="")
        .order_by("name")
        .first()
    )
    if police is None:
        return ""
    return " or ".join(part for part in (police.contact_email, police.contact_phone) if part)


def _signpost(user: User, text: str, matches: QuerySet[Case]) -> Signpost | None:
    hidden = list(signposted(user, matches).values("pk", "reference", "lpa_id")[:SIGNPOST_AUDIT_LIMIT])
    if not hidden:
        return None
    for case in hidden:
        record(
            Action.VIEW,
            object_type=RECORD_TYPE,
            object_id=str(case["pk"]),
            object_repr=case["reference"],
            justification="Signpost only: the searcher's agency is not on this case",
            detail={"signpost": True, "search": text},
        )
    hubs = Hub.objects.filter(lpas_served__in={case["lpa_id"] for case in hidden}).distinct().order_by("name")
    return Signpost(hubs=[hub.name for hub in hubs], contact=hub_contact())


def case_search(*, user: User, text: str, is_reference: bool) -> SearchOutcome:
    """The cases ``user`` may see that match, and a signpost if others match that they may not see."""
    visible = _matching(Case.objects.visible_to(user), text, is_reference=is_reference)
    total = visible.count()
    cases = list(
        visible.select_related("lpa", "lead_agency")
        .prefetch_related("case_subjects__person")
        .order_by("-opened_at")[:RESULT_LIMIT]
    )
    record_search(record_type=RECORD_TYPE, terms={SEARCH_LABEL: text.strip()}, results=total)
    signpost = _signpost(user, text, _matching(Case.objects.all(), text, is_reference=is_reference))
    return SearchOutcome(cases=cases, total=total, signpost=signpost)
