"""The order of the referral's question pages, so each page knows what comes next and a draft
can be resumed at the first question still unanswered."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from socex.referrals.models import Referral
from socex.referrals.screening import ScreeningTool, tool_for
from socex.referrals.services import STEP_OF_FIELD, referral_problems


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    url_name: str
    group: str = ""

    def url(self, referral: Referral) -> str:
        args: list[object] = [referral.pk]
        if self.group:
            args.append(self.group)
        return reverse(self.url_name, args=args)


def steps_for(tool: ScreeningTool) -> list[Step]:
    return [
        Step("subjects", "Who you are referring", "referrals:subjects"),
        Step("concerns", "Your concerns", "referrals:concerns"),
        *(Step(f"screening-{g.code}", g.title, "referrals:screening", g.code) for g in tool.groups),
        Step("level", "Level of risk", "referrals:level"),
        Step("awareness", "What they know about the referral", "referrals:awareness"),
        Step("risks", "Immediate risks", "referrals:risks"),
    ]


def check_url(referral: Referral) -> str:
    return reverse("referrals:check", args=[referral.pk])


def next_url(referral: Referral, key: str) -> str:
    """The page after step ``key`` (the check-your-answers page after the last)."""
    steps = steps_for(tool_for(referral.tool_version or None))
    keys = [step.key for step in steps]
    index = keys.index(key) if key in keys else len(keys) - 1
    return steps[index + 1].url(referral) if index + 1 < len(steps) else check_url(referral)


def position(referral: Referral, key: str) -> tuple[int, int]:
    """(this page's number, how many question pages there are)."""
    keys = [step.key for step in steps_for(tool_for(referral.tool_version or None))]
    return (keys.index(key) + 1 if key in keys else len(keys), len(keys))


def step_of(referral: Referral, field: str, tool: ScreeningTool | None = None) -> Step:
    """The page that asks for ``field`` (for screening: the first group with a question unanswered)."""
    tool = tool or tool_for(referral.tool_version or None)
    steps = {step.key: step for step in steps_for(tool)}
    key = STEP_OF_FIELD.get(field, "subjects")
    if key == "screening":
        group = next(
            (g for g in tool.groups if any(i.code not in referral.screening_answers for i in g.indicators)),
            tool.groups[0],
        )
        key = f"screening-{group.code}"
    return steps[key]


def resume_url(referral: Referral) -> str:
    """Where a draft picks up: the first question still unanswered, or check your answers."""
    problems = referral_problems(referral)
    if not problems:
        return check_url(referral)
    return step_of(referral, next(iter(problems))).url(referral)
