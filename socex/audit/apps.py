from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "socex.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from socex.audit.dashboard import audit_panel
        from socex.core.dashboard import register_panel

        register_panel(85, audit_panel)
