from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "socex.core"
    label = "core"
    verbose_name = "SOCEX core"

    def ready(self) -> None:
        from socex.core.admin_site import make_admin_read_only

        # The admin app (first in INSTALLED_APPS) has already imported every admin.py by now.
        make_admin_read_only()
