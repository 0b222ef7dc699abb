from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "socex.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        pass
