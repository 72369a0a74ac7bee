"""Who is told what about a referral, without personal data; referrals left unanswered flagged once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.notifications import registry
from maillage.notifications.models import Notification
from maillage.referrals import services
from maillage.referrals.enums import ReferralNotificationKind, ReferralStatus
from maillage.situations import services as situation_services
from tests.queue import run_queued_tasks
from tests.referrals.factories import consenting_situation, refer

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)


def alerted(referral, kind) -> set[int]:
    return set(Notification.objects.about(referral).filter(kind=kind).values_list("recipient", flat=True))


def test_every_kind_is_registered():
    assert {k.value for k in registry.kinds()} >= set(ReferralNotificationKind)


def test_the_receiving_professionals_are_told_not_the_excluded_one(net):
    net.memberships["cidff_excluded"] = net._member(net.cidff, ["professional"])
    situation = consenting_situation(net)
    situation_services.exclusion_add(
        actor=net.actor("coordinator"), situation=situation, user=net["cidff_excluded"].user, reason="Voisine"
    )
    referral = refer(net, situation)
    assert alerted(referral, ReferralNotificationKind.REFERRAL_RECEIVED) == {net["cidff"].pk}


def test_the_sender_is_told_of_the_answer(net):
    situation = consenting_situation(net)
    referral = refer(net, situation)
    services.referral_accept(actor=net.actor("cidff"), referral=referral)
    # The reporting organisation's members who may open the situation (not the CIDFF who answered).
    assert alerted(referral, ReferralNotificationKind.REFERRAL_ANSWERED) == {
        net["gendarme"].pk,
        net["gendarme_colleague"].pk,
    }
    assert (
        not Notification.objects.about(referral)
        .filter(kind=ReferralNotificationKind.REFERRAL_RECEIVED, read_at__isnull=True)
        .exists()
    )


def test_the_alert_and_its_email_name_nobody(net, django_capture_on_commit_callbacks):
    situation = consenting_situation(net)
    with django_capture_on_commit_callbacks(execute=True):
        refer(net, situation, reason="Madame Camille Exemple a besoin d'aide")
    page = net.client("cidff").get("/notifications/").content.decode()
    assert "Camille" not in page and "Exemple" not in page
    assert f"Orientation {situation.pseudonym}" in page
    run_queued_tasks()  # the alert e-mails leave through the task queue
    assert mail.outbox
    for message in mail.outbox:
        assert "Camille" not in message.subject + message.body
        assert situation.pseudonym not in message.subject + message.body
        assert situation.commune.name not in message.subject + message.body


def test_unanswered_referrals_are_flagged_once_and_the_sender_told_once(net, settings):
    settings.MAILLAGE_REFERRAL_UNANSWERED_DAYS = 5
    situation = consenting_situation(net)
    with time_machine.travel(NOW - datetime.timedelta(days=6)):
        late = refer(net, situation)
        answered = refer(net, situation, receiver=net.ccas)
        services.referral_accept(actor=net.actor("ccas"), referral=answered)
    with time_machine.travel(NOW - datetime.timedelta(days=4)):
        recent = refer(net, consenting_situation(net, organisations=[net.hospital]), receiver=net.hospital)
    assert services.referrals_flag_unanswered(now=NOW) == 1
    assert services.referrals_flag_unanswered(now=NOW) == 0
    late.refresh_from_db()
    assert late.flagged_at == NOW
    assert alerted(late, ReferralNotificationKind.REFERRAL_UNANSWERED) == {
        net["gendarme"].pk,
        net["gendarme_colleague"].pk,
    }
    assert Notification.objects.filter(kind=ReferralNotificationKind.REFERRAL_UNANSWERED).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.REFERRAL_FLAGGED).count() == 1
    recent.refresh_from_db()
    assert recent.flagged_at is None


def test_a_referral_younger_than_the_delay_is_not_flagged(net, settings):
    settings.MAILLAGE_REFERRAL_UNANSWERED_DAYS = 5
    with time_machine.travel(NOW - datetime.timedelta(days=4, hours=23)):
        referral = refer(net, consenting_situation(net))
    assert services.referrals_flag_unanswered(now=NOW) == 0
    settings.MAILLAGE_REFERRAL_UNANSWERED_DAYS = 3
    assert services.referrals_flag_unanswered(now=NOW) == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED and referral.flagged_at is not None


def test_a_flagged_referral_shows_on_the_senders_list(net, settings):
    settings.MAILLAGE_REFERRAL_UNANSWERED_DAYS = 0
    referral = refer(net, consenting_situation(net))
    services.referrals_flag_unanswered(now=timezone.now())
    page = net.client("gendarme").get("/orientations/", {"direction": "sent", "unanswered": "on"})
    assert str(referral.public_id) in page.content.decode()
    assert "Sans réponse" in page.content.decode()


def test_a_pending_referral_of_a_closed_situation_is_not_flagged(net, settings):
    settings.MAILLAGE_REFERRAL_UNANSWERED_DAYS = 0
    situation = consenting_situation(net)
    refer(net, situation)
    situation_services.situation_close(actor=net.actor("coordinator"), situation=situation, reason="resolved")
    assert services.referrals_flag_unanswered() == 0
