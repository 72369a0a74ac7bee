from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "maillage.audit"
    label = "audit"
    verbose_name = "Journal d'audit"

    def ready(self) -> None:
        from maillage.audit import signals  # noqa: F401
