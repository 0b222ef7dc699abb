"""Tags for referral pages: risk levels and statuses as GOV.UK tags."""

from __future__ import annotations

from django import template

from socex.cases.vocab import RiskLevel
from socex.referrals.models import Awareness, ReferralStatus

register = template.Library()

RISK_CLASSES: dict[str, str] = {
    RiskLevel.SIGNIFICANT: "govuk-tag--red",
    RiskLevel.AT_RISK: "govuk-tag--orange",
    RiskLevel.NO_CURRENT_RISK: "govuk-tag--grey",
}
STATUS_CLASSES: dict[str, str] = {
    ReferralStatus.DRAFT: "govuk-tag--grey",
    ReferralStatus.SUBMITTED: "govuk-tag--blue",
    ReferralStatus.TRIAGED: "govuk-tag--green",
}


@register.filter
def risk_label(level: str) -> str:
    return str(dict(RiskLevel.choices).get(level, "Not confirmed"))


@register.filter
def risk_class(level: str) -> str:
    return RISK_CLASSES.get(level, "govuk-tag--grey")


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "govuk-tag--grey")


@register.filter
def awareness_label(value: str) -> str:
    return str(dict(Awareness.choices).get(value, ""))
