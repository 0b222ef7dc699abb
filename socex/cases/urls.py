"""The case pages. Each views module lists its own ``urlpatterns``."""

from socex.cases.views import case, chronology, dashboard, documents, search

app_name = "cases"

urlpatterns = [
    *search.urlpatterns,
    *dashboard.urlpatterns,
    *case.urlpatterns,
    *chronology.urlpatterns,
    *documents.urlpatterns,
]
