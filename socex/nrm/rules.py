"""The versioned rules and label sets in ``socex/nrm/reference/``, read as data.

Nothing here hard-codes a policy number: the recovery periods and their effective dates, the
working-day target for reasonable grounds decisions, which decision maker may decide for whom,
the exploitation label set, the guidance versions and the first responder list all come from
the JSON files (see ``reference/README.md``). Each file is read once per process and cached;
:func:`clear_cache` drops the cache (tests that point ``SOCEX_NRM_REFERENCE_DIR`` elsewhere).

Working days count Monday to Friday except the bank holidays of the ``holidays`` package for
the country and subdivision the rules file names (England and Wales: ``GB``/``ENG``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

import holidays

from socex.nrm import conf


@functools.cache
def _load(name: str, directory: str) -> dict[str, Any]:
    with open(f"{directory}/{name}", encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def load(name: str) -> dict[str, Any]:
    return _load(name, str(conf.reference_dir()))


def clear_cache() -> None:
    _load.cache_clear()
    _bank_holidays.cache_clear()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# --- Decision rules --------------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryPeriod:
    rg_from: dt.date | None
    rg_until: dt.date | None
    minimum_days: int
    label: str

    def covers(self, day: dt.date) -> bool:
        return (self.rg_from is None or day >= self.rg_from) and (self.rg_until is None or day <= self.rg_until)


@dataclass(frozen=True)
class DecisionMaker:
    code: str
    label: str
    short: str
    age_groups: tuple[str, ...]
    since: dt.date | None


def decision_rules() -> dict[str, Any]:
    return load("decision_rules.json")


def rules_version() -> str:
    return str(decision_rules()["version"])


def recovery_period_for(rg_date: dt.date) -> RecoveryPeriod:
    """The minimum recovery period that applies to a positive reasonable grounds decision of ``rg_date``."""
    for item in decision_rules()["recovery_periods"]:
        period = RecoveryPeriod(
            rg_from=_date(item["rg_from"]),
            rg_until=_date(item["rg_until"]),
            minimum_days=int(item["minimum_days"]),
            label=str(item["label"]),
        )
        if period.covers(rg_date):
            return period
    raise LookupError(f"No recovery period in decision_rules.json covers {rg_date.isoformat()}.")


def recovery_period_end(rg_date: dt.date) -> dt.date:
    """The first day a conclusive grounds decision may be made after a positive RG of ``rg_date``."""
    return rg_date + dt.timedelta(days=recovery_period_for(rg_date).minimum_days)


def recovery_rule_applies_to(outcome: str) -> bool:
    return outcome in decision_rules().get("recovery_period_applies_to", [])


def reconsideration_allowed_for(outcome: str) -> bool:
    return outcome in decision_rules().get("reconsideration_of", [])


def rg_target_working_days() -> int:
    return int(decision_rules()["rg_target_working_days"])


def decision_makers() -> list[DecisionMaker]:
    return [
        DecisionMaker(
            code=str(item["code"]),
            label=str(item["label"]),
            short=str(item.get("short", item["label"])),
            age_groups=tuple(item["age_groups"]),
            since=_date(item.get("from")),
        )
        for item in decision_rules()["decision_makers"]
    ]


def decision_maker(code: str) -> DecisionMaker | None:
    return next((maker for maker in decision_makers() if maker.code == code), None)


def decision_maker_label(code: str) -> str:
    maker = decision_maker(code)
    return maker.label if maker else code


# --- Working days ----------------------------------------------------------------------------


@functools.cache
def _bank_holidays(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=year).keys())


def bank_holidays_label() -> str:
    return str(decision_rules()["bank_holidays"]["label"])


def is_bank_holiday(day: dt.date) -> bool:
    settings = decision_rules()["bank_holidays"]
    return day in _bank_holidays(settings["country"], settings.get("subdivision", ""), day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself does not count)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def rg_due_date(submitted_on: dt.date) -> dt.date:
    """The target date of the reasonable grounds decision: the target number of working days after submission."""
    return add_working_days(submitted_on, rg_target_working_days())


# --- Guidance versions -----------------------------------------------------------------------


def guidance_version_on(day: dt.date) -> str:
    """The statutory guidance version in force on ``day``, from guidance_versions.json."""
    versions = sorted(
        load("guidance_versions.json")["versions"], key=lambda item: dt.date.fromisoformat(item["effective_from"])
    )
    current = None
    for item in versions:
        if dt.date.fromisoformat(item["effective_from"]) <= day:
            current = item
    if current is None:
        return f"earlier than {versions[0]['version']}" if versions else ""
    return str(current["version"])


# --- Exploitation types ----------------------------------------------------------------------


def exploitation_label_set() -> dict[str, Any]:
    return load("exploitation_types.json")


def exploitation_version() -> str:
    return str(exploitation_label_set()["version"])


def exploitation_type_codes() -> list[str]:
    return [str(item["code"]) for item in exploitation_label_set()["types"]]


def exploitation_type_label(code: str) -> str:
    from socex.nrm.form_vocab import field_label

    return field_label(f"types-of-exploitation-{code}") or code


def exploitation_choices() -> list[tuple[str, str]]:
    return [(code, exploitation_type_label(code)) for code in exploitation_type_codes()]


def exploitation_categories() -> list[tuple[str, str]]:
    """(code, label) of the statistics categories, then 'more than one type'."""
    data = exploitation_label_set()
    items = [(str(item["code"]), str(item["label"])) for item in data["categories"]]
    multiple = data["multiple_category"]
    return [*items, (str(multiple["code"]), str(multiple["label"]))]


def exploitation_category(codes: list[str]) -> str:
    """The one statistics category of a referral: its types' category, or 'more than one type'."""
    mapping = {str(item["code"]): str(item["category"]) for item in exploitation_label_set()["types"]}
    categories = {mapping.get(code, "unknown") for code in codes}
    if not categories:
        return "unknown"
    if len(categories) > 1:
        return str(exploitation_label_set()["multiple_category"]["code"])
    return categories.pop()


def types_from_case(case_types: list[str]) -> list[str]:
    mapping = exploitation_label_set().get("from_case_types", {})
    found: list[str] = []
    for case_type in case_types:
        for code in mapping.get(case_type, []):
            if code not in found:
                found.append(code)
    return found


# --- First responders and support providers --------------------------------------------------


def first_responder_list() -> dict[str, Any]:
    return load("first_responders.json")


def first_responder_types() -> list[tuple[str, str]]:
    return [(str(item["code"]), str(item["label"])) for item in first_responder_list()["types"]]


def first_responder_type_label(code: str) -> str:
    return dict(first_responder_types()).get(code, code)


def support_providers() -> list[tuple[str, str]]:
    return [(str(item["code"]), str(item["label"])) for item in load("support_providers.json")["providers"]]


def support_provider_label(code: str) -> str:
    return dict(support_providers()).get(code, code)
