"""The referral pack: a draft answer to each question of the Home Office digital NRM form.

The form has no API, so the officer copies answers across. The pack lists the form's pages in
its order, each question in the form's own words with its option list, a drafted answer (from
the referral, the person index, the case and the officer's own answers, in that order of
precedence: the officer's answer wins), and every problem the form would reject the answer for,
in the form's own validation message. Questions the form would not ask (their condition is not
met) are marked "not asked". Look-up answers (cities, countries, forces, nationalities) cannot be
checked here: the form only accepts entries of its own lists, so the pack says so.

Text and PDF exports are audited by the views (EXPORT, with the referral).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from socex.core.templatetags.socex import uk_date
from socex.nrm import conf
from socex.nrm.form_vocab import Page, Question, form_pages, form_version, validation_message
from socex.nrm.models import AgeGroup, Consent, Gender, NrmReferral

if TYPE_CHECKING:
    from socex.accounts.models import User
    from socex.cases.models import ChronologyEntry

MAX_TEXT = 15_000
OLDEST_YEARS = 120
DATE_FORMATS = ("%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d")


@dataclass
class Answer:
    question: Question
    value: Any
    display: str
    source: str
    asked: bool
    problems: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class PackPage:
    page: Page
    answers: list[Answer]

    @property
    def asked(self) -> bool:
        return any(answer.asked for answer in self.answers)

    @property
    def problem_count(self) -> int:
        return sum(len(answer.problems) for answer in self.answers)


@dataclass
class Pack:
    referral: NrmReferral
    pages: list[PackPage]
    chronology: list[ChronologyEntry]
    form_version: str
    prepared_at: dt.datetime

    @property
    def problem_count(self) -> int:
        return sum(page.problem_count for page in self.pages)

    @property
    def question_count(self) -> int:
        return sum(1 for page in self.pages for answer in page.answers if answer.asked)


# --- Drafted answers ---------------------------------------------------------------------------


def _split_name(full_name: str) -> tuple[str, str]:
    parts = full_name.split()
    if not parts:
        return "", ""
    return " ".join(parts[:-1]) or parts[0], parts[-1] if len(parts) > 1 else ""


def _current_town(referral: NrmReferral) -> str:
    address = next((a for a in referral.person.addresses.all() if a.is_current and a.town), None)
    return address.town if address else ""


def _phone(referral: NrmReferral) -> str:
    from socex.people.normalise import display_phone

    phone = referral.person.phones.first()
    return display_phone(phone.number) if phone else ""


def _nickname(referral: NrmReferral) -> str:
    alias = referral.person.aliases.filter(kind="nickname").first()
    return str(alias) if alias else ""


def _under_18(referral: NrmReferral) -> str:
    if referral.age_assessed_on:
        return "no" if referral.age_group == AgeGroup.ADULT else "yes"
    return referral.under_18


def _chronology_text(chronology: list[ChronologyEntry]) -> str:
    return "\n".join(f"{uk_date(entry.occurred_at)}: {entry.summary}" for entry in chronology)


def _support_text(referral: NrmReferral) -> str:
    return "\n".join(
        f"{s.provider_label}{f' ({s.provider_detail})' if s.provider_detail else ''}: "
        f"referred {uk_date(s.referred_on)}, "
        f"{s.get_status_display().lower()}"
        for s in referral.support_referrals.all()
    )


def drafts(referral: NrmReferral, chronology: list[ChronologyEntry]) -> dict[str, tuple[Any, str]]:
    """(answer, where it came from) for each question the service can draft."""
    person = referral.person
    officer_first, officer_last = _split_name(referral.officer.full_name)
    organisation = referral.first_responder
    from socex.nrm.services.first_responders import first_responder_for

    entry = first_responder_for(organisation)
    support = _support_text(referral)
    found: dict[str, tuple[Any, str]] = {
        "reference": (referral.reference, "this referral's reference"),
        "user-organisation": ((entry.listed_as if entry and entry.listed_as else organisation.name), "first responder"),
        "fr-location": (conf.form_location(), "this service's setting"),
        "pv-under-age": (_under_18(referral), "the referral"),
        "what-happened": (referral.narrative, "the referral's narrative"),
        "modern-slavery-indicators": ("yes" if referral.indicators else "", "the referral's indicators"),
        "modern-slavery-indicators-details": (referral.indicators, "the referral's indicators"),
        "why-are-you-making-the-referral": (referral.indicators, "the referral's indicators"),
        "professional-insight": (_chronology_text(chronology), "the chronology entries you picked"),
        "are-others-involved": ("yes" if support else "", "support referrals"),
        "are-others-involved-details": (support, "support referrals"),
        "where-exploitation-happened": (
            referral.location if referral.location != "unknown" else "",
            "the referral",
        ),
        "types-of-exploitation": (
            [f"types-of-exploitation-{code}" for code in referral.exploitation_types],
            "the referral's exploitation types",
        ),
        "other-exploitation-details": (referral.other_exploitation, "the referral"),
        "current-pv-location-uk-city": (_current_town(referral), "the person's current address"),
        "current-pv-location-uk-region": (conf.form_region(), "this service's setting"),
        "pv-want-to-submit-nrm": ("yes" if referral.consent == Consent.GIVEN else "", "the consent recorded"),
        "pv-name-first-name": (person.given_name, "the person index"),
        "pv-name-last-name": (person.family_name, "the person index"),
        "pv-name-nickname": (_nickname(referral), "the person index"),
        "pv-dob": (
            person.date_of_birth.strftime("%d/%m/%Y")
            if person.date_of_birth and person.dob_precision in ("", "exact")
            else "",
            "the person index",
        ),
        "pv-gender": (
            {Gender.FEMALE: "female", Gender.MALE: "male"}.get(Gender(referral.gender), "unknown"),
            "the referral",
        ),
        "pv-nationality": (referral.nationality, "the referral"),
        "pv-phone-number-yes": (_phone(referral), "the person index"),
        "fr-details-first-name": (officer_first, "the officer's account"),
        "fr-details-last-name": (officer_last, "the officer's account"),
        "fr-details-role": (referral.officer_role or referral.officer.job_title, "the officer's account"),
        "fr-details-phone": (referral.officer_phone or organisation.contact_phone, "the officer's account"),
        "fr-alternative-contact": (organisation.contact_email, "the organisation's contact email"),
    }
    if referral.treated_as_child:
        found["local-authority-contacted-about-child-local-authority-name"] = (
            referral.lpa.name,
            "the referral's LPA: check it is the local authority you contacted",
        )
    for index, place in enumerate(referral.uk_locations[:3], start=1):
        found[f"where-exploitation-happened-uk-city-{index}"] = (place, "the referral")
    if len(referral.uk_locations) > 3:
        found["where-exploitation-happened-other-uk-other-location"] = (
            ", ".join(referral.uk_locations[3:]),
            "the referral",
        )
    for index, place in enumerate(referral.countries[:3], start=1):
        found[f"where-exploitation-happened-overseas-country-{index}"] = (place, "the referral")
    if len(referral.countries) > 3:
        found["where-exploitation-happened-other-overseas-other-location"] = (
            ", ".join(referral.countries[3:]),
            "the referral",
        )
    if found["pv-phone-number-yes"][0]:
        found["pv-phone-number"] = ("yes", "the person index")
    return {name: value for name, value in found.items() if value[0] not in ("", None, [])}


# --- What the form would reject ----------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value in ("", None, []) or (isinstance(value, str) and not value.strip())


def applies(condition: bool | dict[str, Any], answers: dict[str, Any]) -> bool:
    """Is a question with this ``required`` condition asked, given the other answers?"""
    if isinstance(condition, bool):
        return True
    value = answers.get(condition["field"])
    if "in" in condition:
        return value in condition["in"]
    return condition.get("includes") in (value or [])


def _required(question: Question, answers: dict[str, Any]) -> bool:
    if isinstance(question.required, bool):
        return question.required
    return applies(question.required, answers)


def _message(question: Question, rule: str, fallback: str) -> str:
    if question.message_key:
        name, key = question.message_key
        return validation_message(name, key) or fallback
    return validation_message(question.field, rule) or fallback


def parse_date(text: str) -> dt.date | None:
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


CHECKS: dict[str, Callable[[Question, Any], list[str]]] = {}


def _check(kind: str) -> Callable[[Callable[[Question, Any], list[str]]], Callable[[Question, Any], list[str]]]:
    def register(function: Callable[[Question, Any], list[str]]) -> Callable[[Question, Any], list[str]]:
        CHECKS[kind] = function
        return function

    return register


@_check("radios")
def _check_radios(question: Question, value: Any) -> list[str]:
    if value not in {code for code, _ in question.options}:
        return [_message(question, "required", "You must select an option")]
    return []


@_check("checkboxes")
def _check_checkboxes(question: Question, value: Any) -> list[str]:
    allowed = {code for code, _ in question.options}
    values = value if isinstance(value, list) else [value]
    if any(item not in allowed for item in values):
        return [_message(question, "required", "You must select an option")]
    return []


@_check("email")
def _check_email(question: Question, value: Any) -> list[str]:
    try:
        validate_email(str(value).strip())
    except ValidationError:
        return [_message(question, "email", "Enter a valid email address")]
    return []


@_check("phone")
def _check_phone(question: Question, value: Any) -> list[str]:
    try:
        number = phonenumbers.parse(str(value), "GB")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return [_message(question, "internationalPhoneNumber", "Enter a real telephone number")]
    return []


@_check("number")
def _check_number(question: Question, value: Any) -> list[str]:
    if not re.fullmatch(r"\d+", str(value).strip()):
        return [_message(question, "numeric", "You must enter numbers only")]
    return []


@_check("date")
def _check_date(question: Question, value: Any) -> list[str]:
    day = parse_date(str(value))
    if day is None:
        return [_message(question, "date", "You must enter a valid date")]
    if day > timezone.localdate():
        return [_message(question, "before", "The date cannot be in the future")]
    if day.year < timezone.localdate().year - OLDEST_YEARS:
        return [_message(question, "after", "The date cannot be too far in the past")]
    return []


@_check("confirm")
def _check_confirm(question: Question, value: Any) -> list[str]:
    if str(value).lower() not in ("yes", "true", "on"):
        return [_message(question, "required", "Confirm this")]
    return []


def problems_for(question: Question, value: Any, answers: dict[str, Any]) -> list[str]:
    """The form's validation messages this answer would get (empty: the form accepts it)."""
    if _empty(value):
        if _required(question, answers):
            return [_message(question, "required", f"Answer this question: {question.label}")]
        return []
    problems = list(CHECKS.get(question.kind, lambda q, v: [])(question, value))
    if question.kind in ("text", "textarea", "list"):
        limit = question.maxlength or MAX_TEXT
        if len(str(value)) > limit:
            problems.append(_message(question, "maxlength", f"Enter no more than {limit:,} characters"))
    return problems


def display(question: Question, value: Any) -> str:
    labels = dict(question.options)
    if question.kind == "checkboxes":
        return "; ".join(labels.get(item, item) for item in (value or []))
    if question.kind == "radios":
        return labels.get(value, str(value or ""))
    if question.kind == "confirm":
        return "Yes" if str(value).lower() in ("yes", "true", "on") else ""
    return str(value or "")


def effective_answers(referral: NrmReferral, chronology: list[ChronologyEntry]) -> dict[str, tuple[Any, str]]:
    answers = drafts(referral, chronology)
    for name, value in (referral.pack_answers or {}).items():
        answers[name] = (value, "your answer")
    return answers


def chronology_for(referral: NrmReferral, user: User) -> list[ChronologyEntry]:
    """The chronology entries the officer picked that ``user`` may see, oldest first."""
    from socex.cases.models import ChronologyEntry

    if referral.case_id is None or not referral.pack_chronology:
        return []
    return list(
        ChronologyEntry.objects.visible_to(user)
        .filter(case_id=referral.case_id, pk__in=referral.pack_chronology)
        .order_by("occurred_at", "id")
    )


def build_pack(referral: NrmReferral, user: User) -> Pack:
    chronology = chronology_for(referral, user)
    found = effective_answers(referral, chronology)
    values = {name: value for name, (value, _) in found.items()}
    pages = []
    for page in form_pages():
        answers = []
        for question in page.questions:
            value, source = found.get(question.field, ("", ""))
            asked = applies(question.required, values)
            problems = problems_for(question, value, values) if asked else []
            note = (
                "Must match an entry of the form's own list."
                if question.kind == "list" and asked and not _empty(value)
                else ""
            )
            answers.append(
                Answer(
                    question=question,
                    value=value,
                    display=display(question, value),
                    source=source,
                    asked=asked,
                    problems=problems,
                    note=note,
                )
            )
        pages.append(PackPage(page=page, answers=answers))
    return Pack(
        referral=referral,
        pages=pages,
        chronology=chronology,
        form_version=form_version(),
        prepared_at=timezone.now(),
    )


# --- Exports -----------------------------------------------------------------------------------


def pack_text(pack: Pack, user: User) -> str:
    referral = pack.referral
    lines = [
        "OFFICIAL-SENSITIVE",
        f"NRM referral pack: {referral.reference}",
        f"Prepared {uk_date(pack.prepared_at)} by {user.full_name} for copying into the Home Office digital NRM form",
        f"Form version: {pack.form_version}",
        f"Answers the form would reject: {pack.problem_count}",
        "",
    ]
    for pack_page in pack.pages:
        if not pack_page.asked:
            continue
        lines.append(f"== {pack_page.page.number}. {pack_page.page.header} ==")
        for answer in pack_page.answers:
            if not answer.asked:
                continue
            lines.append(f"Q: {answer.question.label}")
            if answer.question.options:
                lines.append("   Options: " + " | ".join(label for _, label in answer.question.options))
            lines.append(f"A: {answer.display or '(no answer)'}")
            lines.extend(f"   ! The form would reject this: {problem}" for problem in answer.problems)
            if answer.note:
                lines.append(f"   Note: {answer.note}")
        lines.append("")
    if pack.chronology:
        lines.append("== Chronology excerpts ==")
        lines.extend(
            f"{uk_date(e.occurred_at)}: {e.summary}" + (f"\n   {e.detail}" if e.detail else "") for e in pack.chronology
        )
        lines.append("")
    lines.append("OFFICIAL-SENSITIVE")
    return "\n".join(lines)


def pack_pdf(pack: Pack, user: User) -> bytes:
    from socex.core.pdf import PdfReport

    referral = pack.referral
    report = PdfReport(
        f"NRM referral pack: {referral.reference}",
        subtitle=f"Prepared {uk_date(pack.prepared_at)} by {user.full_name}. Form version {pack.form_version}. "
        f"Answers the form would reject: {pack.problem_count}.",
    )
    for pack_page in pack.pages:
        if not pack_page.asked:
            continue
        report.heading(f"{pack_page.page.number}. {pack_page.page.header}", level=3)
        rows: list[tuple[str, object]] = []
        for answer in pack_page.answers:
            if not answer.asked:
                continue
            text = answer.display or "(no answer)"
            if answer.question.options and answer.question.kind in ("radios", "checkboxes"):
                text += "\nOptions: " + " | ".join(label for _, label in answer.question.options)
            for problem in answer.problems:
                text += f"\nThe form would reject this: {problem}"
            if answer.note:
                text += f"\n{answer.note}"
            rows.append((answer.question.label, text))
        report.key_values(rows, key_width=70)
    if pack.chronology:
        report.heading("Chronology excerpts", level=3)
        report.table(
            ["Date", "What happened"],
            [(uk_date(e.occurred_at), f"{e.summary}\n{e.detail}".strip()) for e in pack.chronology],
            widths=[30, 150],
        )
    return report.output()
