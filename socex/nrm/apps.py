from django.apps import AppConfig


class NRMConfig(AppConfig):
    name = "socex.nrm"
    label = "nrm"
    verbose_name = "NRM"

    def ready(self) -> None:
        pass
