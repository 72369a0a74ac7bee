from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "maillage.referrals"
    label = "referrals"
    verbose_name = "Orientations entre partenaires"

    def ready(self):
        from maillage.jobs import periodic
        from maillage.notifications import registry
        from maillage.referrals import alerts, tasks
        from maillage.referrals.enums import ReferralNotificationKind

        registry.register_kinds(ReferralNotificationKind)
        registry.register_target(
            "referrals.referral",
            alerts.describe_referrals,
            gone="Cette orientation ne vous est plus accessible",
        )
        periodic.daily(tasks.flag_unanswered_referrals, name="referrals.flag_unanswered")
