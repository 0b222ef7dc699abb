"""GOV.UK Design System rendering for Django forms.

Every form renders its fields with the GOV.UK markup (label, hint, error message, input
classes) through one renderer, so apps write plain Django forms.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import SafeString

INPUT_CLASS = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.FileInput: "govuk-file-upload",
    # CheckboxSelectMultiple subclasses RadioSelect, so it must be matched first.
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def widget_kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):  # subclasses RadioSelect: test it first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def widget_class(field: forms.BoundField) -> str:
    widget = field.field.widget
    base = next((css for kind, css in INPUT_CLASS.items() if isinstance(widget, kind)), "govuk-input")
    extra = widget.attrs.get("class", "")
    if field.errors and base in {"govuk-input", "govuk-textarea", "govuk-select", "govuk-file-upload"}:
        base += f" {base}--error"
    return f"{base} {extra}".strip()


def described_by(field: forms.BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


def render_widget(field: forms.BoundField) -> SafeString:
    attrs: dict[str, str | bool] = {"class": widget_class(field)}
    if described := described_by(field):
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


class StyledForm(forms.Form):
    """Base form: strips whitespace and keeps the GOV.UK error summary data to hand."""

    template_name = "forms/govuk_form.html"

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the GOV.UK error summary."""
        items: list[tuple[str, str]] = []
        for name, errors in self.errors.items():
            anchor = f"#{self[name].auto_id}" if name in self.fields else "#main-content"
            items.extend((anchor, str(message)) for message in errors)
        return items


def add_service_errors(
    form: forms.Form, error: ValidationError, fields: Mapping[str, str | None] | None = None
) -> None:
    """Put a service's ``ValidationError`` beside the form fields it names.

    ``fields`` maps the service's name for a field to the form's (``None``: no field, so the
    message goes at the top); a name the form has is used as it is; anything else goes at the top.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        target = (fields or {}).get(name, name)
        form.add_error(target if target in form.fields else None, messages)
