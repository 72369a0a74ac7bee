from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "maillage.housing"
    label = "housing"
    verbose_name = "Hébergement d'urgence"

    def ready(self):
        from maillage.housing import reminders, tasks
        from maillage.jobs import periodic
        from maillage.notifications import registry

        registry.register_kinds(reminders.ReminderKind)
        registry.register_target(
            "housing.stay", reminders.describe_stays, gone="Ce séjour ne vous est plus accessible"
        )
        periodic.daily(tasks.remind_stays_ending, name="housing.stays_ending")
        periodic.daily(tasks.remind_stays_overrun, name="housing.stays_overrun")
