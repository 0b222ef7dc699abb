from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "socex.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from socex.cases.access import VIEW_ALL, VIEW_SHARED
        from socex.cases.dashboard import cases_panel
        from socex.cases.models import Case
        from socex.core.dashboard import register_panel
        from socex.core.navigation import NavItem, register_nav_item
        from socex.people.links import register_link

        register_nav_item(30, NavItem("Cases", "cases:list", any_of=(VIEW_ALL, VIEW_SHARED)))
        register_panel(30, cases_panel)
        register_link(Case, "subjects", label="Cases", visible_to=lambda user: Case.objects.visible_to(user))
