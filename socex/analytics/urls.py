from django.urls import path

from socex.analytics import (
    needs_views,
    seasonal_views,
    views_money,
)
from socex.analytics import views_ranking as b

app_name = "analytics"

urlpatterns: list = [
    path("", needs_views.index, name="index"),
    # Part A: needs assessment, hotspots and the map, seasonality, crime imports.
    path("needs/", needs_views.needs, name="needs"),
    path("needs/<str:code>/", needs_views.needs_lpa, name="needs_lpa"),
    path("hotspots/", needs_views.hotspots_view, name="hotspots"),
    path("seasonal/", seasonal_views.seasonal_view, name="seasonal"),
    path("imports/", needs_views.import_list, name="imports"),
    path("imports/<int:pk>/", needs_views.import_detail, name="import_detail"),
    # Part B: threat-risk ranking, hub siting, internal figures, area briefings (views_ranking.PAGES).
    path("ranking/", b.ranking_page, name="ranking"),
    path("money/", views_money.money_page, name="money"),
    path("siting/", b.siting_page, name="siting"),
    path("internal/", b.internal_page, name="internal"),
    path("briefings/", b.briefing_index, name="briefing_index"),
    path("briefings/<str:code>/", b.briefing_page, name="briefing"),
    path("briefings/<str:code>/pdf/", b.briefing_pdf, name="briefing_pdf"),
]
