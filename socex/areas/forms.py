from __future__ import annotations

from django import forms

from socex.core.forms import StyledForm


class LSOASearchForm(StyledForm):
    q = forms.CharField(
        label="Search neighbourhoods (LSOAs)",
        help_text="Part of a name or code, for example 'Walsall 015' or 'E01010241'.",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "type": "search", "spellcheck": "false"}),
    )
