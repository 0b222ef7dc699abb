from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "socex.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        pass
