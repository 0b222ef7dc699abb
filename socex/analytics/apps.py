from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "socex.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from socex.core.navigation import NavItem, register_nav_item

        register_nav_item(70, NavItem("Analytics", "analytics:index", capability="analytics.view"))

        from socex.analytics.briefing import register_briefing_section
        from socex.analytics.money import operations_section, vrp_section

        register_briefing_section(60, operations_section, key="operations")
        register_briefing_section(70, vrp_section, key="vrp-allocations")
