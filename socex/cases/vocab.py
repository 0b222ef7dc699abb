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
