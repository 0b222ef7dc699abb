"""Finding a case by reference or a subject's name (partners get a signpost for cases not shared with them)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from socex.cases.forms import CaseSearchForm
from socex.cases.search import case_search
from socex.cases.views.common import require_cases, user_of


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    require_cases(request)
    form = CaseSearchForm(request.GET or None)
    outcome = None
    if form.is_bound and form.is_valid():
        outcome = case_search(user=user_of(request), text=form.cleaned_data["q"], is_reference=form.is_reference())
    return render(request, "cases/search.html", {"page_title": "Find a case", "form": form, "outcome": outcome})


urlpatterns = [path("search/", search, name="search")]
