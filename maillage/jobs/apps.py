from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "maillage.jobs"
    label = "jobs"
    verbose_name = "Tâches de fond"

    def ready(self):
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        # django-tasks-db's admin is writable and unaudited, and the technical administrator's admin holds
        # only read-only, audited pages (tests/web/test_admin_site.py): task results are read in the
        # worker's journal instead (docs/deploying.md).
        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
