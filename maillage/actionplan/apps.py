from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    name = "maillage.actionplan"
    label = "actionplan"
    verbose_name = "Plan d'action"
