from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "maillage.protection"
    label = "protection"
    verbose_name = "Mesures de protection"

    def ready(self):
        from maillage.jobs import periodic
        from maillage.notifications import registry
        from maillage.protection import alerts, tasks
        from maillage.protection.enums import NotificationKind
        from maillage.situations import review_reasons

        registry.register_kinds(NotificationKind)
        registry.register_target(
            "protection.protectivemeasure",
            alerts.describe_measures,
            gone="Cette mesure ne vous est plus accessible",
        )
        periodic.daily(tasks.remind_measures_ending, name="protection.measures_ending")
        review_reasons.register(
            "measure_ending", "Mesure de protection bientôt échue", tasks.measures_ending_by
        )
