from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "maillage.housing"
    label = "housing"
    verbose_name = "Hébergement d'urgence"

    def ready(self):
        from maillage.housing import reminders, stay_alerts, tasks
        from maillage.housing.enums import StayNotificationKind
        from maillage.jobs import periodic
        from maillage.notifications import registry
        from maillage.situations import review_reasons

        registry.register_kinds(reminders.ReminderKind)
        registry.register_kinds(StayNotificationKind)
        registry.register_target(
            "housing.stay", reminders.describe_stays, gone="Ce séjour ne vous est plus accessible"
        )
        registry.register_target(
            "housing.stayrequest",
            stay_alerts.describe_stay_requests,
            gone="Cette demande d'hébergement ne vous est plus accessible",
        )
        periodic.daily(tasks.remind_stays_ending, name="housing.stays_ending")
        periodic.daily(tasks.remind_stays_overrun, name="housing.stays_overrun")
        review_reasons.register("stay_ending", "Fin d'hébergement prévue", tasks.stays_ending_by)
