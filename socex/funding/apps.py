from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "socex.funding"
    label = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        from socex.cases.panels import register_case_panel
        from socex.core.dashboard import register_panel
        from socex.core.navigation import NavItem, register_nav_item
        from socex.funding.dashboard import case_interventions_panel, funding_panel

        register_nav_item(70, NavItem("Funding", "funding:overview", any_of=("funding.view", "funding.manage")))
        register_panel(70, funding_panel)
        register_case_panel(80, case_interventions_panel)
