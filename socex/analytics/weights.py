"""The threat-risk scoring model's weights: a versioned file, ``reference/weights-<version>.json``.

Which measures make up harm and likelihood, their weights, crime categories and denominators,
the capacity adjustment, the confidence thresholds and the stability check are all data. A new
version is a new file (the old ones stay, so any earlier ranking can be rebuilt); the page names
the version it used. :func:`parse_model` checks a file and names the rule any mistake breaks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError

from socex.analytics import internal, options

DIMENSIONS = {"harm": "Harm", "likelihood": "Likelihood"}
SOURCES = ("crime", "internal", "deprivation")
DENOMINATORS = {"residents": "residents", "residents_0_24": "residents aged 0 to 24"}
DEPRIVATION_MEASURES = {
    "imd_score": "average IMD 2025 score",
    "share_most_deprived_decile": "share of residents in England's most deprived 10% of neighbourhoods",
}


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    dimension: str
    weight: float
    source: str
    unit: str
    explain: str
    categories: tuple[str, ...] = ()
    internal: str = ""
    denominator: str = "residents"
    per: int = 1000
    measure: str = ""


@dataclass(frozen=True)
class ScoringModel:
    version: str
    published: str
    title: str
    summary: str
    components: tuple[Component, ...]
    capacity_weight: float
    capacity_explain: str
    min_count: int
    high: float
    medium: float
    confidence_explain: str
    spread: float
    draws: int
    seed: int
    tolerance: float
    stability_explain: str
    edited: bool = False  # True for "what if" weights that differ from the file

    @property
    def published_on(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.published)
        except ValueError:
            return None

    def weights(self) -> dict[str, float]:
        return {c.key: c.weight for c in self.components}

    def component(self, key: str) -> Component:
        return next(c for c in self.components if c.key == key)

    def with_weights(self, weights: Mapping[str, float], capacity_weight: float | None = None) -> ScoringModel:
        """The same model with other weights (a "what if"); nothing is saved."""
        components = tuple(dataclasses.replace(c, weight=float(weights.get(c.key, c.weight))) for c in self.components)
        capacity = self.capacity_weight if capacity_weight is None else float(capacity_weight)
        edited = any(a.weight != b.weight for a, b in zip(components, self.components, strict=True)) or (
            capacity != self.capacity_weight
        )
        return dataclasses.replace(self, components=components, capacity_weight=capacity, edited=edited)


def _fail(path: Path, message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{path.name}: {message}")


def _number(path: Path, where: str, value: Any, *, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(path, f"{where} must be a number, not {value!r}")
    if value < low or (high is not None and value > high):
        upper = f" and at most {high}" if high is not None else ""
        raise _fail(path, f"{where} must be at least {low}{upper}, not {value}")
    return float(value)


def _component(path: Path, raw: Mapping[str, Any]) -> Component:
    key = str(raw.get("key", ""))
    where = f"component {key or '(no key)'}"
    if not key.isidentifier():
        raise _fail(path, f"{where}: every component needs a key made of letters, digits and underscores")
    for name in ("label", "dimension", "source", "unit", "explain"):
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise _fail(path, f"{where}: '{name}' is required")
    if raw["dimension"] not in DIMENSIONS:
        raise _fail(path, f"{where}: dimension must be one of {', '.join(DIMENSIONS)}")
    if raw["source"] not in SOURCES:
        raise _fail(path, f"{where}: source must be one of {', '.join(SOURCES)}")
    weight = _number(path, f"{where}: weight", raw.get("weight"), low=0)
    extra: dict[str, Any] = {}
    if raw["source"] in ("crime", "internal"):
        if raw.get("denominator", "residents") not in DENOMINATORS:
            raise _fail(path, f"{where}: denominator must be one of {', '.join(DENOMINATORS)}")
        extra["denominator"] = raw.get("denominator", "residents")
        extra["per"] = int(_number(path, f"{where}: per", raw.get("per", 1000), low=1))
    if raw["source"] == "crime":
        categories = raw.get("categories")
        if not isinstance(categories, list) or not categories or not all(isinstance(c, str) for c in categories):
            raise _fail(path, f"{where}: a crime measure needs a list of police.uk category slugs")
        extra["categories"] = tuple(categories)
    if raw["source"] == "internal":
        if raw.get("internal") not in internal.SOURCES_BY_KEY:
            raise _fail(path, f"{where}: internal must be one of {', '.join(internal.SOURCES_BY_KEY)}")
        extra["internal"] = raw["internal"]
    if raw["source"] == "deprivation":
        if raw.get("measure") not in DEPRIVATION_MEASURES:
            raise _fail(path, f"{where}: measure must be one of {', '.join(DEPRIVATION_MEASURES)}")
        extra["measure"] = raw["measure"]
    return Component(
        key=key,
        label=raw["label"],
        dimension=raw["dimension"],
        weight=weight,
        source=raw["source"],
        unit=raw["unit"],
        explain=raw["explain"],
        **extra,
    )


def parse_model(path: Path) -> ScoringModel:
    """Read and check a weights file; every problem names the file and the rule it breaks."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(path, "the weights file does not exist") from None
    except json.JSONDecodeError as error:
        raise _fail(path, f"not valid JSON ({error})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("components"), list) or not raw["components"]:
        raise _fail(path, "the file must hold an object with a non-empty 'components' list")
    components = tuple(_component(path, item) for item in raw["components"])
    keys = [c.key for c in components]
    if len(set(keys)) != len(keys):
        raise _fail(path, "component keys must be unique")
    for dimension, label in DIMENSIONS.items():
        if not any(c.weight > 0 for c in components if c.dimension == dimension):
            raise _fail(path, f"at least one {label.lower()} measure needs a weight above 0")
    capacity = raw.get("capacity", {})
    confidence = raw.get("confidence", {})
    stability = raw.get("stability", {})
    high = _number(path, "confidence.high", confidence.get("high", 0.8), low=0, high=1)
    medium = _number(path, "confidence.medium", confidence.get("medium", 0.5), low=0, high=high)
    return ScoringModel(
        version=str(raw.get("version", "")),
        published=str(raw.get("published", "")),
        title=str(raw.get("title", "")),
        summary=str(raw.get("summary", "")),
        components=components,
        capacity_weight=_number(path, "capacity.weight", capacity.get("weight", 0), low=0, high=1),
        capacity_explain=str(capacity.get("explain", "")),
        min_count=int(_number(path, "confidence.min_count", confidence.get("min_count", 20), low=0)),
        high=high,
        medium=medium,
        confidence_explain=str(confidence.get("explain", "")),
        spread=_number(path, "stability.spread", stability.get("spread", 0.1), low=0, high=0.9),
        draws=int(_number(path, "stability.draws", stability.get("draws", 500), low=1, high=100_000)),
        seed=int(_number(path, "stability.seed", stability.get("seed", 0), low=0)),
        tolerance=_number(path, "stability.tolerance", stability.get("tolerance", 0.05), low=0, high=1),
        stability_explain=str(stability.get("explain", "")),
    )


@cache
def _load(path: Path, mtime: float) -> ScoringModel:
    model = parse_model(path)
    expected = path.stem.removeprefix("weights-")
    if model.version != expected:
        raise _fail(path, f"its version is {model.version!r} but the file name says {expected!r}")
    return model


def load_model(version: str | None = None) -> ScoringModel:
    """The published model (``SOCEX_ANALYTICS_WEIGHTS_VERSION``, or ``version``)."""
    path = options.REFERENCE_DIR / f"weights-{version or options.weights_version()}.json"
    if not path.exists():
        raise _fail(path, "the weights file does not exist (check SOCEX_ANALYTICS_WEIGHTS_VERSION)")
    return _load(path, path.stat().st_mtime)


def check_weights(model: ScoringModel) -> None:
    """The rules any set of weights must meet, as a ``ValidationError`` naming the rule broken."""
    errors: dict[str, list[str]] = {}
    for dimension, label in DIMENSIONS.items():
        members = [c for c in model.components if c.dimension == dimension]
        if not any(c.weight > 0 for c in members):
            errors.setdefault(f"w_{members[0].key}", []).append(
                f"Give at least one {label.lower()} measure a weight above 0: the score multiplies "
                f"harm by likelihood, so without one it means nothing"
            )
    if not 0 <= model.capacity_weight <= 1:
        errors["capacity"] = ["The capacity adjustment must be from 0 to 1 (0 ignores staffing)"]
    if errors:
        raise ValidationError(errors)
