from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "maillage.housing"
    label = "housing"
    verbose_name = "Hébergement d'urgence"

    def ready(self):
        from maillage.housing import stay_alerts
        from maillage.housing.enums import StayNotificationKind
        from maillage.notifications import registry

        registry.register_kinds(StayNotificationKind)
        registry.register_target(
            "housing.stayrequest",
            stay_alerts.describe_stay_requests,
            gone="Cette demande d'hébergement ne vous est plus accessible",
        )
