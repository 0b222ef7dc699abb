"""The first responder list: who may make NRM referrals and Duty to Notify reports.

The national list is versioned reference data (``reference/first_responders.json``): statutory
first responders by organisation type (police forces, local authorities...) and named non-statutory
ones (charities). :func:`first_responders_sync` applies it to the organisations in this service;
administrators add or remove organisations by hand on the list page. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from socex.accounts.models import Organisation
from socex.audit.services import record_change, record_create, snapshot
from socex.nrm import rules
from socex.nrm.access import can_manage_first_responders
from socex.nrm.models import FirstResponder
from socex.nrm.services.common import FIRST_RESPONDER, rule_error

if TYPE_CHECKING:
    from socex.accounts.models import User

FIELDS = ("organisation", "fro_type", "listed_as", "list_version", "is_active")


def first_responder_for(organisation: Organisation | None) -> FirstResponder | None:
    """The organisation's active entry on the first responder list, or None."""
    if organisation is None:
        return None
    return FirstResponder.objects.active().filter(organisation=organisation).first()


def require_first_responder(organisation: Organisation | None, *, field: str | None = None) -> FirstResponder:
    """The organisation's entry, or a refusal naming the first responder list rule."""
    entry = first_responder_for(organisation)
    if entry is None:
        name = organisation.name if organisation is not None else "You do not belong to an organisation, and"
        raise rule_error(
            field,
            FIRST_RESPONDER,
            f"{name} is not on the first responder list (version {rules.first_responder_list()['version']}), "
            "so it cannot make NRM referrals or Duty to Notify reports. Ask a first responder organisation "
            "(the police, the local authority or a listed charity) to make it.",
        )
    return entry


def _named_entry(organisation: Organisation) -> dict[str, str] | None:
    name = organisation.name.casefold()
    for entry in rules.first_responder_list()["named"]:
        names = [entry["name"], *entry.get("also", [])]
        if any(candidate.casefold() == name or name.startswith(candidate.casefold() + " ") for candidate in names):
            return entry
    return None


@dataclass
class SyncReport:
    version: str
    added: list[str] = field(default_factory=list)
    already: int = 0


@transaction.atomic
def first_responders_sync(*, actor: User | None) -> SyncReport:
    """Put every organisation the versioned list covers on the first responder list.

    Statutory first responders come by organisation type (the list's ``organisation_types``),
    non-statutory ones by name. Organisations already on the list (or taken off it by hand) are
    left as they are, so running it again changes nothing.
    """
    data = rules.first_responder_list()
    report = SyncReport(version=str(data["version"]))
    by_type = data.get("organisation_types", {})
    known = set(FirstResponder.objects.values_list("organisation_id", flat=True))
    for organisation in Organisation.objects.filter(is_active=True).order_by("name"):
        if organisation.pk in known:
            report.already += 1
            continue
        named = _named_entry(organisation)
        fro_type = named["type"] if named else by_type.get(organisation.org_type)
        if not fro_type:
            continue
        entry = FirstResponder.objects.create(
            organisation=organisation,
            fro_type=fro_type,
            listed_as=named["name"] if named else "",
            list_version=report.version,
            added_by=actor,
        )
        record_create(entry, fields=FIELDS, actor=actor)
        report.added.append(organisation.name)
    return report


@transaction.atomic
def first_responder_add(*, actor: User, organisation: Organisation, fro_type: str) -> FirstResponder:
    """Put ``organisation`` on the list by hand (or back on it), as ``fro_type``."""
    if not can_manage_first_responders(actor):
        raise PermissionDenied("Only administrators change the first responder list.")
    if fro_type not in dict(rules.first_responder_types()):
        raise ValidationError({"fro_type": "Choose a type of first responder from the list."})
    existing = FirstResponder.objects.filter(organisation=organisation).first()
    if existing is not None:
        before = snapshot(existing, FIELDS)
        existing.fro_type, existing.is_active = fro_type, True
        existing.save(update_fields=["fro_type", "is_active"])
        record_change(existing, before=before, fields=FIELDS)
        return existing
    entry = FirstResponder.objects.create(
        organisation=organisation, fro_type=fro_type, list_version="added by hand", added_by=actor
    )
    record_create(entry, fields=FIELDS, actor=actor)
    return entry


@transaction.atomic
def first_responder_remove(*, actor: User, entry: FirstResponder) -> FirstResponder:
    """Take an organisation off the list (kept, inactive, so its past referrals still name it)."""
    if not can_manage_first_responders(actor):
        raise PermissionDenied("Only administrators change the first responder list.")
    before = snapshot(entry, FIELDS)
    entry.is_active = False
    entry.save(update_fields=["is_active"])
    record_change(entry, before=before, fields=FIELDS)
    return entry
