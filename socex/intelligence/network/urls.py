"""The network pages, mounted at /intelligence/network/ (namespace ``network``)."""

from django.urls import path

from socex.intelligence.network import views

app_name = "network"

urlpatterns = [
    path("", views.network_view, name="view"),
    path("data.json", views.network_data, name="data"),
    path("export/<slug:what>.csv", views.network_export, name="export"),
    path("connect/", views.network_connect, name="connect"),
    path("key-nodes/", views.network_whole, name="whole"),
]
