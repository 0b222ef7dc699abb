"""What a partner agency sees of intelligence: the sanitised copies of reports disseminated to it.

These pages read reports only through ``access.disseminated_reports`` and ``SharedReport`` rows,
which never load the original text, the grade or the source.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from socex.intelligence.access import disseminated_reports, get_shared_report_for
from socex.intelligence.search import search_shared_reports
from socex.intelligence.views.common import user_of

MAX_QUERY_FIELD = 2000


@require_GET
def shared_list(request: HttpRequest) -> HttpResponse:
    """The reports disseminated to the user's agency, with a search over their sanitised text.

    Anyone signed in may open it; it lists only what was shared with their own organisation.
    """
    query = request.GET.get("q", "")[:MAX_QUERY_FIELD]
    results = search_shared_reports(request.user, query)
    context = {
        "page_title": "Shared intelligence",
        "results": results,
        "query": query,
        "any_shared": disseminated_reports(user_of(request)).exists(),
    }
    return render(request, "intelligence/shared_list.html", context)


@require_GET
def shared_detail(request: HttpRequest, reference: str) -> HttpResponse:
    shared = get_shared_report_for(request.user, reference)
    return render(
        request,
        "intelligence/shared_detail.html",
        {"page_title": f"Shared intelligence {shared.reference}", "shared": shared},
    )


urlpatterns = [
    path("shared/", shared_list, name="shared_list"),
    path("shared/<str:reference>/", shared_detail, name="shared"),
]
