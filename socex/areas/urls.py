from django.urls import path

from socex.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("hubs/<slug:code>/", views.hub_detail, name="hub"),
    path("lpas/<str:code>/", views.lpa_detail, name="lpa"),
]
