"""The offences an investigation can record: a versioned data file, not code.

``SOCEX_OFFENCES_FILE`` names the file (default ``reference/offences-v1.json``). Each offence has
a code, a title, its legislation, a category, and whether its officer in the case must be a
detective. A malformed file fails loudly at first use, naming what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_FILE = Path(__file__).parent / "reference" / "offences-v1.json"
REQUIRED = ("code", "title", "legislation", "category", "needs_detective")


@dataclass(frozen=True)
class Offence:
    code: str
    title: str
    legislation: str
    category: str
    needs_detective: bool

    @property
    def label(self) -> str:
        return f"{self.title} ({self.legislation})"


@dataclass(frozen=True)
class OffenceList:
    version: str
    offences: dict[str, Offence]

    def choices(self) -> list[tuple[str, str]]:
        return [(code, offence.label) for code, offence in self.offences.items()]

    def label(self, code: str) -> str:
        offence = self.offences.get(code)
        return offence.label if offence else f"{code} (no longer on the list)"


def load_offences(path: Path) -> OffenceList:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ImproperlyConfigured(f"Cannot read the offences list {path}: {error}") from error
    if not isinstance(data, dict) or not data.get("version") or not isinstance(data.get("offences"), list):
        raise ImproperlyConfigured(f"The offences list {path} needs a 'version' and a list of 'offences'.")
    offences: dict[str, Offence] = {}
    for n, item in enumerate(data["offences"], start=1):
        missing = [key for key in REQUIRED if key not in item]
        if missing:
            raise ImproperlyConfigured(f"Offence {n} in {path} is missing: {', '.join(missing)}.")
        if item["code"] in offences:
            raise ImproperlyConfigured(f"Offence code {item['code']!r} appears twice in {path}.")
        offences[item["code"]] = Offence(**{key: item[key] for key in REQUIRED})
    return OffenceList(version=str(data["version"]), offences=offences)


@cache
def _cached(path: str) -> OffenceList:
    return load_offences(Path(path))


def offence_list() -> OffenceList:
    return _cached(str(getattr(settings, "SOCEX_OFFENCES_FILE", "") or DEFAULT_FILE))
