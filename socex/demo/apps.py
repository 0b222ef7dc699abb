from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic demo data. Sits above every other app; nothing depends on it."""

    name = "socex.demo"
    label = "demo"
