"""The intelligence pages. Each views module lists its own ``urlpatterns``."""

from socex.intelligence.views import entities, reports, shared

app_name = "intelligence"

urlpatterns = [*reports.urlpatterns, *entities.urlpatterns, *shared.urlpatterns]
