"""The worker: runs the tasks of the database queue and, once a minute, the scheduler of daily jobs.

The only module that reaches into django-tasks-db's worker (`db_worker`'s `Worker`, not a public API):
it is reused as is, in batch mode (take every ready task, then return), between two calls of the
scheduler. Its signal handling is kept: Ctrl-C or SIGTERM lets a running task finish, then stops.
"""

import logging
import time

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from maillage.jobs import periodic

logger = logging.getLogger(__name__)


def batch_worker(*, backend: str = "default") -> Worker:
    return Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
    )


def run_once(*, backend: str = "default", now=None) -> list[str]:
    """Enqueues today's daily jobs not enqueued yet, whatever the hour (the caller chose the moment: a
    test, a cron line), then runs every ready task and returns."""
    enqueued = periodic.enqueue_due(now, whatever_the_hour=True)
    batch_worker(backend=backend).run()
    return enqueued


def run_forever(*, interval: float = 1.0, schedule_every: float = 60.0, backend: str = "default") -> None:
    """Polls the queue every `interval` seconds and the scheduler every `schedule_every` seconds, until
    SIGINT or SIGTERM."""
    worker = batch_worker(backend=backend)
    worker.configure_signals()
    next_schedule = 0.0
    while worker.running:
        if time.monotonic() >= next_schedule:
            periodic.enqueue_due()
            next_schedule = time.monotonic() + schedule_every
        worker.run()
        if worker.running:
            time.sleep(interval)
