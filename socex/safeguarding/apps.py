from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "socex.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        pass
