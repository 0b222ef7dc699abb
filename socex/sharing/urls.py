from django.urls import path

from socex.sharing import views

app_name = "sharing"
urlpatterns = [path("", views.share_list, name="list")]
