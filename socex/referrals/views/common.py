"""What the referrals pages share: the signed-in user, the version a form read, and the summary
of a referral's answers that the check page, the referral page and the triage page all show."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from socex.cases.vocab import exploitation_labels
from socex.referrals.access import can_refer, can_triage
from socex.referrals.models import Referral
from socex.referrals.screening import ScreeningDefinitionError, ScreeningTool, tool_for
from socex.referrals.triage import waiting

if TYPE_CHECKING:
    from socex.accounts.models import User


def current_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require_referrer(request: HttpRequest) -> None:
    if not can_refer(request.user):
        raise PermissionDenied("Your roles do not include making referrals.")


def require_triage(request: HttpRequest) -> None:
    if not can_triage(request.user):
        raise PermissionDenied("Your roles do not include triaging referrals.")


def posted_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def screening_rows(referral: Referral, tool: ScreeningTool) -> list[dict[str, Any]]:
    """Each indicator group with its answers, for the summary."""
    groups = []
    for group in tool.groups:
        answers = [
            (indicator.text, tool.timing_label(referral.screening_answers[indicator.code]))
            for indicator in group.indicators
            if indicator.code in referral.screening_answers
        ]
        groups.append({"group": group, "answers": answers})
    return groups


def answers_context(referral: Referral) -> dict[str, Any]:
    """Everything the ``referrals/_answers.html`` summary needs."""
    try:
        tool: ScreeningTool | None = tool_for(referral.tool_version or None)
    except ScreeningDefinitionError:
        tool = None  # the page still shows what was answered, by code
    suggestion = None
    if tool is not None and referral.suggested_level:
        suggestion = tool.suggest(referral.screening_answers)
    return {
        "referral": referral,
        "subjects": list(referral.subjects.select_related("person")),
        "concerns": exploitation_labels(referral.exploitation_types),
        "tool": tool,
        "screening": screening_rows(referral, tool) if tool else [],
        "suggestion": suggestion,
        "waiting": waiting(referral),
    }
