from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "socex.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        from django.urls import reverse

        from socex.core.dashboard import register_panel
        from socex.core.navigation import NavItem, register_nav_item
        from socex.intelligence.dashboard import intelligence_panel, shared_intelligence_panel
        from socex.intelligence.models import Entity
        from socex.people.links import register_link

        register_nav_item(50, NavItem("Intelligence", "intelligence:list", any_of=("intel.view", "intel.create")))
        register_panel(50, intelligence_panel)
        register_panel(51, shared_intelligence_panel)
        # A person's page lists their intelligence entities to intelligence readers only.
        register_link(
            Entity,
            "person",
            label="Intelligence entities",
            visible_to=lambda user: Entity.objects.visible_to(user),
            url=lambda entity: reverse("intelligence:entity", args=[entity.pk]),
        )
