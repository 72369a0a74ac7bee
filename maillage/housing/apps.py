from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "maillage.housing"
    label = "housing"
    verbose_name = "Hébergement d'urgence"
