from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "socex.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        pass
