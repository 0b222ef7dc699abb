from django.urls import path

from socex.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("hubs/<slug:code>/", views.hub_detail, name="hub"),
    path("lpas/<str:code>/", views.lpa_detail, name="lpa"),
    path("boundaries/lpas.geojson", views.lpa_boundaries, name="lpa_boundaries"),
    path("boundaries/lsoas.geojson", views.lsoa_boundaries, name="lsoa_boundaries"),
]
