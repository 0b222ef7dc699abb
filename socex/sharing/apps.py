from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "socex.sharing"
    label = "sharing"
