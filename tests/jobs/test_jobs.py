"""Daily jobs: registered once, enqueued once a day whatever how often the scheduler runs, and run by the
real worker (django-tasks-db's, in batch mode) from the real database queue — no mock."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.jobs import periodic
from maillage.jobs.models import DailyRun
from tests.jobs import tasks


@pytest.fixture
def registry():
    saved = dict(periodic._daily)
    periodic._daily.clear()
    tasks.CALLS.clear()
    yield periodic
    periodic._daily.clear()
    periodic._daily.update(saved)


def test_only_a_task_may_be_registered(registry):
    with pytest.raises(TypeError):
        registry.daily(tasks.not_a_task, name="tests.not_a_task")


def test_one_name_cannot_be_taken_by_two_tasks(registry):
    registry.daily(tasks.count_a_call, name="tests.count")
    registry.daily(tasks.count_a_call, name="tests.count")  # the same again (a second ready()): fine
    with pytest.raises(ValueError, match="already registered"):
        registry.daily(tasks.another_task, name="tests.count")


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db
def test_the_scheduler_enqueues_each_job_once_a_day_from_its_hour(registry):
    registry.daily(tasks.count_a_call, name="tests.count")  # from 7 o'clock, local time
    day = datetime.date(2026, 11, 30)
    assert registry.enqueue_due(at(day, 6)) == []
    assert registry.enqueue_due(at(day, 7)) == ["tests.count"]
    assert registry.enqueue_due(at(day, 7)) == []
    assert registry.enqueue_due(at(day, 23)) == []
    assert DailyRun.objects.filter(name="tests.count", day=day).count() == 1
    assert DBTaskResult.objects.filter(task_path="tests.jobs.tasks.count_a_call").count() == 1
    assert registry.enqueue_due(at(day + datetime.timedelta(days=1), 9)) == ["tests.count"]
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_a_day_already_taken_by_another_scheduler_enqueues_nothing(registry):
    registry.daily(tasks.count_a_call, name="tests.count", hour=0)
    day = datetime.date(2026, 11, 30)
    DailyRun.objects.create(name="tests.count", day=day)
    assert registry.enqueue_due(at(day, 12)) == []
    assert not DBTaskResult.objects.exists()


def test_an_hour_outside_the_day_is_refused(registry):
    with pytest.raises(ValueError, match="hour"):
        registry.daily(tasks.count_a_call, name="tests.count", hour=24)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_daily_job_once_even_when_run_twice(registry):
    registry.daily(tasks.count_a_call, name="tests.count")
    call_command("worker", "--once", verbosity=0)
    call_command("worker", "--once", verbosity=0)
    assert tasks.CALLS == ["called"]
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_tasks_enqueued_by_the_application(registry):
    tasks.count_a_call.enqueue()
    tasks.count_a_call.enqueue()
    assert tasks.CALLS == []  # queued in the database, not run on the spot
    call_command("worker", "--once", verbosity=0)
    assert tasks.CALLS == ["called", "called"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
