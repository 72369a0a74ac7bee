from django.apps import AppConfig


class SituationsConfig(AppConfig):
    name = "maillage.situations"
    label = "situations"
    verbose_name = "Situations suivies"

    def ready(self):
        from maillage.audit.dpo import labels
        from maillage.notifications import registry
        from maillage.situations import alerts, policies, review_reasons, selectors
        from maillage.situations.enums import NotificationKind

        policies.register_membership_facts()

        registry.register_kinds(NotificationKind)
        registry.register_target(
            "situations.situation",
            alerts.describe_situations,
            gone="Cette situation ne vous est plus accessible",
        )
        registry.register_target(
            "situations.emergencyaccess",
            alerts.describe_emergency_accesses,
            gone="Cette situation ne vous est plus accessible",
        )
        labels.register_object_type(
            "situations.situation",
            find=selectors.situations_by_pseudonym,
            labels=selectors.situation_pseudonyms,
        )
        review_reasons.register("danger", "Danger grave évalué", review_reasons.proposed_after_danger)
