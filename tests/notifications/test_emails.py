"""Alert e-mails leave through the task queue (ADR 0024): the request only enqueues the alerts' public ids
(no address, no pseudonym in the queue), the task sends each neutral e-mail once — also when it runs twice."""

import json

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from maillage.notifications import services, tasks
from maillage.notifications.models import Notification
from tests.network.factories import MembershipFactory
from tests.queue import run_queued_tasks
from tests.situations.factories import SituationFactory

pytestmark = pytest.mark.django_db


def test_the_request_enqueues_ids_only_and_sends_nothing_itself(
    territory, django_capture_on_commit_callbacks
):
    situation = SituationFactory(territory=territory)
    recipients = [MembershipFactory(territory=territory), MembershipFactory(territory=territory)]
    with django_capture_on_commit_callbacks(execute=True):
        alerts = services.notify(
            actor=None, recipients=recipients, kind="situation_reported", target=situation
        )
    assert mail.outbox == []
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "maillage.notifications.tasks.send_alert_emails"
    stored = json.dumps(queued.args_kwargs)
    assert sorted(json.loads(stored)["args"][0]) == sorted(str(a.public_id) for a in alerts)
    for membership in recipients:
        assert membership.user.email not in stored
    assert situation.pseudonym not in stored

    assert run_queued_tasks() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in recipients)
    assert all(n.emailed_at is not None for n in Notification.objects.all())


def test_a_task_run_twice_sends_each_e_mail_once(territory, django_capture_on_commit_callbacks):
    situation = SituationFactory(territory=territory)
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = services.notify(
            actor=None,
            recipients=[MembershipFactory(territory=territory)],
            kind="situation_reported",
            target=situation,
        )
    tasks.send_alert_emails.enqueue([str(alert.public_id)])
    assert run_queued_tasks() == 2
    assert len(mail.outbox) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_an_alert_rolled_back_leaves_no_e_mail_in_the_queue(territory):
    """The task row is written in the caller's transaction: it commits with the alerts or not at all."""
    from django.db import transaction

    situation = SituationFactory(territory=territory)

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        services.notify(
            actor=None,
            recipients=[MembershipFactory(territory=territory)],
            kind="situation_reported",
            target=situation,
        )
        assert DBTaskResult.objects.count() == 1
        raise Refused
    assert not DBTaskResult.objects.exists() and not Notification.objects.exists()
