"""Changing the person index: creating and editing people, their details, and merging them.

Every change goes through here, so each is validated the same way from the UI, the API, imports
and commands, keeps the blocking keys in step (:func:`rebuild_keys`), and writes one audit event
in the same transaction. Changes to a person's details (an alias, a phone) are recorded against
the person, so "who changed this child's record?" finds them all.

Merging follows survivorship rules (:func:`merge_people`); :func:`unmerge` replays the stored
undo record backwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from socex.audit.models import Action
from socex.audit.services import diff, record
from socex.people import normalise
from socex.people.access import RECORD_TYPE, can_create, can_merge, markers_visible_to
from socex.people.details import PersonDetails, details_from_person
from socex.people.keys import index_keys
from socex.people.models import (
    Address,
    Alias,
    AliasKind,
    CandidatePair,
    Decision,
    DobPrecision,
    Email,
    Ethnicity,
    Gender,
    Holding,
    Identifier,
    Marker,
    MarkerKind,
    MatchKey,
    Merge,
    Person,
    Phone,
)

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, User
    from socex.areas.models import LPA

PERSON_FIELDS = (
    "given_name",
    "middle_names",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "dob_precision",
    "gender",
    "gender_self_described",
    "ethnicity",
    "ethnicity_self_described",
    "nationality",
    "notes",
    "lpa_id",
)
NAME_AND_DOB_FIELDS = ("given_name", "family_name", "middle_names", "preferred_name", "date_of_birth", "dob_precision")
PROFILE_FIELDS = ("gender", "gender_self_described", "ethnicity", "ethnicity_self_described", "nationality", "notes")
PART_MODELS: dict[str, type[models.Model]] = {
    "alias": Alias,
    "identifier": Identifier,
    "address": Address,
    "phone": Phone,
    "email": Email,
    "marker": Marker,
    "holding": Holding,
}
PART_LABELS = {
    "alias": "Alias",
    "identifier": "Identifier",
    "address": "Address",
    "phone": "Phone",
    "email": "Email",
    "marker": "Warning marker",
    "holding": "Agency holding a record",
}
# Parts that change what the person can be matched on.
IDENTIFYING_PARTS = frozenset({"alias", "identifier", "address", "phone", "email"})


# --- checking details --------------------------------------------------------------------------


def _collect(errors: dict[str, str], field: str, clean: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``clean(*args, **kwargs)``, or None with its message put in ``errors[field]``."""
    try:
        return clean(*args, **kwargs)
    except ValidationError as error:
        errors.setdefault(field, " ".join(error.messages))
        return None


def clean_details(details: PersonDetails) -> PersonDetails:
    """``details`` with every value in normal form, or ``ValidationError({field: message})``."""
    errors: dict[str, str] = {}
    given = _collect(errors, "given_name", normalise.clean_name, details.given_name, label="First name")
    family = _collect(errors, "family_name", normalise.clean_name, details.family_name, label="Last name")
    middle = _collect(errors, "middle_names", normalise.clean_name, details.middle_names, label="Middle names")
    preferred = _collect(errors, "preferred_name", normalise.clean_name, details.preferred_name, label="Preferred name")
    dob = details.date_of_birth
    if dob is not None:
        dob = _collect(errors, "date_of_birth", normalise.check_date_of_birth, dob)
    precision = details.dob_precision
    if precision and precision not in DobPrecision.values:
        errors["dob_precision"] = "Say whether the date of birth is exact, a year, or estimated from an age."
    if dob is not None and not precision:
        precision = DobPrecision.EXACT
    postcodes = [_collect(errors, "postcode", normalise.clean_postcode, p) for p in details.postcodes]
    phones = [_collect(errors, "phone", normalise.clean_phone, p) for p in details.phones]
    emails = [_collect(errors, "email", normalise.clean_email, e) for e in details.emails]
    identifiers = [
        (kind, _collect(errors, kind, normalise.clean_identifier, kind, value)) for kind, value in details.identifiers
    ]
    aliases = [
        (
            _collect(errors, "aliases", normalise.clean_name, g, label="Alias"),
            _collect(errors, "aliases", normalise.clean_name, f, label="Alias"),
        )
        for g, f in details.aliases
    ]
    if not (given or family or preferred) and "given_name" not in errors and "family_name" not in errors:
        errors["family_name"] = "Enter at least a first name or a last name."
    if errors:
        raise ValidationError(errors)
    return replace(
        details,
        given_name=given,
        family_name=family,
        middle_names=middle,
        preferred_name=preferred,
        date_of_birth=dob,
        dob_precision=precision if dob is not None else "",
        postcodes=[p for p in postcodes if p],
        phones=list(dict.fromkeys(p for p in phones if p)),
        emails=list(dict.fromkeys(e for e in emails if e)),
        identifiers=list(dict.fromkeys((k, v) for k, v in identifiers if v)),
        aliases=[(g, f) for g, f in aliases if g or f],
    )


def clean_profile(profile: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({"profile": f"Unknown field(s): {', '.join(sorted(unknown))}."})
    cleaned = {name: str(profile.get(name) or "").strip() for name in PROFILE_FIELDS if name in profile}
    errors = {}
    if cleaned.get("gender") and cleaned["gender"] not in Gender.values:
        errors["gender"] = f"Choose a gender from the list ({', '.join(Gender.labels)})."
    if cleaned.get("ethnicity") and cleaned["ethnicity"] not in Ethnicity.values:
        errors["ethnicity"] = "Choose an ethnic group from the ONS 2021 list, or 'Not stated'."
    for name in ("gender_self_described", "ethnicity_self_described", "nationality"):
        if len(cleaned.get(name, "")) > 100:
            errors[name] = "This must be 100 characters or fewer."
    if errors:
        raise ValidationError(errors)
    if "gender" in cleaned:
        cleaned["gender"] = cleaned["gender"] or Gender.NOT_KNOWN
    if "ethnicity" in cleaned:
        cleaned["ethnicity"] = cleaned["ethnicity"] or Ethnicity.NOT_STATED
    return cleaned


# --- keys and state ----------------------------------------------------------------------------


def rebuild_keys(person: Person) -> None:
    """Replace the person's blocking keys with those of their current details (none once merged away)."""
    MatchKey.objects.filter(person=person).delete()
    if person.merged_into_id is not None:
        return
    fresh = Person.objects.prefetch_related("aliases", "addresses", "phones", "emails", "identifiers").get(pk=person.pk)
    keys = index_keys(details_from_person(fresh))
    MatchKey.objects.bulk_create(MatchKey(person=person, key=key) for key in sorted(keys))


def person_state(person: Person) -> dict[str, Any]:
    """The person's own fields as JSON-safe values, for audit diffs and for undoing a merge."""
    state = {}
    for name in PERSON_FIELDS:
        value = getattr(person, name)
        state[name] = value.isoformat() if isinstance(value, dt.date) else value
    return state


def _apply_state(person: Person, state: Mapping[str, Any]) -> None:
    for name, value in state.items():
        if name == "date_of_birth" and value:
            value = dt.date.fromisoformat(value)
        setattr(person, name, value)


def _part_text(kind: str, part: models.Model) -> str:
    return f"{PART_LABELS[kind]}: {part}"


# --- creating and changing people ----------------------------------------------------------------


def _check_can_create(actor: User) -> None:
    if not can_create(actor):
        raise PermissionDenied("You cannot add people to the index.")


def _addresses_from(details: PersonDetails, addresses: Iterable[Mapping[str, Any]] | None) -> list[Address]:
    if addresses is None:
        return [Address(postcode=postcode) for postcode in details.postcodes]
    return [Address(**_clean_address(dict(values))) for values in addresses]


@transaction.atomic
def person_create(
    *,
    actor: User,
    details: PersonDetails,
    owner: Organisation | None = None,
    lpa: LPA | None = None,
    profile: Mapping[str, Any] | None = None,
    holding_reference: str = "",
    addresses: Iterable[Mapping[str, Any]] | None = None,
) -> Person:
    """Add a person with their details; the owner organisation (the actor's by default) holds the record.

    ``addresses`` (dicts of line_1, line_2, town, postcode, date_from, date_to) replace the bare
    postcodes of ``details`` when given.
    """
    _check_can_create(actor)
    details = clean_details(details)
    cleaned_profile = clean_profile(profile or {})
    owner = owner or actor.organisation
    if owner is None:
        raise ValidationError({"owner": "Choose the organisation that holds this record."})
    person = Person.objects.create(
        given_name=details.given_name,
        middle_names=details.middle_names,
        family_name=details.family_name,
        preferred_name=details.preferred_name,
        date_of_birth=details.date_of_birth,
        dob_precision=details.dob_precision,
        owner=owner,
        lpa=lpa or getattr(owner, "lpa", None),
        created_by=actor,
        **cleaned_profile,
    )
    _create_parts(person, details, _addresses_from(details, addresses), holding_reference, owner)
    rebuild_keys(person)
    record(
        Action.CREATE,
        obj=person,
        changes=diff({}, person_state(person)),
        detail={"details": [_part_text(kind, part) for kind, part in _parts_of(person)]},
    )
    return person


def _create_parts(
    person: Person, details: PersonDetails, addresses: list[Address], holding_reference: str, owner: Organisation
) -> None:
    Alias.objects.bulk_create(Alias(person=person, given_name=g, family_name=f) for g, f in details.aliases)
    Identifier.objects.bulk_create(Identifier(person=person, kind=k, value=v) for k, v in details.identifiers)
    for address in addresses:
        address.person = person
    Address.objects.bulk_create(addresses)
    Phone.objects.bulk_create(Phone(person=person, number=n) for n in details.phones)
    Email.objects.bulk_create(Email(person=person, address=a) for a in details.emails)
    Holding.objects.create(person=person, organisation=owner, local_reference=holding_reference.strip()[:100])


def _parts_of(person: Person) -> list[tuple[str, models.Model]]:
    parts: list[tuple[str, models.Model]] = []
    for kind, model in PART_MODELS.items():
        parts.extend((kind, part) for part in model._default_manager.filter(person=person))
    return parts


def _check_can_edit(actor: User, person: Person) -> None:
    if not Person.objects.editable_by(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("You can see this person but not change their record.")
    if person.merged_into_id is not None:
        raise ValidationError(f"{person.reference} has been merged into another record: change that one instead.")


@transaction.atomic
def person_update(*, actor: User, person: Person, **fields: Any) -> Person:
    """Change a person's own fields (names, date of birth, profile); blocking keys follow."""
    _check_can_edit(actor, person)
    allowed = {name.removesuffix("_id") for name in PERSON_FIELDS} | {"lpa"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({"__all__": f"These cannot be changed here: {', '.join(sorted(unknown))}."})
    # Only the person's own identifying fields are checked here; their parts are unchanged.
    own = {name: fields.get(name, getattr(person, name)) for name in NAME_AND_DOB_FIELDS}
    details = clean_details(PersonDetails(**own))
    profile = clean_profile({name: fields[name] for name in PROFILE_FIELDS if name in fields})
    before = person_state(person)
    for name in NAME_AND_DOB_FIELDS:
        setattr(person, name, getattr(details, name))
    for name, value in profile.items():
        setattr(person, name, value)
    if "lpa" in fields:
        person.lpa = fields["lpa"]
    person.updated_at = timezone.now()
    person.save()
    changes = diff(before, person_state(person))
    if changes:
        rebuild_keys(person)
        record(Action.UPDATE, obj=person, changes=changes)
    return person


# --- details (parts) -----------------------------------------------------------------------------


def _clean_address(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = {name: str(values.get(name) or "").strip() for name in ("line_1", "line_2", "town")}
    cleaned["postcode"] = _collect(errors, "postcode", normalise.clean_postcode, str(values.get("postcode") or ""))
    for name, label in (("date_from", "Date moved in"), ("date_to", "Date moved out")):
        raw = values.get(name)
        cleaned[name] = _collect(errors, name, _clean_past_date, raw, label)
    if not any(cleaned.get(n) for n in ("line_1", "town", "postcode")) and "postcode" not in errors:
        errors["postcode"] = "Enter at least a postcode, a first line or a town."
    if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_to"] < cleaned["date_from"]:
        errors["date_to"] = "The date moved out must be on or after the date moved in."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_past_date(raw: Any, label: str) -> dt.date | None:
    if raw in (None, ""):
        return None
    value = raw if isinstance(raw, dt.date) else normalise.parse_date(str(raw), label=label)
    if value and value > timezone.localdate():
        raise ValidationError(f"{label} must be today or in the past.")
    return value


def _clean_part(kind: str, person: Person, values: dict[str, Any], actor: User) -> dict[str, Any]:
    if kind == "alias":
        errors: dict[str, str] = {}
        given = _collect(errors, "given_name", normalise.clean_name, values.get("given_name", ""), label="First name")
        family = _collect(errors, "family_name", normalise.clean_name, values.get("family_name", ""), label="Last name")
        alias_kind = values.get("alias_kind") or AliasKind.ALIAS
        if alias_kind not in AliasKind.values:
            errors["alias_kind"] = "Choose what kind of name this is."
        if not errors and not (given or family):
            errors["given_name"] = "Enter the name they are known by."
        if errors:
            raise ValidationError(errors)
        return {"kind": alias_kind, "given_name": given, "family_name": family}
    if kind == "identifier":
        id_kind = values.get("identifier_kind", "")
        value = _collect_one("value", normalise.clean_identifier, id_kind, values.get("value", ""))
        if Identifier.objects.filter(person=person, kind=id_kind, value=value).exists():
            raise ValidationError({"value": "This person already has that identifier."})
        return {"kind": id_kind, "value": value, "issued_by": str(values.get("issued_by") or "").strip()[:200]}
    if kind == "address":
        return _clean_address(values)
    if kind == "phone":
        number = _collect_one("number", normalise.clean_phone, values.get("number", ""))
        if not number:
            raise ValidationError({"number": "Enter a phone number."})
        return {"number": number, "label": str(values.get("label") or "").strip()[:50]}
    if kind == "email":
        address = _collect_one("address", normalise.clean_email, values.get("address", ""))
        if not address:
            raise ValidationError({"address": "Enter an email address."})
        return {"address": address}
    if kind == "marker":
        return _clean_marker(values, actor)
    if kind == "holding":
        organisation = values.get("organisation")
        if organisation is None:
            raise ValidationError({"organisation": "Choose the organisation that holds a record."})
        return {"organisation": organisation, "local_reference": str(values.get("local_reference") or "").strip()[:100]}
    raise ValidationError({"kind": f"Unknown kind of detail '{kind}'."})


def _collect_one(field: str, clean: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    errors: dict[str, str] = {}
    value = _collect(errors, field, clean, *args, **kwargs)
    if errors:
        raise ValidationError(errors)
    return value


def _clean_marker(values: dict[str, Any], actor: User) -> dict[str, Any]:
    errors: dict[str, str] = {}
    marker_kind = values.get("marker_kind", "")
    if marker_kind not in MarkerKind.values:
        errors["marker_kind"] = "Choose the kind of warning marker."
    date_from = _collect(errors, "date_from", _clean_past_date, values.get("date_from"), "Start date")
    date_to = values.get("date_to") or None
    if isinstance(date_to, str):
        date_to = _collect(errors, "date_to", normalise.parse_date, values["date_to"], label="End date")
    if date_from and date_to and date_to < date_from:
        errors["date_to"] = "The end date must be on or after the start date."
    if errors:
        raise ValidationError(errors)
    return {
        "kind": marker_kind,
        "detail": str(values.get("detail") or "").strip()[:300],
        "date_from": date_from or timezone.localdate(),
        "date_to": date_to,
        "added_by": actor,
    }


@transaction.atomic
def part_add(*, actor: User, person: Person, kind: str, **values: Any) -> models.Model:
    """Add an alias, identifier, address, phone, email, warning marker or holding agency.

    ``kind`` names the detail; the kind *of* an alias, identifier or marker comes as
    ``alias_kind``, ``identifier_kind`` or ``marker_kind`` (``kind`` is taken).
    """
    _check_can_edit(actor, person)
    model = PART_MODELS.get(kind)
    if model is None:
        raise ValidationError({"kind": f"Unknown kind of detail '{kind}'."})
    part = model._default_manager.create(person=person, **_clean_part(kind, person, values, actor))
    _touched(person, kind, added=part)
    return part


@transaction.atomic
def part_remove(*, actor: User, part: models.Model) -> None:
    """Remove one detail of a person (the audit log keeps what it was)."""
    kind = next((k for k, model in PART_MODELS.items() if isinstance(part, model)), None)
    if kind is None:
        raise ValidationError(f"{type(part).__name__} is not a detail of a person.")
    person = part.person  # type: ignore[attr-defined]
    _check_can_edit(actor, person)
    if kind == "marker" and not markers_visible_to(actor, person).filter(pk=part.pk).exists():
        raise PermissionDenied("You cannot remove a warning marker you cannot see.")
    if kind == "holding" and person.holdings.count() == 1:
        raise ValidationError("At least one agency must hold the record.")
    part.delete()
    _touched(person, kind, removed=part)


def _touched(
    person: Person, kind: str, *, added: models.Model | None = None, removed: models.Model | None = None
) -> None:
    person.updated_at = timezone.now()
    person.save(update_fields=["updated_at"])
    if kind in IDENTIFYING_PARTS:
        rebuild_keys(person)
    label = PART_LABELS[kind]
    change = [None, str(added)] if added is not None else [str(removed), None]
    record(Action.UPDATE, obj=person, changes={label: change})


# --- bulk creation (synthetic populations, benchmarks) --------------------------------------------


def people_bulk_create(
    rows: Iterable[PersonDetails | tuple[PersonDetails, Mapping[str, Any]]],
    *,
    owner: Organisation,
    actor: User | None = None,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write many people fast, for synthetic populations and load tests: bulk inserts, one
    transaction per batch, and one IMPORT event for the lot.

    Rows are trusted to be in normal form already (``synth_people`` makes them so); partners'
    files go through the import, which checks every value and writes each person separately.
    A row is a ``PersonDetails`` or a ``(PersonDetails, profile)`` pair.
    """
    total = 0
    batch: list[tuple[PersonDetails, Mapping[str, Any]]] = []
    for row in rows:
        batch.append(row if isinstance(row, tuple) else (row, {}))
        if len(batch) >= batch_size:
            total += _bulk_batch(batch, owner, actor)
            batch = []
            if progress:
                progress(total)
    if batch:
        total += _bulk_batch(batch, owner, actor)
        if progress:
            progress(total)
    with transaction.atomic():
        record(
            Action.IMPORT,
            actor=actor,
            object_type=RECORD_TYPE,
            export_count=total,
            detail={"source": "bulk creation", "people": total, "owner": str(owner)},
        )
    return total


@transaction.atomic
def _bulk_batch(batch: list[tuple[PersonDetails, Mapping[str, Any]]], owner: Organisation, actor: User | None) -> int:
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(
            given_name=d.given_name,
            middle_names=d.middle_names,
            family_name=d.family_name,
            preferred_name=d.preferred_name,
            date_of_birth=d.date_of_birth,
            dob_precision=d.dob_precision or (DobPrecision.EXACT if d.date_of_birth else ""),
            owner=owner,
            lpa_id=owner.lpa_id,
            created_by=actor,
            created_at=now,
            updated_at=now,
            **{name: profile[name] for name in PROFILE_FIELDS if name in profile},
        )
        for d, profile in batch
    )
    pairs = list(zip(people, (d for d, _ in batch), strict=True))
    Alias.objects.bulk_create(Alias(person=p, given_name=g, family_name=f) for p, d in pairs for g, f in d.aliases)
    Identifier.objects.bulk_create(Identifier(person=p, kind=k, value=v) for p, d in pairs for k, v in d.identifiers)
    Address.objects.bulk_create(Address(person=p, postcode=pc) for p, d in pairs for pc in d.postcodes)
    Phone.objects.bulk_create(Phone(person=p, number=n) for p, d in pairs for n in d.phones)
    Email.objects.bulk_create(Email(person=p, address=a) for p, d in pairs for a in d.emails)
    Holding.objects.bulk_create(Holding(person=p, organisation=owner) for p, _ in pairs)
    MatchKey.objects.bulk_create(
        (MatchKey(person=p, key=key) for p, d in pairs for key in sorted(index_keys(d))), batch_size=10_000
    )
    return len(people)


# --- merging -------------------------------------------------------------------------------------


def _prefer(survivor_value: Any, merged_value: Any, *, empty: Iterable[Any] = ("", None)) -> Any:
    return merged_value if survivor_value in tuple(empty) and merged_value not in tuple(empty) else survivor_value


def survivorship(survivor: Person, merged: Person) -> dict[str, Any]:
    """The survivor's fields after the merge. The survivor's value wins, except that:

    * a blank (or 'not known' / 'not stated') value is filled from the merged record;
    * an exact date of birth beats an approximate one;
    * notes are kept from both, the merged record's under a heading.
    """
    result = person_state(survivor)
    other = person_state(merged)
    for name in ("given_name", "middle_names", "family_name", "preferred_name", "nationality", "lpa_id"):
        result[name] = _prefer(result[name], other[name])
    result["gender"] = _prefer(result["gender"], other["gender"], empty=(Gender.NOT_KNOWN, ""))
    if result["gender"] == other["gender"]:
        result["gender_self_described"] = _prefer(result["gender_self_described"], other["gender_self_described"])
    result["ethnicity"] = _prefer(result["ethnicity"], other["ethnicity"], empty=(Ethnicity.NOT_STATED, ""))
    if result["ethnicity"] == other["ethnicity"]:
        result["ethnicity_self_described"] = _prefer(
            result["ethnicity_self_described"], other["ethnicity_self_described"]
        )
    survivor_exact = result["date_of_birth"] and result["dob_precision"] == DobPrecision.EXACT
    merged_exact = other["date_of_birth"] and other["dob_precision"] == DobPrecision.EXACT
    if other["date_of_birth"] and (not result["date_of_birth"] or (merged_exact and not survivor_exact)):
        result["date_of_birth"], result["dob_precision"] = other["date_of_birth"], other["dob_precision"]
    if other["notes"]:
        heading = f"From {merged.reference}:"
        result["notes"] = f"{result['notes']}\n\n{heading}\n{other['notes']}".strip()
    return result


def _name_already_known(survivor: Person, given: str, family: str) -> bool:
    folded = (normalise.fold_name(given), normalise.fold_name(family))
    names = [(survivor.given_name, survivor.family_name)] + [
        (a.given_name, a.family_name) for a in survivor.aliases.all()
    ]
    return any((normalise.fold_name(g), normalise.fold_name(f)) == folded for g, f in names)


def merge_problem(survivor: Person, merged: Person) -> str | None:
    """Why these two records cannot be merged, or None if they can."""
    if survivor.pk == merged.pk:
        return "Choose two different people to merge."
    for person in (survivor, merged):
        if person.merged_into_id is not None:
            return f"{person.reference} has already been merged into another record."
    return None


def _check_merge(actor: User, survivor: Person, merged: Person, reason: str) -> None:
    if not can_merge(actor):
        raise PermissionDenied("You cannot merge people.")
    problem = merge_problem(survivor, merged)
    if problem:
        raise ValidationError(problem)
    if not reason.strip():
        raise ValidationError({"reason": "Say why these records are the same person."})


def _move_links(source: Person, target: Person) -> list[dict[str, Any]]:
    """Point every other app's link at ``target`` instead of ``source``; return what moved."""
    from socex.people.links import linked_fields

    moved = []
    for model, field_name in linked_fields():
        field = model._meta.get_field(field_name)
        if field.many_to_many:
            moved.append(_move_m2m(model, field, source, target))
        else:
            ids = list(model._default_manager.filter(**{field_name: source}).values_list("pk", flat=True))
            model._default_manager.filter(pk__in=ids).update(**{field_name: target})
            moved.append({"model": model._meta.label_lower, "field": field_name, "ids": [str(i) for i in ids]})
    return [entry for entry in moved if entry.get("ids") or entry.get("removed")]


def _m2m_columns(field: Any) -> tuple[type[models.Model], str, str]:
    through = field.remote_field.through
    return through, field.m2m_column_name(), field.m2m_reverse_name()


def _move_m2m(model: type[models.Model], field: Any, source: Person, target: Person) -> dict[str, Any]:
    through, owner_column, person_column = _m2m_columns(field)
    rows = through._default_manager.filter(**{person_column: source.pk})
    already = set(through._default_manager.filter(**{person_column: target.pk}).values_list(owner_column, flat=True))
    moved_ids, removed_owners = [], []
    for row_id, owner_id in rows.values_list("pk", owner_column):
        if owner_id in already:
            removed_owners.append(str(owner_id))
            through._default_manager.filter(pk=row_id).delete()
        else:
            moved_ids.append(row_id)
    through._default_manager.filter(pk__in=moved_ids).update(**{person_column: target.pk})
    return {
        "model": model._meta.label_lower,
        "field": field.name,
        "ids": [str(i) for i in moved_ids],
        "removed": removed_owners,
    }


def _lock(*people: Person) -> list[Person]:
    return list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in people]).order_by("pk"))


@transaction.atomic
def merge_people(*, actor: User, survivor: Person, merged: Person, reason: str) -> Merge:
    """Fold ``merged`` into ``survivor``: survivorship for their own fields, every detail and every
    other app's link moved to the survivor, the merged record kept (pointing at the survivor) so
    the merge can be undone. Audited on both people."""
    _lock(survivor, merged)
    survivor.refresh_from_db()
    merged.refresh_from_db()
    _check_merge(actor, survivor, merged, reason)
    before = person_state(survivor)
    after = survivorship(survivor, merged)
    created_alias = None
    if (merged.given_name or merged.family_name) and not _name_already_known(
        survivor, merged.given_name, merged.family_name
    ):
        created_alias = Alias.objects.create(
            person=survivor, kind=AliasKind.ALIAS, given_name=merged.given_name, family_name=merged.family_name
        )
    moved_parts = {}
    for kind, model in PART_MODELS.items():
        ids = list(model._default_manager.filter(person=merged).values_list("pk", flat=True))
        model._default_manager.filter(pk__in=ids).update(person=survivor)
        moved_parts[kind] = ids
    links = _move_links(merged, survivor)
    _apply_state(survivor, after)
    survivor.updated_at = timezone.now()
    survivor.save()
    merged.merged_into = survivor
    merged.updated_at = timezone.now()
    merged.save(update_fields=["merged_into", "updated_at"])
    rebuild_keys(merged)
    rebuild_keys(survivor)
    _settle_pair(actor, survivor, merged)
    merge = Merge.objects.create(
        survivor=survivor,
        merged=merged,
        reason=reason.strip(),
        merged_by=actor,
        undo={
            "survivor_before": before,
            "survivor_after": after,
            "moved_parts": moved_parts,
            "created_alias": created_alias.pk if created_alias else None,
            "links": links,
        },
    )
    summary = {kind: len(ids) for kind, ids in moved_parts.items() if ids}
    detail = {
        "merge": merge.pk,
        "merged": merged.reference,
        "survivor": survivor.reference,
        "moved": summary,
        "links": links,
    }
    record(Action.MERGE, obj=survivor, changes=diff(before, after), justification=merge.reason, detail=detail)
    record(
        Action.MERGE,
        obj=merged,
        changes={"merged_into": [None, survivor.reference]},
        justification=merge.reason,
        detail=detail,
    )
    return merge


def _settle_pair(actor: User, survivor: Person, merged: Person) -> None:
    low, high = sorted((survivor.pk, merged.pk))
    CandidatePair.objects.filter(person_a_id=low, person_b_id=high, decision=Decision.PENDING).update(
        decision=Decision.SAME, decided_by=actor, decided_at=timezone.now(), decision_note="Merged."
    )


def _check_unmerge(actor: User, merge: Merge, reason: str) -> None:
    if not can_merge(actor):
        raise PermissionDenied("You cannot undo merges.")
    if merge.is_undone:
        raise ValidationError("This merge has already been undone.")
    if merge.survivor.merged_into_id is not None:
        raise ValidationError(
            f"{merge.survivor.reference} has since been merged into {merge.survivor.merged_into.reference}: "  # type: ignore[union-attr]
            "undo that merge first."
        )
    if merge.merged.merged_into_id != merge.survivor_id:
        raise ValidationError(f"{merge.merged.reference} is no longer merged into {merge.survivor.reference}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the merge was wrong."})


@transaction.atomic
def unmerge(*, actor: User, merge: Merge, reason: str) -> Merge:
    """Undo a merge: the merged person, their details and their links return to what they were.

    The survivor's fields go back to their values before the merge, except a field someone has
    changed since (that later change is kept, and the audit event says so).
    """
    survivor, merged = merge.survivor, merge.merged
    _lock(survivor, merged)
    survivor.refresh_from_db()
    merged.refresh_from_db()
    _check_unmerge(actor, merge, reason)
    undo = merge.undo
    now_state = person_state(survivor)
    restore = {
        name: value
        for name, value in undo["survivor_before"].items()
        if now_state.get(name) == undo["survivor_after"].get(name)
    }
    kept = sorted(name for name in undo["survivor_before"] if name not in restore)
    for kind, ids in undo["moved_parts"].items():
        PART_MODELS[kind]._default_manager.filter(pk__in=ids, person=survivor).update(person=merged)
    if undo.get("created_alias"):
        Alias.objects.filter(pk=undo["created_alias"], person=survivor).delete()
    _restore_links(undo["links"], survivor, merged)
    _apply_state(survivor, restore)
    survivor.updated_at = timezone.now()
    survivor.save()
    merged.merged_into = None
    merged.updated_at = timezone.now()
    merged.save(update_fields=["merged_into", "updated_at"])
    rebuild_keys(merged)
    rebuild_keys(survivor)
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.undo_reason = reason.strip()
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    detail = {"merge": merge.pk, "merged": merged.reference, "survivor": survivor.reference, "kept_later_changes": kept}
    record(
        Action.UNMERGE,
        obj=survivor,
        changes=diff(now_state, person_state(survivor)),
        justification=merge.undo_reason,
        detail=detail,
    )
    record(
        Action.UNMERGE,
        obj=merged,
        changes={"merged_into": [survivor.reference, None]},
        justification=merge.undo_reason,
        detail=detail,
    )
    return merge


def _restore_links(links: list[dict[str, Any]], survivor: Person, merged: Person) -> None:
    from django.apps import apps

    for entry in links:
        model = apps.get_model(entry["model"])
        field = model._meta.get_field(entry["field"])
        if field.many_to_many:
            through, owner_column, person_column = _m2m_columns(field)
            through._default_manager.filter(pk__in=entry["ids"], **{person_column: survivor.pk}).update(
                **{person_column: merged.pk}
            )
            through._default_manager.bulk_create(
                through(**{owner_column: owner_id, person_column: merged.pk}) for owner_id in entry.get("removed", [])
            )
        else:
            model._default_manager.filter(pk__in=entry["ids"], **{entry["field"]: survivor}).update(
                **{entry["field"]: merged}
            )
