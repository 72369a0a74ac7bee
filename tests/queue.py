"""Running the task queue inside an ordinary (transaction-wrapped) test.

`maillage worker` loops with django-tasks-db's `Worker`, which closes "old" connections between tasks — that
would end a test's transaction, so tests that run the real loop are transactional (tests/jobs,
tests/protection/test_reminders.py). Elsewhere, `run_queued_tasks()` hands each ready task to the same
`Worker.run_task` (the library's code that calls the task and records its result), one after the other, in
the test's own transaction."""

from django_tasks_db.models import DBTaskResult

from maillage.jobs.worker import batch_worker


def run_queued_tasks() -> int:
    """Runs every ready task, including those the tasks themselves enqueue; returns how many ran."""
    worker = batch_worker()
    ran = 0
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at", "pk").first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran
