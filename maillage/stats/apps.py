from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "maillage.stats"
    label = "stats"
    verbose_name = "Statistiques et reconnaissance"
