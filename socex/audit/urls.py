from django.urls import path

from socex.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("export.csv", views.event_export, name="export"),
    path("<int:event_id>/", views.event_detail, name="event"),
    path("record/<str:object_type>/<str:object_id>/", views.record_history, name="record"),
]
