"""The registry of daily jobs, and the scheduler that enqueues each of them once a day (ADR 0024).

An app registers its daily checks in its `AppConfig.ready()`:

    from maillage.jobs import periodic
    from maillage.protection.tasks import remind_measures_ending

    periodic.daily(remind_measures_ending, name="protection.measures_ending")

`remind_measures_ending` is a django-tasks task (`@task()` from `django_tasks`, taking no argument). The
worker (`maillage worker`) calls `enqueue_due()` every minute: for each registered job not yet enqueued
today (local date) and whose hour has come (`hour=`, 7 by default: reminders arrive with the working day,
not at midnight), one `DailyRun(name, day)` row and one task in the database queue, in one transaction.
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


DEFAULT_HOUR = 7


@dataclass(frozen=True)
class DailyJob:
    name: str
    task: Task
    hour: int = DEFAULT_HOUR  # local time from which it is enqueued each day


_daily: dict[str, DailyJob] = {}


def daily(task: Task, *, name: str, hour: int = DEFAULT_HOUR) -> None:
    """Registers `task` (a django-tasks `Task` without arguments) to run once a day under `name`, from
    `hour` o'clock (local time; 0 to 23)."""
    if not isinstance(task, Task):
        raise TypeError(f"{name}: a daily job is a django-tasks task (decorate it with @task()).")
    if not 0 <= hour <= 23:
        raise ValueError(f"{name}: hour must be between 0 and 23.")
    known = _daily.get(name)
    if known is not None and known.task.module_path != task.module_path:
        raise ValueError(f"Daily job {name!r} is already registered for {known.task.module_path}.")
    _daily[name] = DailyJob(name, task, hour)


def registered() -> list[DailyJob]:
    return sorted(_daily.values(), key=lambda job: job.name)


def enqueue_due(now: datetime.datetime | None = None, *, whatever_the_hour: bool = False) -> list[str]:
    """Enqueues each registered daily job whose hour has come (any, with `whatever_the_hour`: `maillage
    worker --once`) and that was not yet enqueued today (local time); returns their names. Safe to call as
    often as wanted, from several processes."""
    now = timezone.localtime(now)
    day = now.date()
    enqueued = []
    for job in registered():
        if now.hour < job.hour and not whatever_the_hour:
            continue
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
