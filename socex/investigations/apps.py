from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    name = "socex.investigations"
    label = "investigations"
    verbose_name = "Investigations"

    def ready(self) -> None:
        pass
