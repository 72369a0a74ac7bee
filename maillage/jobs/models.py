"""One row per daily job and day: the scheduler's proof that it enqueued the job (ADR 0024)."""

from django.db import models


class DailyRun(models.Model):
    """The daily job `name` was enqueued for `day`. The unique constraint makes the scheduler idempotent:
    two schedulers (or one restarted) racing for the same day insert one row, so enqueue the job once."""

    name = models.CharField("tâche", max_length=100)
    day = models.DateField("jour")
    enqueued_at = models.DateTimeField("mise en file", auto_now_add=True)
    task_result_id = models.CharField("identifiant du résultat", max_length=64, blank=True)

    class Meta:
        verbose_name = "passage quotidien"
        verbose_name_plural = "passages quotidiens"
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="daily_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
