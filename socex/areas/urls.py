from django.urls import path

from socex.areas import views

app_name = "areas"
urlpatterns = [path("", views.area_list, name="list")]
