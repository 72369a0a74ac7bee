from django.apps import AppConfig


class PreventionConfig(AppConfig):
    name = "maillage.prevention"
    label = "prevention"
    verbose_name = "Prévention et formations"

    def ready(self):
        from maillage.audit.dpo import labels as dpo_labels
        from maillage.prevention import labels

        dpo_labels.register_object_type(
            "prevention.preventionevent", find=labels.find_events, labels=labels.event_labels
        )
        dpo_labels.register_object_type(
            "prevention.training", find=labels.find_trainings, labels=labels.training_labels
        )
