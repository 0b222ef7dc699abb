"""Starting, changing and submitting NRM referrals, and the Duty to Notify path.

The rules (DOMAIN.md 1.3-1.4), each refusal naming its rule:

* **Age**: a person who may be under 18 is treated as a child until their age is assessed. The
  officer answers the form's "Is the potential victim under 18?"; an answer of "No" is refused
  when the person index gives (or estimates) an age under 18.
* **Consent**: an adult must give informed consent, with its date, before an NRM referral.
  Children need no consent. An adult who refuses cannot be referred: a **Duty to Notify** report
  is made instead, holding only the anonymous MS1 facts (no person, case, name or date of birth).
* **First responder list**: only an organisation on the list may refer; the officer is the user
  making the record and works for that organisation.
* **No future dates** for the referral, consent, submission or age assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from socex.audit.models import Action
from socex.audit.services import record, record_change, record_create, snapshot
from socex.core.references import next_reference
from socex.core.templatetags.socex import uk_date
from socex.nrm import rules
from socex.nrm.access import can_use_nrm
from socex.nrm.models import (
    AgeGroup,
    Consent,
    DutyToNotify,
    Gender,
    Location,
    NrmReferral,
    NrmStatus,
    SupportReferral,
    SupportStatus,
    Under18,
)
from socex.nrm.services.common import (
    AGE,
    CONSENT,
    EXPLOITATION,
    LOCATION,
    SUPPORT,
    check_not_future,
    note_on_case,
    rule_error,
    today,
)
from socex.nrm.services.first_responders import require_first_responder

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.areas.models import LPA
    from socex.cases.models import Case
    from socex.people.models import Person

REFERRAL_FIELDS = (
    "reference",
    "person",
    "case",
    "lpa",
    "first_responder",
    "first_responder_type",
    "officer",
    "referred_on",
    "under_18",
    "age_group",
    "age_at_referral",
    "consent",
    "consent_on",
    "gender",
    "nationality",
    "exploitation_types",
    "county_lines",
    "location",
    "uk_locations",
    "countries",
    "status",
)
DTN_FIELDS = (
    "reference",
    "lpa",
    "first_responder",
    "first_responder_type",
    "officer",
    "reported_on",
    "age_group",
    "gender",
    "nationality",
    "exploitation_types",
    "county_lines",
    "location",
    "uk_locations",
    "countries",
)
EDITABLE = (
    "lpa",
    "gender",
    "nationality",
    "exploitation_types",
    "other_exploitation",
    "county_lines",
    "location",
    "uk_locations",
    "countries",
    "narrative",
    "indicators",
    "officer_role",
    "officer_phone",
    "ho_reference",
    "referred_on",
)
REFUSED = "refused"
# An age estimated from a year of birth or a stated age is uncertain: anyone estimated younger
# than this may be under 18, and is treated as a child until their age is assessed.
ESTIMATE_MARGIN_YEARS = 1
GENDER_FROM_PERSON = {"female": Gender.FEMALE, "male": Gender.MALE, "self": Gender.OTHER, "unknown": Gender.UNKNOWN}


@dataclass
class ExploitationFacts:
    """The anonymous facts a referral and a DtN report share (the MS1 fields)."""

    lpa: LPA
    exploitation_types: list[str]
    location: str = Location.UNKNOWN
    uk_locations: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    other_exploitation: str = ""
    county_lines: bool = False
    narrative: str = ""
    gender: str = ""
    nationality: str = ""
    officer_role: str = ""
    officer_phone: str = ""

    def cleaned(self) -> ExploitationFacts:
        """The facts checked and tidied, or a ValidationError naming each bad field and its rule."""
        errors: dict[str, str] = {}
        codes = list(dict.fromkeys(code.strip() for code in self.exploitation_types if code.strip()))
        unknown = sorted(set(codes) - set(rules.exploitation_type_codes()))
        if unknown:
            errors["exploitation_types"] = (
                f"{EXPLOITATION}: {', '.join(unknown)} is not in the label set (version "
                f"{rules.exploitation_version()}). Choose from the list."
            )
        elif not codes:
            errors["exploitation_types"] = f"{EXPLOITATION}: choose at least one way they were exploited."
        other = self.other_exploitation.strip()
        if "other" in codes and not other:
            errors["other_exploitation"] = f"{EXPLOITATION}: you chose 'Other': say what type of exploitation."
        if self.location not in Location.values:
            errors["location"] = f"{LOCATION}: choose UK, overseas, UK and overseas, or not known."
        uk = [place.strip() for place in self.uk_locations if place.strip()]
        countries = [place.strip() for place in self.countries if place.strip()]
        if self.location in (Location.UK, Location.BOTH) and not uk:
            errors["uk_locations"] = f"{LOCATION}: give the city or town in the UK where they were exploited."
        if self.location in (Location.OVERSEAS, Location.BOTH) and not countries:
            errors["countries"] = f"{LOCATION}: give the country overseas where they were exploited."
        gender = self.gender or Gender.UNKNOWN
        if gender not in Gender.values:
            errors["gender"] = "Choose female, male, other or not known."
        if errors:
            raise ValidationError(errors)
        return ExploitationFacts(
            lpa=self.lpa,
            exploitation_types=codes,
            location=self.location,
            uk_locations=uk if self.location in (Location.UK, Location.BOTH) else [],
            countries=countries if self.location in (Location.OVERSEAS, Location.BOTH) else [],
            other_exploitation=other if "other" in codes else "",
            county_lines=self.county_lines,
            narrative=self.narrative.strip(),
            gender=gender,
            nationality=self.nationality.strip(),
            officer_role=self.officer_role.strip(),
            officer_phone=self.officer_phone.strip(),
        )

    def model_values(self) -> dict[str, Any]:
        return {
            "lpa": self.lpa,
            "exploitation_types": self.exploitation_types,
            "exploitation_types_version": rules.exploitation_version(),
            "location": self.location,
            "uk_locations": self.uk_locations,
            "countries": self.countries,
            "other_exploitation": self.other_exploitation,
            "county_lines": self.county_lines,
            "narrative": self.narrative,
            "gender": self.gender,
            "nationality": self.nationality,
            "officer_role": self.officer_role,
            "officer_phone": self.officer_phone,
        }


def facts_from_person(person: Person, facts: ExploitationFacts) -> ExploitationFacts:
    """Fill gender and nationality from the person index where the officer gave none."""
    if not facts.gender:
        facts.gender = GENDER_FROM_PERSON.get(person.gender, Gender.UNKNOWN)
    if not facts.nationality:
        facts.nationality = person.nationality
    return facts


def age_on(date_of_birth: dt.date | None, day: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def age_group_for(person: Person, under_18: str, on: dt.date) -> tuple[str, int | None]:
    """The age group to record and the age on ``on`` from the person index (None if unknown).

    "Not sure" is the statistics' "age not specified or unknown" and is treated as a child.
    """
    if under_18 not in Under18.values:
        raise rule_error("under_18", AGE, "Say whether the potential victim is under 18: yes, no or not sure.")
    age = age_on(person.date_of_birth, on)
    exact = person.dob_precision in ("", "exact")
    if under_18 == Under18.YES:
        if age is not None and exact and age >= 18:
            raise rule_error(
                "under_18",
                AGE,
                f"the person index gives a date of birth of {uk_date(person.date_of_birth)}, so they were {age} on "
                f"{uk_date(on)}. Answer 'No', or correct their date of birth in the person index first.",
            )
        return AgeGroup.CHILD, age
    if under_18 == Under18.NOT_SURE:
        return AgeGroup.UNKNOWN, age
    if age is not None and (age < 18 or (not exact and age < 18 + ESTIMATE_MARGIN_YEARS)):
        estimate = "" if exact else "about "
        raise rule_error(
            "under_18",
            AGE,
            f"the person index makes them {estimate}{age} on {uk_date(on)}, so they may be under 18. Someone who "
            "may be under 18 is treated as a child until their age is assessed: answer 'Not sure' or 'Yes'.",
        )
    return AgeGroup.ADULT, age


def _consent_for(age_group: str, consent: str, consent_on: dt.date | None) -> tuple[str, dt.date | None]:
    if age_group != AgeGroup.ADULT:
        if consent == REFUSED:
            raise rule_error(
                "consent",
                CONSENT,
                "a child, or someone who may be a child, needs no consent and is always referred. "
                "A Duty to Notify report is only for an adult who does not consent.",
            )
        return Consent.NOT_NEEDED, None
    if consent == REFUSED:
        raise rule_error(
            "consent",
            CONSENT,
            "an adult who refuses consent cannot be referred to the NRM. Make a Duty to Notify report instead.",
        )
    if consent != Consent.GIVEN:
        raise rule_error(
            "consent",
            CONSENT,
            "an adult must give informed consent before an NRM referral. Record that they gave it, with the date, "
            "or that they refused (a Duty to Notify report is then made instead).",
        )
    if consent_on is None:
        raise rule_error("consent_on", CONSENT, "give the date the adult gave their informed consent.")
    check_not_future(consent_on, field="consent_on", what="The date consent was given")
    return Consent.GIVEN, consent_on


def _check_actor(actor: User) -> None:
    if not can_use_nrm(actor):
        raise PermissionDenied("Your roles do not include NRM referrals.")


def _check_person_and_case(person: Person, case: Case | None) -> None:
    if person.merged_into_id is not None:
        raise ValidationError({"person": "This person's record was merged into another: refer them under that one."})
    if case is not None and not case.case_subjects.filter(person=person).exists():
        raise ValidationError({"person": f"The potential victim must be a subject of {case.reference}."})


@transaction.atomic
def nrm_referral_create(
    *,
    actor: User,
    person: Person,
    under_18: str,
    facts: ExploitationFacts,
    consent: str = "",
    consent_on: dt.date | None = None,
    case: Case | None = None,
    indicators: str = "",
    referred_on: dt.date | None = None,
) -> NrmReferral:
    """Start an NRM referral for ``person`` made by the actor's organisation (a first responder).

    The caller has fetched ``person`` and ``case`` through their apps' access functions. An adult
    must have given consent (``consent="given"`` with ``consent_on``); ``consent="refused"`` is
    refused here: use :func:`nrm_start`, which makes a Duty to Notify report instead.
    """
    _check_actor(actor)
    entry = require_first_responder(actor.organisation)
    referred_on = referred_on or today()
    check_not_future(referred_on, field="referred_on", what="The referral date")
    _check_person_and_case(person, case)
    age_group, age = age_group_for(person, under_18, referred_on)
    consent_value, consent_date = _consent_for(age_group, consent, consent_on)
    cleaned = facts_from_person(person, facts).cleaned()
    referral = NrmReferral(
        reference=next_reference(NrmReferral, "NRM"),
        person=person,
        case=case,
        first_responder=entry.organisation,
        first_responder_type=entry.fro_type,
        officer=actor,
        referred_on=referred_on,
        under_18=under_18,
        age_group=age_group,
        age_at_referral=age,
        consent=consent_value,
        consent_on=consent_date,
        indicators=indicators.strip(),
        status=NrmStatus.DRAFT,
        created_by=actor,
        **cleaned.model_values(),
    )
    referral.save(force_insert=True)
    record_create(referral, fields=REFERRAL_FIELDS, actor=actor)
    note_on_case(case, summary=f"NRM referral {referral.reference} started", actor=actor, source=referral)
    return referral


@transaction.atomic
def dtn_create(
    *,
    actor: User,
    facts: ExploitationFacts,
    refusal_reason: str = "",
    reported_on: dt.date | None = None,
    case: Case | None = None,
) -> DutyToNotify:
    """Make an anonymous Duty to Notify report (MS1) about an adult who did not consent.

    ``facts`` must hold no name: only gender, nationality and what happened. ``case`` is used only
    to note the report in the case's chronology; the report itself keeps no link to it.
    """
    _check_actor(actor)
    entry = require_first_responder(actor.organisation)
    reported_on = reported_on or today()
    check_not_future(reported_on, field="reported_on", what="The date they declined")
    cleaned = facts.cleaned()
    report = DutyToNotify(
        reference=next_reference(DutyToNotify, "DTN"),
        first_responder=entry.organisation,
        first_responder_type=entry.fro_type,
        officer=actor,
        reported_on=reported_on,
        age_group=AgeGroup.ADULT,
        refusal_reason=refusal_reason.strip(),
        created_by=actor,
        **cleaned.model_values(),
    )
    report.save(force_insert=True)
    record_create(report, fields=DTN_FIELDS, actor=actor)
    note_on_case(
        case,
        summary=f"Adult declined an NRM referral: Duty to Notify report {report.reference} made instead",
        actor=actor,
        source=report,
    )
    return report


@transaction.atomic
def nrm_start(
    *,
    actor: User,
    person: Person,
    under_18: str,
    facts: ExploitationFacts,
    consent: str = "",
    consent_on: dt.date | None = None,
    refusal_reason: str = "",
    case: Case | None = None,
    indicators: str = "",
    referred_on: dt.date | None = None,
) -> NrmReferral | DutyToNotify:
    """The one way pages and the API start an NRM record: a referral, or, for an adult who refuses
    consent, a Duty to Notify report that keeps only the anonymous facts."""
    _check_actor(actor)
    require_first_responder(actor.organisation)
    on = referred_on or today()
    check_not_future(on, field="referred_on", what="The referral date")
    age_group, _ = age_group_for(person, under_18, on)
    if age_group == AgeGroup.ADULT and consent == REFUSED:
        _check_person_and_case(person, case)
        return dtn_create(
            actor=actor,
            facts=facts_from_person(person, facts),
            refusal_reason=refusal_reason,
            reported_on=on,
            case=case,
        )
    return nrm_referral_create(
        actor=actor,
        person=person,
        under_18=under_18,
        facts=facts,
        consent=consent,
        consent_on=consent_on,
        case=case,
        indicators=indicators,
        referred_on=on,
    )


def _facts_of(referral: NrmReferral) -> ExploitationFacts:
    return ExploitationFacts(
        lpa=referral.lpa,
        exploitation_types=list(referral.exploitation_types),
        location=referral.location,
        uk_locations=list(referral.uk_locations),
        countries=list(referral.countries),
        other_exploitation=referral.other_exploitation,
        county_lines=referral.county_lines,
        narrative=referral.narrative,
        gender=referral.gender,
        nationality=referral.nationality,
        officer_role=referral.officer_role,
        officer_phone=referral.officer_phone,
    )


@transaction.atomic
def nrm_referral_update(*, actor: User, referral: NrmReferral, changes: Mapping[str, Any]) -> NrmReferral:
    """Change the referral's details (the facts, narrative, indicators, officer's contact, HO reference)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"These cannot be changed here: {', '.join(sorted(unknown))}")
    facts = _facts_of(referral)
    for name, value in changes.items():
        if hasattr(facts, name):
            setattr(facts, name, value)
    cleaned = facts.cleaned()
    referred_on = changes.get("referred_on") or referral.referred_on
    if referred_on != referral.referred_on:
        if referral.is_submitted:
            raise ValidationError({"referred_on": "The start date cannot change once the referral is submitted."})
        check_not_future(referred_on, field="referred_on", what="The referral date")
    before = snapshot(referral, EDITABLE)
    for name, value in cleaned.model_values().items():
        setattr(referral, name, value)
    if "indicators" in changes:
        referral.indicators = str(changes["indicators"]).strip()
    if "ho_reference" in changes:
        referral.ho_reference = str(changes["ho_reference"]).strip()
    referral.referred_on = referred_on
    referral.age_at_referral = age_on(referral.person.date_of_birth, referred_on)
    referral.save(
        update_fields=[
            *cleaned.model_values(),
            "indicators",
            "ho_reference",
            "referred_on",
            "age_at_referral",
            "updated_at",
        ]
    )
    record_change(referral, before=before, fields=EDITABLE)
    return referral


@transaction.atomic
def nrm_referral_submit(
    *, actor: User, referral: NrmReferral, submitted_on: dt.date, ho_reference: str = ""
) -> NrmReferral:
    """Record that the referral was sent to the Home Office on ``submitted_on``.

    The guidance version in force that day is stored with it. An adult's consent must be dated on
    or before the submission.
    """
    if referral.is_submitted:
        raise ValidationError(
            {"submitted_on": f"{referral.reference} was already submitted on {uk_date(referral.submitted_on)}."}
        )
    check_not_future(submitted_on, field="submitted_on", what="The submission date")
    if submitted_on < referral.referred_on:
        raise ValidationError(
            {
                "submitted_on": f"The submission date cannot come before the referral was started "
                f"({uk_date(referral.referred_on)}). If it was started earlier, change its start date first "
                "(Change details)."
            }
        )
    if referral.age_group == AgeGroup.ADULT and referral.consent_on and referral.consent_on > submitted_on:
        raise rule_error(
            "submitted_on",
            CONSENT,
            f"consent was given on {uk_date(referral.consent_on)}, after this submission date. An adult's "
            "informed consent must come before the referral is submitted.",
        )
    before = snapshot(referral, ("submitted_on", "ho_reference", "guidance_version", "status"))
    referral.submitted_on = submitted_on
    referral.ho_reference = ho_reference.strip() or referral.ho_reference
    referral.guidance_version = rules.guidance_version_on(submitted_on)
    referral.status = NrmStatus.AWAITING_RG
    referral.save(update_fields=["submitted_on", "ho_reference", "guidance_version", "status", "updated_at"])
    record_change(referral, before=before, fields=("submitted_on", "ho_reference", "guidance_version", "status"))
    note_on_case(
        referral.case,
        summary=f"NRM referral {referral.reference} submitted to the Home Office on {uk_date(submitted_on)}",
        actor=actor,
        source=referral,
    )
    return referral


@transaction.atomic
def nrm_age_assessment_record(
    *,
    actor: User,
    referral: NrmReferral,
    outcome: str,
    assessed_on: dt.date,
    consent: str = "",
    consent_on: dt.date | None = None,
    refusal_reason: str = "",
) -> NrmReferral | DutyToNotify:
    """Record the outcome of an age assessment (``outcome`` "adult" or "child").

    Assessed as an adult, they must now consent: with consent given the referral goes on; if they
    refuse, a referral not yet submitted becomes a Duty to Notify report (the referral, and the
    person's link to it, are deleted). A submitted referral cannot become a report.
    """
    if outcome not in (AgeGroup.ADULT, AgeGroup.CHILD):
        raise rule_error("outcome", AGE, "The age assessment found them to be an adult or a child: choose one.")
    check_not_future(assessed_on, field="assessed_on", what="The date of the age assessment")
    if outcome == AgeGroup.ADULT and consent == REFUSED:
        if referral.is_submitted:
            raise rule_error(
                "consent",
                CONSENT,
                f"{referral.reference} was submitted on {uk_date(referral.submitted_on)}: it cannot become a Duty to "
                "Notify report. Tell the Single Competent Authority and record the referral as withdrawn.",
            )
        return _convert_to_dtn(actor=actor, referral=referral, reason=refusal_reason, reported_on=assessed_on)
    fields = ("age_group", "age_assessed_on", "consent", "consent_on")
    before = snapshot(referral, fields)
    if outcome == AgeGroup.ADULT:
        referral.consent, referral.consent_on = _consent_for(AgeGroup.ADULT, consent, consent_on)
    else:
        referral.consent, referral.consent_on = Consent.NOT_NEEDED, None
    referral.age_group = outcome
    referral.age_assessed_on = assessed_on
    referral.save(update_fields=[*fields, "updated_at"])
    record_change(referral, before=before, fields=fields)
    note_on_case(
        referral.case,
        summary=f"Age assessment for NRM referral {referral.reference}: assessed as "
        f"{'an adult' if outcome == AgeGroup.ADULT else 'a child'}",
        actor=actor,
        source=referral,
    )
    return referral


def _convert_to_dtn(*, actor: User, referral: NrmReferral, reason: str, reported_on: dt.date) -> DutyToNotify:
    facts = _facts_of(referral)
    case = referral.case
    report = dtn_create(actor=actor, facts=facts, refusal_reason=reason, reported_on=reported_on, case=case)
    record(
        Action.DELETE,
        obj=referral,
        actor=actor,
        detail={"reason": "adult declined after age assessment", "became": report.reference},
    )
    referral.delete()
    return report


@transaction.atomic
def dtn_submit(*, actor: User, report: DutyToNotify, submitted_on: dt.date, ho_reference: str = "") -> DutyToNotify:
    """Record that the Duty to Notify report was sent to the Home Office."""
    if report.submitted_on is not None:
        raise ValidationError(
            {"submitted_on": f"{report.reference} was already sent on {uk_date(report.submitted_on)}."}
        )
    check_not_future(submitted_on, field="submitted_on", what="The date it was sent")
    if submitted_on < report.reported_on:
        raise ValidationError(
            {"submitted_on": f"The report cannot be sent before the adult declined ({uk_date(report.reported_on)})."}
        )
    fields = ("submitted_on", "ho_reference", "guidance_version")
    before = snapshot(report, fields)
    report.submitted_on = submitted_on
    report.ho_reference = ho_reference.strip()
    report.guidance_version = rules.guidance_version_on(submitted_on)
    report.save(update_fields=[*fields, "updated_at"])
    record_change(report, before=before, fields=fields)
    return report


# --- The referral pack: the officer's answers and chosen chronology -------------------------------


@transaction.atomic
def pack_answers_save(*, actor: User, referral: NrmReferral, answers: Mapping[str, Any]) -> NrmReferral:
    """Keep the officer's answers to some of the form's questions (a blank answer removes the override)."""
    from socex.nrm.form_vocab import form_pages

    known = {question.field for page in form_pages() for question in page.questions}
    unknown = set(answers) - known
    if unknown:
        raise ValueError(f"Not questions of the form: {', '.join(sorted(unknown))}")
    before = {"pack_answers": dict(referral.pack_answers)}
    merged = dict(referral.pack_answers)
    for name, value in answers.items():
        if value in ("", None, []):
            merged.pop(name, None)
        else:
            merged[name] = value
    referral.pack_answers = merged
    referral.save(update_fields=["pack_answers", "updated_at"])
    record_change(referral, before=before, fields=("pack_answers",))
    return referral


@transaction.atomic
def pack_chronology_set(*, actor: User, referral: NrmReferral, entry_ids: Iterable[int]) -> NrmReferral:
    """Choose the case chronology entries the referral pack quotes (entries of the referral's case
    that ``actor`` may see)."""
    from socex.cases.models import ChronologyEntry

    ids = sorted({int(entry_id) for entry_id in entry_ids})
    if referral.case_id is None:
        if ids:
            raise ValidationError({"entries": "This referral was not made from a case, so it has no chronology."})
        return referral
    visible = set(
        ChronologyEntry.objects.visible_to(actor)
        .filter(case_id=referral.case_id, pk__in=ids)
        .values_list("pk", flat=True)
    )
    if set(ids) - visible:
        raise ValidationError({"entries": "Choose entries from this case's chronology."})
    before = snapshot(referral, ("pack_chronology",))
    referral.pack_chronology = ids
    referral.save(update_fields=["pack_chronology", "updated_at"])
    record_change(referral, before=before, fields=("pack_chronology",))
    return referral


# --- Support referrals -----------------------------------------------------------------------------

SUPPORT_FIELDS = ("provider", "provider_detail", "referred_on", "status", "status_on")


@transaction.atomic
def support_referral_add(
    *,
    actor: User,
    referral: NrmReferral,
    provider: str,
    referred_on: dt.date,
    provider_detail: str = "",
    notes: str = "",
) -> SupportReferral:
    """Record a referral of the potential victim to a support provider."""
    if provider not in dict(rules.support_providers()):
        raise rule_error("provider", SUPPORT, "choose a support provider from the list.")
    check_not_future(referred_on, field="referred_on", what="The date of the support referral")
    support = SupportReferral.objects.create(
        referral=referral,
        provider=provider,
        provider_detail=provider_detail.strip(),
        referred_on=referred_on,
        status=SupportStatus.REQUESTED,
        status_on=referred_on,
        notes=notes.strip(),
        created_by=actor,
    )
    record_create(support, fields=SUPPORT_FIELDS, actor=actor)
    note_on_case(
        referral.case,
        summary=f"Support referral to {support.provider_label} ({referral.reference})",
        actor=actor,
        source=referral,
    )
    return support


@transaction.atomic
def support_referral_update(
    *, actor: User, support: SupportReferral, status: str, status_on: dt.date, notes: str = ""
) -> SupportReferral:
    """Record a support provider's response, or the end of support."""
    if status not in SupportStatus.values:
        raise ValidationError({"status": "Choose the support referral's status."})
    check_not_future(status_on, field="status_on", what="The date of the change")
    if status_on < support.referred_on:
        raise rule_error(
            "status_on", SUPPORT, f"the change cannot come before the referral ({uk_date(support.referred_on)})."
        )
    fields = ("status", "status_on", "notes")
    before = snapshot(support, fields)
    support.status, support.status_on = status, status_on
    if notes.strip():
        support.notes = notes.strip()
    support.save(update_fields=list(fields))
    record_change(support, before=before, fields=fields)
    return support
