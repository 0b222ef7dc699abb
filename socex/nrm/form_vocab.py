"""The Home Office digital NRM form's own words, read from ``reference/homeoffice_nrm_form/``.

The three JSON files are the form's translation files (questions, page headings, option lists
and validation messages), copied unchanged from UKHomeOffice/modern-slavery (MIT licence); the
page order and which answers each page asks for are in ``reference/form_layout.json``. Nothing
here is typed out by hand, so a new version of the form is a new copy of its files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from socex.nrm.rules import load

_TAGS = re.compile(r"<[^>]+>")


def fields() -> dict[str, Any]:
    return load("homeoffice_nrm_form/fields.json")


def pages() -> dict[str, Any]:
    return load("homeoffice_nrm_form/pages.json")


def validation() -> dict[str, Any]:
    return load("homeoffice_nrm_form/validation.json")


def layout() -> dict[str, Any]:
    return load("form_layout.json")


def _plain(text: object) -> str:
    return _TAGS.sub("", str(text or "")).strip()


def field_label(name: str) -> str:
    """The question as the form asks it: its legend, else its label, else the page heading."""
    entry = fields().get(name, {})
    for key in ("legend", "label"):
        if entry.get(key):
            return _plain(entry[key])
    page = pages().get(name, {})
    return _plain(page.get("header", ""))


def field_hint(name: str) -> str:
    return _plain(fields().get(name, {}).get("hint", ""))


def field_options(name: str) -> list[tuple[str, str]]:
    """The option list of a question, as (value, label); look-up placeholders ('null') left out."""
    options = fields().get(name, {}).get("options", {})
    found = []
    for value, option in options.items():
        if value in ("null", "none_selected"):
            continue
        label = option.get("label", value) if isinstance(option, dict) else option
        found.append((value, _plain(label)))
    return found


def validation_message(name: str, rule: str) -> str:
    return _plain(validation().get(name, {}).get(rule, ""))


def page_header(key: str) -> str:
    page = pages().get(key, {})
    header = page.get("header") or page.get("title")
    return _plain(header) if header else field_label(key)


@dataclass(frozen=True)
class Question:
    field: str
    kind: str
    label: str
    hint: str
    options: list[tuple[str, str]]
    required: bool | dict[str, Any]
    message_key: tuple[str, str] | None = None
    maxlength: int | None = None


@dataclass(frozen=True)
class Page:
    key: str
    number: int
    header: str
    questions: list[Question] = field(default_factory=list)


def form_pages() -> list[Page]:
    """The form's pages in order, each with its questions, labels, hints and options."""
    result = []
    for number, page in enumerate(layout()["pages"], start=1):
        questions = []
        for item in page["questions"]:
            name = item["field"]
            if item["kind"] == "checkboxes" and "options" in item:
                options = [(code, field_label(code)) for code in item["options"]]
            else:
                options = field_options(name)
            questions.append(
                Question(
                    field=name,
                    kind=item["kind"],
                    label=field_label(name) or page_header(page["key"]),
                    hint=field_hint(name),
                    options=options,
                    required=item.get("required", False),
                    message_key=tuple(item["message"]) if "message" in item else None,  # type: ignore[arg-type]
                    maxlength=item.get("maxlength"),
                )
            )
        result.append(Page(key=page["key"], number=number, header=page_header(page["key"]), questions=questions))
    return result


def form_version() -> str:
    return str(layout()["version"])
