"""Reminders before a measure ends: through the real task queue and the real worker (`maillage worker
--once`: django-tasks-db's worker code), to those who may see the measure on their own ground, exactly
once — also when the job runs twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from maillage.jobs import periodic
from maillage.notifications.models import Notification
from maillage.protection import services
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus
from maillage.protection.tasks import remind_measures_ending
from tests.protection.worlds import MeasureWorld
from tests.queue import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

REMINDED = {"coordinator", "referent", "gendarme", "gendarme_colleague"}


def reminded(world) -> dict[str, int]:
    names = {m.pk: name for name, m in world.memberships.items()}
    counts: dict[str, int] = {}
    for n in Notification.objects.filter(kind="measure_ending"):
        counts[names[n.recipient_id]] = counts.get(names[n.recipient_id], 0) + 1
    return counts


def test_the_daily_job_is_registered():
    assert "protection.measures_ending" in {job.name for job in periodic.registered()}


def test_those_who_see_the_measure_are_reminded_once_even_when_the_worker_runs_twice():
    world = MeasureWorld()
    world.break_glass("cidff")  # reads it now, but a reminder is follow-up: not for an emergency access
    assert world.today < world.measure.ends_on <= world.today + datetime.timedelta(days=30)
    run_queued_tasks()  # the e-mails of the report's and the emergency access's alerts…
    mail.outbox.clear()  # …are not what this test counts
    call_command("worker", "--once", verbosity=0)
    call_command("worker", "--once", verbosity=0)
    assert reminded(world) == dict.fromkeys(REMINDED, 1)
    # Even run twice by the queue itself (a crash before its result was recorded): nothing more.
    remind_measures_ending.enqueue()
    remind_measures_ending.enqueue()
    call_command("worker", "--once", verbosity=0)
    assert reminded(world) == dict.fromkeys(REMINDED, 1)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    # E-mails: one per person reminded, naming nothing.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(world[n].user.email for n in REMINDED)
    for message in mail.outbox:
        text = message.subject + message.body
        assert world.situation.pseudonym not in text
        assert "TGD" not in text and "téléphone" not in text.lower() and "Mouchamps" not in text


def test_a_renewed_measure_is_reminded_again_before_its_new_end():
    world = MeasureWorld()
    call_command("worker", "--once", verbosity=0)
    services.measure_update(
        actor=world.actor("coordinator"),
        measure=world.measure,
        version=1,
        ends_on=world.today + datetime.timedelta(days=25),
    )
    remind_measures_ending.enqueue()
    call_command("worker", "--once", verbosity=0)
    assert reminded(world) == dict.fromkeys(REMINDED, 2)


def test_measures_far_from_their_end_ended_or_of_a_closed_situation_are_not_reminded():
    world = MeasureWorld()
    coordinator = world.actor("coordinator")
    services.measure_update(actor=coordinator, measure=world.measure, version=1, status=MeasureStatus.ENDED)
    services.measure_record(
        actor=coordinator,
        situation=world.situation,
        kind=MeasureKind.PROTECTION_ORDER,
        authority=Authority.JAF,
        status=MeasureStatus.IN_FORCE,
        starts_on=world.today,
    )
    call_command("worker", "--once", verbosity=0)
    assert reminded(world) == {}


def test_the_alert_page_shows_the_pseudonym_and_leads_to_the_measures():
    world = MeasureWorld()
    call_command("worker", "--once", verbosity=0)
    page = world.client("referent").get("/notifications/").content.decode()
    assert "Mesure de protection bientôt échue" in page
    assert world.situation.pseudonym in page
    alert = Notification.objects.get(recipient=world["referent"], kind="measure_ending")
    opened = world.client("referent").get(f"/notifications/{alert.public_id}/")
    assert opened.status_code == 302
    assert opened.url == f"/situations/{world.situation.public_id}/mesures/"
