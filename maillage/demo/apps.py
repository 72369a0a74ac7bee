from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration territory (`maillage load_demo`). Nothing imports this app: it sits on top of every
    other one and writes only through their services."""

    name = "maillage.demo"
    label = "demo"
    verbose_name = "Démonstration"
