from django.apps import AppConfig


class PreventionConfig(AppConfig):
    name = "maillage.prevention"
    label = "prevention"
    verbose_name = "Prévention et formations"
