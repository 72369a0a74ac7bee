from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "maillage.assessments"
    label = "assessments"
    verbose_name = "Évaluations du danger"

    def ready(self):
        from maillage.assessments import alerts
        from maillage.assessments.enums import NotificationKind
        from maillage.notifications import registry

        registry.register_kinds(NotificationKind)
        registry.register_target(
            "assessments.assessment",
            alerts.describe_assessments,
            gone="Cette situation ne vous est plus accessible",
        )
