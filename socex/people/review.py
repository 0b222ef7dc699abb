"""The duplicate review queue: the pairs a duplicate check found, and officers' decisions on them.

Only people who may merge (``person.merge``, police) review pairs. Each decision is one audited
``DECIDE`` event with the old and new decision; a later duplicate check keeps it (see
:mod:`socex.people.dedupe`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from socex.audit.models import Action
from socex.audit.services import record
from socex.people.access import can_merge
from socex.people.models import CandidatePair, Decision, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User

NOTE_MAX_LENGTH = 2000
DECISIONS = (Decision.SAME, Decision.NOT_SAME, Decision.UNSURE)


def require_reviewer(user: User | AnonymousUser) -> None:
    if not can_merge(user):
        raise PermissionDenied("Your roles do not include reviewing possible duplicates.")


# Waiting for a decision, with neither person merged into someone since the check ran.
_STILL_PENDING = Q(decision=Decision.PENDING, person_a__merged_into__isnull=True, person_b__merged_into__isnull=True)


def pairs_for_review(user: User | AnonymousUser, *, decision: str = Decision.PENDING) -> QuerySet[CandidatePair]:
    """The pairs with ``decision`` (``"all"`` for every pair), for someone who may review them.

    Pending pairs come most likely first and leave out anyone merged since the check ran;
    decided pairs come most recently decided first.
    """
    require_reviewer(user)
    pairs = CandidatePair.objects.select_related("person_a", "person_b", "run", "decided_by")
    if decision == "all":
        return pairs.order_by("-decided_at", "-probability", "pk")
    if decision == Decision.PENDING:
        return pairs.filter(_STILL_PENDING).order_by("-probability", "pk")
    return pairs.filter(decision=decision).order_by("-decided_at", "pk")


def get_pair_for(user: User | AnonymousUser, pair_id: int) -> CandidatePair:
    """One candidate pair: 403 for anyone who may not review duplicates, 404 if there is no such pair.

    The people in it are read (and their views audited) through ``get_person_for`` by the page.
    """
    require_reviewer(user)
    pair = CandidatePair.objects.select_related("person_a", "person_b", "run", "decided_by").filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    return pair


def next_pending(after: CandidatePair) -> CandidatePair | None:
    """The pending pair to review after ``after``: the most likely one still waiting."""
    pending = CandidatePair.objects.filter(_STILL_PENDING)
    return pending.exclude(pk=after.pk).order_by("-probability", "pk").first()


def pending_count() -> int:
    return CandidatePair.objects.filter(_STILL_PENDING).count()


def pair_decide(*, actor: User, pair: CandidatePair, decision: str, note: str = "") -> CandidatePair:
    """Record an officer's decision on a pair: same person, not the same person, or unsure.

    Needs ``person.merge``. Deciding "same" does not merge: the officer merges from the merge page,
    where survivorship is shown. Audited as DECIDE with the old and new decision and the note.
    """
    require_reviewer(actor)
    note = (note or "").strip()
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose whether these are the same person, not the same person, or unsure."})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer."})
    with transaction.atomic():
        pair = CandidatePair.objects.select_for_update().select_related("person_a", "person_b").get(pk=pair.pk)
        before = {"decision": pair.decision, "note": pair.decision_note}
        pair.decision = decision
        pair.decision_note = note
        pair.decided_by = actor
        pair.decided_at = timezone.now()
        pair.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
        changes = {"decision": [before["decision"], decision]}
        if before["note"] != note:
            changes["note"] = [before["note"], note]
        record(
            Action.DECIDE,
            obj=pair,
            actor=actor,
            changes=changes,
            justification=note,
            detail={"person_a": pair.person_a.reference, "person_b": pair.person_b.reference},
        )
    return pair


# --- the side-by-side comparison -----------------------------------------------------------------


@dataclass
class ComparedRow:
    label: str
    a: list[str]
    b: list[str]

    @property
    def verdict(self) -> str:
        """``same``, ``some`` (something in common), ``different`` or ``unknown`` (one side blank)."""
        if not (self.a and self.b):
            return "unknown"
        a, b = {_fold(v) for v in self.a}, {_fold(v) for v in self.b}
        if a == b:
            return "same"
        return "some" if a & b else "different"


def _fold(value: str) -> str:
    return " ".join(value.lower().split())


def _dob(person: Person) -> list[str]:
    from socex.people.templatetags.people_tags import dob

    shown = dob(person)
    return [shown] if shown else []


def _details(person: Person) -> dict[str, list[str]]:
    from socex.people.normalise import display_phone

    name = " ".join(part for part in (person.given_name, person.middle_names, person.family_name) if part)
    return {
        "Name": [name] if name else [],
        "Preferred name": [person.preferred_name] if person.preferred_name else [],
        "Other names": [str(alias) for alias in person.aliases.all()],
        "Date of birth": _dob(person),
        "Gender": [person.get_gender_display()] if person.gender != "unknown" else [],
        "Addresses": [_address(address) for address in person.addresses.all()],
        "Phone numbers": [display_phone(phone.number) for phone in person.phones.all()],
        "Email addresses": [email.address for email in person.emails.all()],
        "Identifiers": [str(identifier) for identifier in person.identifiers.all()],
        "Agencies holding a record": [
            str(holding.organisation) for holding in person.holdings.select_related("organisation")
        ],
    }


def _address(address: Any) -> str:
    text = str(address)
    return f"{text} (previous)" if not address.is_current else text


def compare(a: Person, b: Person) -> list[ComparedRow]:
    """The two people's details side by side, one row per detail, each saying whether they agree."""
    left, right = _details(a), _details(b)
    return [ComparedRow(label, left[label], right[label]) for label in left]
