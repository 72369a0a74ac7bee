"""The registry of daily jobs, and the scheduler that enqueues each of them once a day (ADR 0024).

An app registers its daily checks in its `AppConfig.ready()`:

    from maillage.jobs import periodic
    from maillage.protection.tasks import remind_measures_ending

    periodic.daily(remind_measures_ending, name="protection.measures_ending")

`remind_measures_ending` is a django-tasks task (`@task()` from `django_tasks`, taking no argument). The
worker (`maillage worker`) calls `enqueue_due()` every minute: for each registered job not yet enqueued
today (local date), one `DailyRun(name, day)` row and one task in the database queue, in one transaction.
The unique row makes it idempotent: a second scheduler, a restart or a second call the same day enqueues
nothing. The job itself must be idempotent too (a task may run twice after a crash): reminders are
notifications with an `occasion` (notifications.services.notify), sent once per recipient and occasion.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from maillage.jobs.models import DailyRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    name: str
    task: Task


_daily: dict[str, DailyJob] = {}


def daily(task: Task, *, name: str) -> None:
    """Registers `task` (a django-tasks `Task` without arguments) to run once a day under `name`."""
    if not isinstance(task, Task):
        raise TypeError(f"{name}: a daily job is a django-tasks task (decorate it with @task()).")
    known = _daily.get(name)
    if known is not None and known.task.module_path != task.module_path:
        raise ValueError(f"Daily job {name!r} is already registered for {known.task.module_path}.")
    _daily[name] = DailyJob(name, task)


def registered() -> list[DailyJob]:
    return sorted(_daily.values(), key=lambda job: job.name)


def enqueue_due(day: datetime.date | None = None) -> list[str]:
    """Enqueues each registered daily job not yet enqueued for `day` (today, local time); returns their
    names. Safe to call as often as wanted, from several processes."""
    day = day or timezone.localdate()
    enqueued = []
    for job in registered():
        if DailyRun.objects.filter(name=job.name, day=day).exists():
            continue
        try:
            with transaction.atomic():
                run = DailyRun.objects.create(name=job.name, day=day)
                result = job.task.enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            # Another scheduler enqueued it for this day between our check and our insert.
            continue
        logger.info("daily job enqueued", extra={"job": job.name, "day": day.isoformat()})
        enqueued.append(job.name)
    return enqueued
