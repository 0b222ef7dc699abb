from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "socex.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        from socex.cases.panels import register_case_panel
        from socex.core.dashboard import register_panel
        from socex.core.navigation import NavItem, register_nav_item
        from socex.people.links import register_link
        from socex.safeguarding.access import CAPABILITIES
        from socex.safeguarding.dashboard import actions_panel
        from socex.safeguarding.models import PeerGroup
        from socex.safeguarding.panels import context_panel, plan_panel

        register_nav_item(45, NavItem("Safeguarding", "safeguarding:tray", any_of=CAPABILITIES))
        register_panel(40, actions_panel)
        register_case_panel(40, plan_panel)
        register_case_panel(45, context_panel)
        register_link(PeerGroup, "members", label="Peer groups of concern")
