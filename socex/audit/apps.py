from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "socex.audit"
    label = "audit"
