from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "socex.areas"
    label = "areas"

    def ready(self) -> None:
        from socex.areas.dashboard import force_area_panel, your_hub_panel
        from socex.core.dashboard import register_panel

        register_panel(20, your_hub_panel)
        register_panel(80, force_area_panel)
