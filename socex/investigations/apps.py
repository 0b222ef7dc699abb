from typing import Any

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
        _link_people()
        _add_network_edges()


def _link_people() -> None:
    """A person's page lists the investigations they are a suspect or victim in (police readers only)."""
    from django.urls import reverse

    from socex.investigations.access import can_read
    from socex.investigations.models import InvestigationPerson
    from socex.people.links import register_link

    def readable(user: Any) -> Any:
        return InvestigationPerson.objects.all() if can_read(user) else InvestigationPerson.objects.none()

    def page(entry: Any) -> str:
        return reverse("investigations:detail", args=[entry.investigation.reference])

    register_link(InvestigationPerson, "person", visible_to=readable, label="Investigations", url=page)


def _add_network_edges() -> None:
    from socex.intelligence.network.sources import register_edge_source
    from socex.investigations.network import LINK_TYPES, investigation_edges

    register_edge_source(investigation_edges, link_types=LINK_TYPES)
