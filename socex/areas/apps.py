from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "socex.areas"
    label = "areas"
