"""Tasks for the jobs tests (a task must be a module-level function that the worker can import)."""

from django_tasks import task

CALLS: list[str] = []


@task()
def count_a_call() -> int:
    CALLS.append("called")
    return len(CALLS)


def not_a_task() -> None:
    pass


@task()
def another_task() -> None:
    pass
