"""Every change to intelligence: submitting, evaluating, sanitising, publishing and disseminating
reports; confirming the entities they mention; county lines and groups; typed links.

Each function is atomic, checks who is acting and the rule it applies, and writes its own audit
event. A broken rule is a ``ValidationError`` whose message names the rule (see
:mod:`socex.intelligence.rules`); acting without the capability is ``PermissionDenied``.

The workflow: submitted → evaluated (graded by a second person, not the author) → sanitised (the
text that may leave police hands) → published. Only a published report with sanitised text, whose
handling code permits it, is disseminated to a partner agency, and only through the sharing
ledger (:func:`report_disseminate`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from socex.audit.services import record_change, record_create, snapshot
from socex.core.references import next_reference
from socex.intelligence import conf, rules
from socex.intelligence.access import (
    can_add_mentions,
    can_disseminate,
    can_evaluate,
    can_read_intel,
    can_submit,
)
from socex.intelligence.models import (
    Dissemination,
    Entity,
    EntityKind,
    GradingScheme,
    Group,
    GroupKind,
    HandlingCode,
    Link,
    LinkType,
    Mention,
    Report,
    ReportStatus,
    SourceType,
)
from socex.intelligence.suggest import (
    Suggestion,
    format_registration,
    is_registration,
    suggest_entities,
)
from socex.people.normalise import clean_email, clean_phone, clean_postcode, display_phone

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, Team, User
    from socex.areas.models import LPA
    from socex.people.models import Person
    from socex.sharing.models import LegalBasis

REPORT_FIELDS = (
    "reference",
    "source_type",
    "obtained_on",
    "lpa",
    "status",
    "restricted_team",
    "retention_group",
    "review_date",
)
GRADE_FIELDS = (
    "status",
    "grading_scheme",
    "source_evaluation",
    "intelligence_assessment",
    "handling_code",
    "handling_conditions",
    "legacy_grading",
    "evaluated_by",
    "retention_group",
    "review_date",
)
ENTITY_FIELDS = ("kind", "key", "label", "person", "group")
GROUP_FIELDS = ("kind", "name", "deal_line", "areas_supplied", "area_notes")
LINK_FIELDS = ("source", "target", "link_type", "valid_from", "valid_to", "report")

# Which kinds of entity each link type joins: (source kinds, target kinds).
_PERSON, _GROUP = EntityKind.PERSON.value, EntityKind.GROUP.value
LINK_KINDS: dict[str, tuple[set[str], set[str]]] = {
    LinkType.ASSOCIATE.value: ({_PERSON, _GROUP}, {_PERSON, _GROUP}),
    LinkType.FAMILY.value: ({_PERSON}, {_PERSON}),
    LinkType.RECRUITED_BY.value: ({_PERSON}, {_PERSON, _GROUP}),
    LinkType.USES_PHONE.value: ({_PERSON, _GROUP}, {EntityKind.PHONE.value}),
    LinkType.DRIVES.value: ({_PERSON, _GROUP}, {EntityKind.VEHICLE.value}),
    LinkType.LIVES_AT.value: ({_PERSON}, {EntityKind.LOCATION.value}),
    LinkType.FREQUENTS.value: ({_PERSON, _GROUP}, {EntityKind.LOCATION.value}),
    LinkType.RUNS_LINE.value: ({_PERSON}, {_GROUP}),
    LinkType.USES_ACCOUNT.value: ({_PERSON, _GROUP}, {EntityKind.EMAIL.value, EntityKind.HANDLE.value}),
}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(report: Report) -> Report:
    """The report re-read under a row lock, so two evaluators cannot both move it on."""
    return Report.objects.select_for_update().get(pk=report.pk)


# --- Reports -------------------------------------------------------------------------------------


def _check_report_input(
    *, actor: User, source_type: str, obtained_on: dt.date, text: str, restricted_team: Team | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if source_type not in SourceType.values:
        errors["source_type"] = "Choose where the intelligence came from"
    if obtained_on > timezone.localdate():
        errors["obtained_on"] = rules.broken(rules.DATE_OBTAINED, "The date obtained must be today or in the past")
    if not text.strip():
        errors["text"] = "Enter what you know"
    elif len(text) > conf.text_max_length():
        errors["text"] = f"The report must be {conf.text_max_length():,} characters or fewer"
    if restricted_team is not None and restricted_team.organisation_id != actor.organisation_id:
        errors["restricted_team"] = rules.broken(rules.RESTRICTED_TEAM, "Choose a team in your own organisation")
    return errors


@transaction.atomic
def report_submit(
    *,
    actor: User,
    source_type: str,
    obtained_on: dt.date,
    lpa: LPA,
    text: str,
    restricted_team: Team | None = None,
) -> Report:
    """Submit a new intelligence report (``intel.create``, police only). It starts ungraded, in the
    default retention group, with its review date counted from the date obtained."""
    _require(
        can_submit(actor), "You need the intel.create capability, in a police organisation, to submit intelligence."
    )
    errors = _check_report_input(
        actor=actor, source_type=source_type, obtained_on=obtained_on, text=text, restricted_team=restricted_team
    )
    if errors:
        raise ValidationError(errors)
    group = conf.retention_schedule().default
    report = Report(
        reference=next_reference(Report, "INT", width=7),
        source_type=source_type,
        obtained_on=obtained_on,
        lpa=lpa,
        text=text.strip(),
        author=actor,
        owner=actor.organisation,
        restricted_team=restricted_team,
        retention_group=group.code,
        review_date=group.review_date(obtained_on),
    )
    report.save(force_insert=True)
    record_create(report, fields=REPORT_FIELDS, actor=actor)
    return report


@transaction.atomic
def report_evaluate(
    *,
    actor: User,
    report: Report,
    grade: rules.Grade,
    retention_group: str = "",
) -> Report:
    """Grade a submitted report (or re-grade an evaluated one) and move it to *evaluated*.

    Only an evaluator (``intel.evaluate``) who is not the author may (second-person evaluation).
    The grade must fit its scheme; a legacy 5x5x5 grade is stored exactly as written. The
    retention group (default: the one it has) sets the review date.
    """
    _require(can_evaluate(actor), "You need the intel.evaluate capability to evaluate intelligence.")
    report = _locked(report)
    if report.author_id == actor.pk:
        raise rules.refuse(None, rules.SECOND_PERSON, "You wrote this report, so someone else must evaluate it")
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.EVALUATED):
        raise rules.refuse(
            None,
            rules.WORKFLOW,
            f"This report is already {report.get_status_display().lower()}: its grade can no longer change",
        )
    checked = rules.check_grade(grade)
    schedule = conf.retention_schedule()
    group_code = retention_group or report.retention_group or schedule.default_group
    if group_code not in schedule.groups:
        raise ValidationError({"retention_group": "Choose one of the retention groups"})
    before = snapshot(report, GRADE_FIELDS)
    report.grading_scheme = checked.scheme
    report.source_evaluation = checked.source_evaluation
    report.intelligence_assessment = checked.intelligence_assessment
    report.handling_code = checked.handling_code
    report.handling_conditions = checked.handling_conditions
    report.legacy_grading = checked.legacy_grading
    report.status = ReportStatus.EVALUATED
    report.evaluated_by = actor
    report.evaluated_at = timezone.now()
    report.retention_group = group_code
    report.review_date = schedule.groups[group_code].review_date(report.obtained_on)
    report.save(update_fields=[*GRADE_FIELDS, "evaluated_at", "updated_at"])
    record_change(report, before=before, fields=GRADE_FIELDS)
    return report


@transaction.atomic
def report_sanitise(*, actor: User, report: Report, sanitised_text: str) -> Report:
    """Record the sanitised text: the only text that may ever leave police hands.

    An evaluator writes it once the report is evaluated, and may revise it until it is published.
    """
    _require(can_evaluate(actor), "You need the intel.evaluate capability to sanitise intelligence.")
    report = _locked(report)
    if report.status == ReportStatus.SUBMITTED:
        raise rules.refuse(None, rules.WORKFLOW, "Evaluate and grade the report before sanitising it")
    if report.status == ReportStatus.PUBLISHED:
        raise rules.refuse(None, rules.WORKFLOW, "This report is published: its sanitised text can no longer change")
    text = sanitised_text.strip()
    if not text:
        raise ValidationError(
            {
                "sanitised_text": "Enter the sanitised text: what may be shared, "
                "with anything that could identify the source removed"
            }
        )
    if len(text) > conf.text_max_length():
        raise ValidationError(
            {"sanitised_text": f"The sanitised text must be {conf.text_max_length():,} characters or fewer"}
        )
    before = snapshot(report, ("status", "sanitised_text"))
    report.sanitised_text = text
    report.status = ReportStatus.SANITISED
    report.sanitised_by = actor
    report.sanitised_at = timezone.now()
    report.save(update_fields=["sanitised_text", "status", "sanitised_by", "sanitised_at", "updated_at"])
    record_change(report, before=before, fields=("status", "sanitised_text"))
    return report


@transaction.atomic
def report_publish(*, actor: User, report: Report) -> Report:
    """Publish a sanitised report. Refused without sanitised text, and before evaluation."""
    _require(can_evaluate(actor), "You need the intel.evaluate capability to publish intelligence.")
    report = _locked(report)
    if report.status == ReportStatus.PUBLISHED:
        raise rules.refuse(None, rules.WORKFLOW, "This report is already published")
    if report.status == ReportStatus.SUBMITTED:
        raise rules.refuse(None, rules.WORKFLOW, "Evaluate, grade and sanitise the report before publishing it")
    if report.status != ReportStatus.SANITISED or not report.sanitised_text.strip():
        raise rules.refuse(
            None,
            rules.SANITISED_BEFORE_PUBLISHING,
            "A report is published only with sanitised text, the only text that may leave police hands: "
            "sanitise it first",
        )
    before = snapshot(report, ("status",))
    report.status = ReportStatus.PUBLISHED
    report.published_by = actor
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    record_change(report, before=before, fields=("status",))
    return report


def dissemination_problem(report: Report, *, conditions_confirmed: bool) -> ValidationError | None:
    """Why ``report`` may not be disseminated now, or ``None`` if it may."""
    if report.status != ReportStatus.PUBLISHED or not report.sanitised_text.strip():
        return rules.refuse(
            None,
            rules.PUBLISHED_ONLY,
            "Only a published report, with its sanitised text, can be disseminated: publish it first",
        )
    if report.grading_scheme != GradingScheme.THREE_FIVE_TWO or report.handling_code not in HandlingCode.values:
        return rules.refuse(
            None,
            rules.HANDLING_PERMITS,
            "This report has a legacy 5x5x5 grade, which is never read as a 3x5x2 handling code: "
            "it cannot be disseminated until it is graded under 3x5x2",
        )
    if report.handling_code == HandlingCode.CONDITIONS and not conditions_confirmed:
        return rules.refuse(
            "conditions_confirmed",
            rules.HANDLING_PERMITS,
            f"Handling code C: sharing is permitted only under its conditions ({report.handling_conditions}). "
            "Confirm that sharing with this agency meets them",
        )
    return None


@transaction.atomic
def report_disseminate(
    *,
    actor: User,
    report: Report,
    organisation: Organisation,
    legal_basis: LegalBasis,
    scope: str,
    until: dt.date,
    conditions_confirmed: bool = False,
) -> Dissemination:
    """Send a published report's sanitised text to a partner agency, through the sharing ledger.

    Handling code P permits it; code C only when the sharer confirms the conditions are met; a
    legacy 5x5x5 grade never does. The share (and its SHARE audit event) is made by
    ``sharing.services.share_grant``; the recipient then sees the sanitised copy and nothing else.
    """
    from socex.sharing.services import share_grant

    _require(
        can_disseminate(actor),
        "You need intel.view and sharing.manage to disseminate intelligence to a partner agency.",
    )
    report = _locked(report)
    problem = dissemination_problem(report, conditions_confirmed=conditions_confirmed)
    if problem is not None:
        raise problem
    share = share_grant(
        actor=actor, obj=report, organisation=organisation, legal_basis=legal_basis, scope=scope, until=until
    )
    dissemination = Dissemination(
        report=report,
        share=share,
        handling_code=report.handling_code,
        handling_conditions=report.handling_conditions,
        conditions_confirmed=report.handling_code == HandlingCode.CONDITIONS and conditions_confirmed,
    )
    dissemination.save(force_insert=True)
    record_create(
        dissemination, fields=("report", "share", "handling_code", "handling_conditions", "conditions_confirmed")
    )
    return dissemination


# --- Entities ------------------------------------------------------------------------------------

_HANDLE = re.compile(r"[a-z0-9_][a-z0-9_.]{0,29}")


def entity_key(kind: str, value: str) -> tuple[str, str]:
    """``(key, label)`` for an entity typed by hand: the normal form ``Entity.key`` holds, and how it
    reads. Raises ``ValidationError`` on ``value`` if it is not a valid value of its kind. People and
    groups are not typed: use :func:`person_entity` and :func:`group_entity`."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({"value": "Enter the value"})
    try:
        if kind == EntityKind.PHONE:
            e164 = clean_phone(text)
            return e164, display_phone(e164)
        if kind == EntityKind.VEHICLE:
            compact = re.sub(r"\s+", "", text).upper()
            if not is_registration(compact):
                raise ValidationError(f"Enter a UK registration like AB12 CDE. '{text[:20]}' is not one.")
            return compact, format_registration(compact)
        if kind == EntityKind.LOCATION:
            return _location_key(text)
        if kind == EntityKind.EMAIL:
            address = clean_email(text).lower()
            return address, address
        if kind == EntityKind.HANDLE:
            handle = text.removeprefix("@").lower()
            if not _HANDLE.fullmatch(handle):
                raise ValidationError("A handle has letters, numbers, dots and underscores, like @name_123.")
            return handle, f"@{handle}"
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from None
    raise ValidationError({"kind": "Choose a phone, vehicle, location, email or handle"})


def _location_key(text: str) -> tuple[str, str]:
    """A postcode in its normal form, or a named place (``place:<folded name>``)."""
    try:
        postcode = clean_postcode(text)
    except ValidationError:
        postcode = ""
    if postcode:
        return postcode, postcode
    place = " ".join(text.split())
    if len(place) > 150:
        raise ValidationError("A place name must be 150 characters or fewer.")
    return f"place:{place.casefold()}", place


def _get_or_create_entity(*, actor: User, kind: str, key: str, label: str, **links: object) -> Entity:
    existing = Entity.objects.filter(kind=kind, key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            entity = Entity(kind=kind, key=key, label=label[:200], **links)
            entity.save(force_insert=True)
    except IntegrityError:  # created by someone else a moment ago
        return Entity.objects.get(kind=kind, key=key)
    record_create(entity, fields=ENTITY_FIELDS, actor=actor)
    return entity


def person_entity(*, actor: User, person: Person) -> Entity:
    """The network node of a person from the index (made the first time it is needed)."""
    return _get_or_create_entity(
        actor=actor,
        kind=EntityKind.PERSON,
        key=str(person.pk),
        label=f"{person.display_name} ({person.reference})",
        person=person,
    )


def group_entity(*, actor: User, group: Group) -> Entity:
    """The network node of a county line or crime group."""
    return _get_or_create_entity(actor=actor, kind=EntityKind.GROUP, key=str(group.pk), label=group.name, group=group)


@transaction.atomic
def entity_get_or_create(*, actor: User, kind: str, value: str) -> Entity:
    """The entity of ``kind`` with ``value`` in its normal form, made if new (anyone who may submit
    intelligence: an entity on its own says nothing until a report mentions it)."""
    _require(can_submit(actor), "You need intel.create to add entities.")
    key, label = entity_key(kind, value)
    return _get_or_create_entity(actor=actor, kind=kind, key=key, label=label)


def _mention(*, actor: User, report: Report, entity: Entity, text: str) -> Mention | None:
    if Mention.objects.filter(report=report, entity=entity).exists():
        return None
    mention = Mention(report=report, entity=entity, text=text[:200], confirmed_by=actor)
    mention.save(force_insert=True)
    record_create(mention, fields=("report", "entity", "text"), actor=actor)
    return mention


def _entity_for_suggestion(actor: User, suggestion: Suggestion) -> Entity:
    from socex.people.models import Person

    if suggestion.kind == EntityKind.PERSON and suggestion.person_id is not None:
        person = Person.objects.visible_to(actor).get(pk=suggestion.person_id)
        return person_entity(actor=actor, person=person)
    return _get_or_create_entity(actor=actor, kind=suggestion.kind, key=suggestion.key, label=suggestion.label)


@transaction.atomic
def mentions_confirm(*, actor: User, report: Report, tokens: Iterable[str]) -> list[Mention]:
    """Keep the suggestions an officer ticked (by their ``kind:key`` token) as the report's mentions.

    Suggestions are worked out again from the report's text here, so only an entity the text
    really suggests can be confirmed this way; each becomes an ``Entity`` (if new) and a
    ``Mention``. Returns the mentions made (none for one already kept).
    """
    _require(can_add_mentions(actor, report), "You may not add entities to this report.")
    wanted = set(tokens)
    offered = {suggestion.token: suggestion for suggestion in suggest_entities(report.text, actor)}
    unknown = wanted - set(offered)
    if unknown:
        raise ValidationError({"entities": "Choose from the suggestions listed; the text does not suggest the others"})
    made = []
    for token in sorted(wanted, key=lambda t: offered[t].start):
        suggestion = offered[token]
        mention = _mention(
            actor=actor, report=report, entity=_entity_for_suggestion(actor, suggestion), text=suggestion.text
        )
        if mention is not None:
            made.append(mention)
    return made


@transaction.atomic
def mention_add(*, actor: User, report: Report, entity: Entity, text: str = "") -> Mention | None:
    """Record that ``report`` mentions ``entity`` (typed by hand, or a person chosen from the index)."""
    _require(can_add_mentions(actor, report), "You may not add entities to this report.")
    return _mention(actor=actor, report=report, entity=entity, text=text or entity.label)


# --- Groups and county lines ---------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    actor: User,
    kind: str,
    name: str,
    deal_line: str = "",
    areas_supplied: Iterable[LPA] = (),
    area_notes: str = "",
) -> Group:
    """A county line (line name, deal-line phone, the areas it supplies) or an organised crime
    group, with its network node; a deal line also becomes a phone entity."""
    _require(
        can_read_intel(actor) and actor.has_cap("intel.create"), "You need intel.view and intel.create to add groups."
    )
    errors: dict[str, str] = {}
    name = " ".join(name.split())
    if kind not in GroupKind.values:
        errors["kind"] = "Choose a county line or an organised crime group"
    if not name:
        errors["name"] = "Enter the name the line or group is known by, for example 'Ky line'"
    elif len(name) > 100:
        errors["name"] = "The name must be 100 characters or fewer"
    elif Group.objects.filter(kind=kind, name__iexact=name).exists():
        errors["name"] = f"There is already a {GroupKind(kind).label.lower()} called '{name}'"
    number = ""
    if deal_line.strip():
        try:
            number = clean_phone(deal_line)
        except ValidationError as error:
            errors["deal_line"] = " ".join(error.messages)
    if number and kind != GroupKind.COUNTY_LINE:
        errors["deal_line"] = "Only a county line has a deal line"
    if errors:
        raise ValidationError(errors)
    group = Group(kind=kind, name=name, deal_line=number, area_notes=area_notes.strip()[:200])
    group.save(force_insert=True)
    group.areas_supplied.set(list(areas_supplied))
    record_create(group, fields=GROUP_FIELDS, actor=actor)
    group_entity(actor=actor, group=group)
    if number:
        _get_or_create_entity(actor=actor, kind=EntityKind.PHONE, key=number, label=display_phone(number))
    return group


@transaction.atomic
def group_update(*, actor: User, group: Group, deal_line: str, areas_supplied: Iterable[LPA], area_notes: str) -> Group:
    """Change a line's deal-line phone, the areas it supplies and the notes on them (audited)."""
    _require(
        can_read_intel(actor) and actor.has_cap("intel.create"),
        "You need intel.view and intel.create to change groups.",
    )
    number = ""
    if deal_line.strip():
        try:
            number = clean_phone(deal_line)
        except ValidationError as error:
            raise ValidationError({"deal_line": error.messages}) from None
    if number and group.kind != GroupKind.COUNTY_LINE:
        raise ValidationError({"deal_line": "Only a county line has a deal line"})
    before = snapshot(group, GROUP_FIELDS)
    group.deal_line = number
    group.area_notes = area_notes.strip()[:200]
    group.save(update_fields=["deal_line", "area_notes"])
    group.areas_supplied.set(list(areas_supplied))
    record_change(group, before=before, fields=GROUP_FIELDS)
    if number:
        _get_or_create_entity(actor=actor, kind=EntityKind.PHONE, key=number, label=display_phone(number))
    return group


# --- Links ---------------------------------------------------------------------------------------


def _link_errors(
    *, source: Entity, target: Entity, link_type: str, valid_from: dt.date | None, valid_to: dt.date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if source.pk == target.pk:
        errors["target"] = rules.broken(rules.LINK_KINDS, "An entity cannot be linked to itself")
    if link_type not in LINK_KINDS:
        errors["link_type"] = "Choose the type of link"
    else:
        sources, targets = LINK_KINDS[link_type]
        label = LinkType(link_type).label.lower()
        if source.kind not in sources:
            errors["source"] = rules.broken(
                rules.LINK_KINDS,
                f"'{label}' links from {_kinds(sources)}, not from a {EntityKind(source.kind).label.lower()}",
            )
        if target.kind not in targets:
            errors["target"] = rules.broken(
                rules.LINK_KINDS,
                f"'{label}' links to {_kinds(targets)}, not to a {EntityKind(target.kind).label.lower()}",
            )
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = rules.broken(rules.LINK_DATES, "The end date must be the same as or after the start date")
    return errors


def _kinds(kinds: set[str]) -> str:
    labels = sorted(EntityKind(kind).label.lower() for kind in kinds)
    return " or ".join(f"a {label}" for label in labels)


@transaction.atomic
def link_create(
    *,
    actor: User,
    report: Report,
    source: Entity,
    target: Entity,
    link_type: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Link:
    """A typed, dated link between two entities, from the report that supports it.

    The link type must fit the entities (a person *uses* a phone, *runs* a line...). Both
    entities become mentions of the report if they were not already.
    """
    _require(can_add_mentions(actor, report) and can_read_intel(actor), "You may not add links to this report.")
    errors = _link_errors(source=source, target=target, link_type=link_type, valid_from=valid_from, valid_to=valid_to)
    if errors:
        raise ValidationError(errors)
    link = Link(
        source=source,
        target=target,
        link_type=link_type,
        valid_from=valid_from,
        valid_to=valid_to,
        report=report,
        created_by=actor,
    )
    link.save(force_insert=True)
    record_create(link, fields=LINK_FIELDS, actor=actor)
    for entity in (source, target):
        _mention(actor=actor, report=report, entity=entity, text=entity.label)
    return link
