"""The daily check of unanswered referrals runs through the real task queue and worker (`maillage worker
--once`: django-tasks-db's worker code), and flags and tells the sender once, also when it runs twice."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from maillage.jobs import periodic
from maillage.notifications.models import Notification
from maillage.referrals import tasks
from maillage.referrals.enums import ReferralNotificationKind
from tests.referrals.factories import consenting_situation, refer
from tests.situations.worlds import Network

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_daily_job_is_registered():
    assert "referrals.flag_unanswered" in {job.name for job in periodic.registered()}


def test_the_worker_flags_an_unanswered_referral_once_even_when_run_twice(settings):
    settings.MAILLAGE_REFERRAL_UNANSWERED_DAYS = 0
    net = Network()
    referral = refer(net, consenting_situation(net))
    call_command("worker", "--once", verbosity=0)
    call_command("worker", "--once", verbosity=0)
    tasks.flag_unanswered_referrals.enqueue()
    tasks.flag_unanswered_referrals.enqueue()
    call_command("worker", "--once", verbosity=0)
    referral.refresh_from_db()
    assert referral.flagged_at is not None
    told = Notification.objects.filter(kind=ReferralNotificationKind.REFERRAL_UNANSWERED)
    # The sender's organisation (the gendarmerie's members who see it), each told once.
    assert told.count() == told.values("recipient").distinct().count() > 0
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
