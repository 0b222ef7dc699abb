from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "socex.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from socex.core.dashboard import register_panel
        from socex.people.dashboard import people_panel

        register_panel(25, people_panel)
