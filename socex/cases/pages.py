"""What the case pages show, gathered in one place so the views stay short."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from socex.audit.access import can_read_audit
from socex.cases import conf
from socex.cases.access import can_approve_closure, can_edit_case, takes_part
from socex.cases.models import Case, CaseStatus, ChronologyEntry, ClosureDecision, RiskReview
from socex.cases.panels import case_panels
from socex.cases.vocab import RISK_ORDER, RISK_TAG_CLASS, RiskLevel, exploitation_labels
from socex.sharing.access import MANAGE as SHARING_MANAGE
from socex.sharing.services import shares_for

if TYPE_CHECKING:
    from socex.accounts.models import User

RECENT_ENTRIES = 10


def chronology_of(user: User, case: Case) -> QuerySet[ChronologyEntry]:
    """The entries of ``case`` (which ``user`` may see), newest first, ready to show."""
    return ChronologyEntry.objects.visible_to(user).filter(case=case).select_related("agency", "author")


def risk_history(reviews: list[RiskReview]) -> dict[str, Any]:
    """The line chart of risk over time: one point per review, oldest first (0 none, 1 at risk, 2 significant)."""
    ordered = sorted(reviews, key=lambda review: (review.reviewed_on, review.pk))
    labels = [f"{review.reviewed_on:%d/%m/%Y}" for review in ordered]
    values = [RISK_ORDER[review.level] for review in ordered]
    return {"labels": labels, "series": [{"name": "Risk level (0 none, 1 at risk, 2 significant)", "values": values}]}


def case_page_context(user: User, case: Case) -> dict[str, Any]:
    """Everything the case page shows about ``case`` to ``user`` (who may see it)."""
    from socex.people.models import Person

    subjects = list(case.case_subjects.select_related("person").order_by("added_at", "pk"))
    linkable = set(
        Person.objects.visible_to(user).filter(pk__in=[s.person_id for s in subjects]).values_list("pk", flat=True)
    )
    shares = list(
        shares_for(case).active().select_related("organisation", "legal_basis").order_by("organisation__name")
    )
    in_ledger = set(shares_for(case).visible_to(user).values_list("pk", flat=True))
    reviews = list(case.risk_reviews.select_related("reviewer", "reviewer_agency"))
    closures = list(case.closure_requests.select_related("requested_by", "decided_by"))
    pending = next((c for c in closures if c.decision == ClosureDecision.PENDING), None)
    editable = can_edit_case(user, case)
    flag_labels = conf.flag_labels()
    return {
        "page_title": f"Case {case.reference}",
        "case": case,
        "subjects": [(subject, subject.person_id in linkable) for subject in subjects],
        "exploitation": exploitation_labels(case.exploitation_types),
        "flags": [(code, flag_labels.get(code, code)) for code in case.flags],
        "risk_tag": RISK_TAG_CLASS.get(case.risk_level, ""),
        "risk_tags": RISK_TAG_CLASS,
        "risk_labels": dict(RiskLevel.choices),
        "participants": [(share, share.pk in in_ledger) for share in shares],
        "reviews": reviews,
        "risk_chart": risk_history(reviews) if len(reviews) > 1 else None,
        "recent": list(chronology_of(user, case)[:RECENT_ENTRIES]),
        "documents": list(case.documents.select_related("uploaded_by", "uploaded_by_organisation")),
        "closures": closures,
        "pending_closure": pending,
        "panels": case_panels(case, user),
        "is_open": case.status != CaseStatus.CLOSED,
        "can_edit": editable and case.status != CaseStatus.CLOSED,
        "can_contribute": (editable or takes_part(user, case)) and case.status != CaseStatus.CLOSED,
        "can_share": editable and user.has_cap(SHARING_MANAGE),
        "can_decide": pending is not None and can_approve_closure(user) and pending.requested_by_id != user.pk,
        "can_audit": can_read_audit(user),
    }
