from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    name = "maillage.actionplan"
    label = "actionplan"
    verbose_name = "Plan d'action"

    def ready(self):
        from maillage.actionplan import labels
        from maillage.audit.dpo import labels as dpo_labels

        dpo_labels.register_object_type(
            "actionplan.action", find=labels.find_actions, labels=labels.action_labels
        )
        dpo_labels.register_object_type("actionplan.axis", find=labels.find_axes, labels=labels.axis_labels)
