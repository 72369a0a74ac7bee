from django.apps import AppConfig


class SituationsConfig(AppConfig):
    name = "maillage.situations"
    label = "situations"
    verbose_name = "Situations suivies"
