from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from socex.core.forms import StyledForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive except the email address.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    error_summary = StyledForm.error_summary
