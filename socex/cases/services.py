"""Changes to cases. Every other app writes to a case's chronology through ``chronology_add``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from socex.audit.services import record_create
from socex.cases.models import Case, CaseSubject, ChronologyEntry, ChronologyKind
from socex.cases.vocab import ExploitationType, RiskLevel
from socex.core.references import next_reference

if TYPE_CHECKING:
    import datetime as dt

    from socex.accounts.models import Organisation, User
    from socex.areas.models import LPA
    from socex.people.models import Person

CASE_FIELDS = ("reference", "lead_agency", "keyworker", "lpa", "status", "risk_level", "exploitation_types", "summary")


def _check_exploitation_types(codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    unknown = sorted(set(codes) - set(ExploitationType.values))
    if unknown:
        raise ValidationError({"exploitation_types": f"Unknown exploitation type: {', '.join(unknown)}."})
    return codes


@transaction.atomic
def case_create(
    *,
    actor: User | None,
    subjects: Iterable[Person],
    lead_agency: Organisation,
    lpa: LPA,
    risk_level: str = RiskLevel.AT_RISK,
    exploitation_types: Iterable[str] = (),
    summary: str = "",
    keyworker: User | None = None,
    opened_at: dt.datetime | None = None,
) -> Case:
    """Open a case about ``subjects`` (at least one), led by ``lead_agency``, with "Case opened" in its chronology."""
    subjects = list(subjects)
    if not subjects:
        raise ValidationError({"subjects": "A case needs at least one subject."})
    if risk_level not in RiskLevel.values:
        raise ValidationError({"risk_level": f"Unknown risk level: {risk_level}."})
    case = Case(
        reference=next_reference(Case, "CASE"),
        lead_agency=lead_agency,
        keyworker=keyworker,
        lpa=lpa,
        risk_level=risk_level,
        exploitation_types=_check_exploitation_types(exploitation_types),
        summary=summary.strip(),
        opened_at=opened_at or timezone.now(),
        created_by=actor,
    )
    case.save(force_insert=True)
    CaseSubject.objects.bulk_create([CaseSubject(case=case, person=person) for person in subjects])
    record_create(case, fields=CASE_FIELDS, actor=actor)
    chronology_add(
        case=case,
        category="case",
        summary=f"Case opened, led by {lead_agency.name}",
        actor=actor,
        agency=lead_agency,
        occurred_at=case.opened_at,
    )
    return case


def chronology_add(
    *,
    case: Case,
    category: str,
    summary: str,
    detail: str = "",
    actor: User | None = None,
    agency: Organisation | None = None,
    occurred_at: dt.datetime | None = None,
    kind: str = ChronologyKind.SYSTEM,
    source: models.Model | None = None,
) -> ChronologyEntry:
    """Add one entry to ``case``'s chronology. ``source`` is the record the event came from, if any.

    System events are written by the service that made the change, inside its transaction, so
    the entry and the change stand or fall together; that service's own audit event covers it.
    """
    if not summary.strip():
        raise ValidationError({"summary": "Enter what happened."})
    now = timezone.now()
    entry = ChronologyEntry(
        case=case,
        occurred_at=occurred_at or now,
        recorded_at=now,
        kind=kind,
        category=category,
        agency=agency if agency is not None else getattr(actor, "organisation", None),
        author=actor,
        summary=summary.strip()[:300],
        detail=detail.strip(),
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )
    entry.save(force_insert=True)
    return entry
