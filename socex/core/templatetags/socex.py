"""Template filters for UK dates and money, loaded in every template."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

from socex.core.charts import line_chart_context

register = template.Library()


@register.filter
def uk_date(value: dt.date | dt.datetime | None) -> str:
    """3 July 2024."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {value:%B %Y}"


@register.filter
def uk_datetime(value: dt.datetime | None) -> str:
    """3 July 2024 at 14:05."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


@register.filter
def money(value: Decimal | int | str | None) -> str:
    """£7,981.29 (whole pounds keep their pence: £35,000.00 shows as £35,000)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{amount:,.0f}"
    return f"{sign}£{amount:,.2f}"


@register.filter
def number(value: int | float | None) -> str:
    """1,144,900."""
    if value is None or value == "":
        return ""
    return f"{value:,}"


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "")


@register.filter
def govuk_widget(field: object) -> object:
    """The field's widget with the GOV.UK classes and aria-describedby applied."""
    from socex.core.forms import render_widget

    return render_widget(field)  # type: ignore[arg-type]


@register.filter
def widget_kind(field: object) -> str:
    from socex.core.forms import widget_kind as kind

    return kind(field)  # type: ignore[arg-type]


@register.simple_tag
def error_summary(*forms: object) -> list[tuple[str, str]]:
    """The (anchor, message) pairs from every form given, for the error summary."""
    from django.forms import BaseForm

    from socex.core.forms import StyledForm

    items: list[tuple[str, str]] = []
    for form in forms:
        if isinstance(form, StyledForm):
            items.extend(form.error_summary())
        elif isinstance(form, BaseForm):
            items.extend(StyledForm.error_summary(form))  # type: ignore[arg-type]
    return items


@register.simple_tag
def bar_rows(bars: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """(label, value, width percent) for the CSS bar chart, scaled to the largest bar."""
    top = max((value for _, value in bars), default=0)
    return [(label, value, round(100 * value / top) if top else 0) for label, value in bars]


@register.inclusion_tag("includes/line_chart.html")
def line_chart(
    series: list[dict[str, Any]],
    labels: list[str],
    caption: str = "",
    band: dict[str, Any] | None = None,
    marks: list[int] | None = None,
    mark_label: str = "",
    y_label: str = "",
) -> dict[str, Any]:
    """``{% line_chart series labels caption="Crimes by month" band=forecast_band marks=summer %}``.

    See :func:`socex.core.charts.line_chart_context` for the shapes of ``series`` and ``band``.
    """
    return line_chart_context(
        series, labels, caption=caption, band=band, marks=marks or (), mark_label=mark_label, y_label=y_label
    )
