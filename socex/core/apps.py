from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "socex.core"
    label = "core"
    verbose_name = "SOCEX core"
