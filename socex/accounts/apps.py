from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socex.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from socex.accounts import dashboard, signals
        from socex.core.dashboard import register_panel

        signals.connect()
        register_panel(90, dashboard.accounts_panel)
