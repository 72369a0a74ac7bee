from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "maillage.backup"
    label = "backup"
    verbose_name = "Sauvegardes"
