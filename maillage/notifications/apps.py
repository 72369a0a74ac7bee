from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "maillage.notifications"
    label = "notifications"
    verbose_name = "Alertes"
