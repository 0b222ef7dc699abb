from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "socex.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        pass
