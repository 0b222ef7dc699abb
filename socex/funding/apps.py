from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "socex.funding"
    label = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        pass
