from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    name = "socex.investigations"
    label = "investigations"
    verbose_name = "Investigations"

    def ready(self) -> None:
        from socex.cases.panels import register_case_panel
        from socex.core.dashboard import register_panel
        from socex.core.navigation import NavItem, register_nav_item
        from socex.investigations.dashboard import case_investigations_panel, investigations_panel

        register_nav_item(
            50, NavItem("Investigations", "investigations:list", any_of=("investigation.manage", "workload.view"))
        )
        register_panel(50, investigations_panel)
        register_case_panel(60, case_investigations_panel)
