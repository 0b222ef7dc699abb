"""The cases dashboard: open cases by LPA, risk level and exploitation type, and opened/closed by month."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from socex.cases.dashboard import dashboard_context
from socex.cases.views.common import require_cases, user_of


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require_cases(request)
    return render(request, "cases/dashboard.html", dashboard_context(user_of(request)))


urlpatterns = [path("dashboard/", dashboard, name="dashboard")]
