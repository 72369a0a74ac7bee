"""Reminders are alerts with an occasion: one per recipient, kind, target and occasion (ADR 0024)."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from maillage.notifications import services
from maillage.notifications.models import Notification
from tests.network.factories import MembershipFactory
from tests.queue import run_queued_tasks
from tests.situations.factories import SituationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 24)


def test_a_reminder_for_the_same_occasion_is_sent_once(territory, django_capture_on_commit_callbacks):
    situation = SituationFactory(territory=territory)
    first, second = MembershipFactory(territory=territory), MembershipFactory(territory=territory)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            actor=None, recipients=[first], kind="situation_reported", target=situation, occasion=DAY
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.notify(
            actor=None, recipients=[first, second], kind="situation_reported", target=situation, occasion=DAY
        )
    assert [n.recipient for n in again] == [second]
    assert Notification.objects.filter(recipient=first).count() == 1
    run_queued_tasks()  # the alert e-mails leave through the task queue
    assert len(mail.outbox) == 2  # one e-mail each, never two for the same occasion
    later = services.notify(
        actor=None,
        recipients=[first],
        kind="situation_reported",
        target=situation,
        occasion=DAY + datetime.timedelta(days=1),
    )
    assert len(later) == 1  # a new occasion (a renewed measure's new end) is a new reminder


def test_ordinary_alerts_have_no_occasion_and_may_repeat(territory):
    situation = SituationFactory(territory=territory)
    member = MembershipFactory(territory=territory)
    for _ in range(2):
        services.notify(actor=None, recipients=[member], kind="situation_reported", target=situation)
    assert Notification.objects.filter(recipient=member, occasion=None).count() == 2


def test_the_database_refuses_a_second_reminder_for_the_same_occasion(territory):
    situation = SituationFactory(territory=territory)
    member = MembershipFactory(territory=territory)
    fields = {
        "recipient": member,
        "kind": "situation_reported",
        "target_type": "situations.situation",
        "target_id": situation.public_id,
        "occasion": DAY,
    }
    Notification.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**fields)
