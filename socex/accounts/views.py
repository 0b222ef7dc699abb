from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from socex.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view()


def locked_out(request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown by django-axes after too many failed sign-ins."""
    return render(request, "accounts/locked_out.html", {"page_title": "Too many attempts"}, status=429)


def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"page_title": "Your account"})


def mfa(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"page_title": "Two-factor authentication"})


def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"page_title": "Users"})
