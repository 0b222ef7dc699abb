"""Words shared by referrals, cases and the apps above them: exploitation types and risk levels."""

from __future__ import annotations

from django.db import models


class ExploitationType(models.TextChoices):
    CCE = "cce", "Child criminal exploitation"
    COUNTY_LINES = "county_lines", "County lines"
    CSE = "cse", "Child sexual exploitation"
    ADULT_CRIMINAL = "adult_criminal", "Criminal exploitation of an adult"
    ADULT_LABOUR = "adult_labour", "Labour exploitation of an adult"
    ADULT_SEXUAL = "adult_sexual", "Sexual exploitation of an adult"
    DOMESTIC_SERVITUDE = "domestic_servitude", "Domestic servitude"
    TRAFFICKING = "trafficking", "Trafficking"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    """The three levels of the exploitation screening tool (DOMAIN.md §2), lowest first."""

    NO_CURRENT_RISK = "none", "No current risk"
    AT_RISK = "at_risk", "At risk"
    SIGNIFICANT = "significant", "Significant risk"


# Higher is more urgent; queues and dashboards sort by this.
RISK_ORDER: dict[str, int] = {RiskLevel.NO_CURRENT_RISK: 0, RiskLevel.AT_RISK: 1, RiskLevel.SIGNIFICANT: 2}


def exploitation_labels(codes: list[str]) -> list[str]:
    labels = dict(ExploitationType.choices)
    return [str(labels.get(code, code)) for code in codes]


class NoteCategory(models.TextChoices):
    """What a practitioner's own chronology entry records."""

    NOTE = "note", "Case note"
    CONTACT = "contact", "Contact with the child or family"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE_CALL = "phone_call", "Phone call"
    MEETING = "meeting", "Meeting"
    MISSING = "missing_episode", "Missing episode"
    CONCERN = "concern", "New concern"
    DISCLOSURE = "disclosure", "Disclosure"
    OTHER = "other", "Other"


# How each chronology category is named on the page. System categories come from the apps that
# write them (referrals, safeguarding, NRM...); an unknown one is shown from its code.
CATEGORY_LABELS: dict[str, str] = {
    "case": "Case",
    "referral": "Referral",
    "triage": "Triage",
    "risk_review": "Risk review",
    "subject": "Subjects",
    "flag": "Flags",
    "closure": "Closure",
    "document": "Document",
    "action": "Plan action",
    "plan": "Safeguarding plan",
    "mace": "MACE meeting",
    "nrm": "NRM",
    "location": "Location of concern",
    "peer_group": "Peer group",
    "investigation": "Investigation",
    "intelligence": "Intelligence",
    **{str(value): str(label) for value, label in NoteCategory.choices},
}


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code) or code.replace("_", " ").capitalize()


RISK_TAG_CLASS: dict[str, str] = {
    RiskLevel.NO_CURRENT_RISK: "govuk-tag--grey",
    RiskLevel.AT_RISK: "govuk-tag--yellow",
    RiskLevel.SIGNIFICANT: "govuk-tag--red",
}
