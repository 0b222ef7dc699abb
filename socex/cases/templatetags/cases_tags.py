"""Template filters for the case pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.template.loader import render_to_string

from socex.cases.vocab import RISK_TAG_CLASS
from socex.cases.vocab import category_label as _category_label

if TYPE_CHECKING:
    from socex.cases.models import Case
    from socex.cases.panels import CasePanel

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    """A chronology category as people read it ("risk_review" -> "Risk review")."""
    return _category_label(code)


@register.filter
def risk_tag(level: str) -> str:
    """The GOV.UK tag colour class for a risk level."""
    return RISK_TAG_CLASS.get(level, "")


@register.simple_tag(takes_context=True)
def render_case_panel(context: template.Context, panel: CasePanel, case: Case) -> str:
    """Render another app's case panel: its template sees ``case``, ``panel``, ``user`` and every
    key of ``panel.context`` (see ``socex.cases.panels``)."""
    request = context.get("request")
    values = {**panel.context, "case": case, "panel": panel, "user": context.get("user")}
    return render_to_string(panel.template, values, request=request)
