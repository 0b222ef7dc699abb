from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "socex.sharing"
    label = "sharing"
    verbose_name = "Sharing"

    def ready(self) -> None:
        from socex.core.dashboard import register_panel
        from socex.sharing.dashboard import sharing_panel

        register_panel(30, sharing_panel)
