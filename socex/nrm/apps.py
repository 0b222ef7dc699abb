from django.apps import AppConfig


class NRMConfig(AppConfig):
    name = "socex.nrm"
    label = "nrm"
    verbose_name = "NRM"

    def ready(self) -> None:
        from socex.cases.panels import register_case_panel
        from socex.core.dashboard import register_panel
        from socex.core.navigation import NavItem, register_nav_item
        from socex.nrm.panels import nrm_case_panel, nrm_dashboard_panel

        register_nav_item(48, NavItem("NRM", "nrm:tray", capability="nrm.manage"))
        register_panel(50, nrm_dashboard_panel)
        register_case_panel(40, nrm_case_panel)
