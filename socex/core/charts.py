"""Line charts drawn as inline SVG on the server: no JavaScript, printable, and CSP-safe.

Each chart comes with its figures as a table (inside a details element), so nobody has to
read values off a line. Used through the ``{% line_chart %}`` template tag.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48
# GOV.UK palette colours, distinguishable for the common colour-vision deficiencies, plus dashes.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738", "#505a5f", "#912b88")
NO_FIGURE = "No figure"
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4")


@dataclass
class ChartSeries:
    name: str
    colour: str
    dash: str
    points: str
    dots: list[tuple[float, float, str]] = field(default_factory=list)


def _nice_step(span: float) -> float:
    raw = span / 4 or 1
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _format(value: float | None) -> str:
    if value is None:
        return NO_FIGURE
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def line_chart_context(
    series: Sequence[Mapping[str, Any]],
    labels: Sequence[str],
    *,
    caption: str = "",
    band: Mapping[str, Any] | None = None,
    marks: Sequence[int] = (),
    mark_label: str = "",
    y_label: str = "",
) -> dict[str, Any]:
    """Geometry for ``includes/line_chart.html``.

    ``series``: ``[{"name": "Walsall", "values": [3, 5, None, 4]}]`` (None leaves a gap in the
    table and skips the point); ``band``: ``{"name": "80% interval", "lower": [...], "upper": [...]}``;
    ``marks``: indexes of the x labels to shade (e.g. school summer holidays) with ``mark_label``.
    """
    values = [v for s in series for v in s["values"] if v is not None]
    if band:
        values += [v for v in list(band["lower"]) + list(band["upper"]) if v is not None]
    low = min(0.0, min(values, default=0.0))
    high = max(values, default=1.0) or 1.0
    step = _nice_step(high - low)
    top = math.ceil(high / step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(labels), 1)

    def x(i: int) -> float:
        return round(LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2), 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - (v - low) / ((top - low) or 1)), 1)

    drawn = []
    for n, s in enumerate(series):
        pts = [(x(i), y(v), _format(v)) for i, v in enumerate(s["values"]) if v is not None]
        drawn.append(
            ChartSeries(
                name=str(s["name"]),
                colour=COLOURS[n % len(COLOURS)],
                dash=DASHES[n % len(DASHES)],
                points=" ".join(f"{px},{py}" for px, py, _ in pts),
                dots=pts if len(pts) <= 40 else [],
            )
        )
    band_points = ""
    if band:
        upper = [(x(i), y(v)) for i, v in enumerate(band["upper"]) if v is not None]
        lower = [(x(i), y(v)) for i, v in enumerate(band["lower"]) if v is not None]
        band_points = " ".join(f"{px},{py}" for px, py in upper + lower[::-1])
    ticks = []
    tick = low
    while tick <= top + step / 1000:
        ticks.append({"y": y(tick), "label": _format(tick)})
        tick += step
    every = max(1, math.ceil(count / 12))
    x_labels = [{"x": x(i), "label": label} for i, label in enumerate(labels) if i % every == 0]
    half = (plot_w / (count - 1) / 2) if count > 1 else plot_w / 2
    shaded = [{"x": round(x(i) - half, 1), "width": round(2 * half, 1)} for i in marks if 0 <= i < count]
    rows = []
    for i, label in enumerate(labels):
        cells = [_format(s["values"][i]) if i < len(s["values"]) else NO_FIGURE for s in series]
        if band:
            cells.append(f"{_format(band['lower'][i])} to {_format(band['upper'][i])}")
        rows.append({"label": label, "cells": cells, "marked": i in marks})
    headers = [str(s["name"]) for s in series] + ([str(band.get("name", "Interval"))] if band else [])
    return {
        "caption": caption,
        "width": WIDTH,
        "height": HEIGHT,
        "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM, "height": plot_h},
        "series": drawn,
        "band_points": band_points,
        "band_name": band.get("name", "") if band else "",
        "ticks": ticks,
        "x_labels": x_labels,
        "label_y": HEIGHT - BOTTOM + 18,
        "shaded": shaded,
        "mark_label": mark_label,
        "y_label": y_label,
        "headers": headers,
        "rows": rows,
        "summary": _summary(caption, series, labels),
    }


def _summary(caption: str, series: Sequence[Mapping[str, Any]], labels: Sequence[str]) -> str:
    """A one-sentence text alternative: what the chart covers and each line's latest value."""
    if not labels:
        return f"{caption}: no figures."
    parts = []
    for s in series:
        latest = next(((labels[i], v) for i, v in reversed(list(enumerate(s["values"]))) if v is not None), None)
        if latest:
            parts.append(f"{s['name']} {_format(latest[1])} in {latest[0]}")
    return f"{caption or 'Chart'}, {labels[0]} to {labels[-1]}. Latest: {'; '.join(parts) or 'no figures'}."
