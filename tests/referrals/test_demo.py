"""The demo holds referrals in every state, written through the services at their moment of the history:
the receiving organisation follows exactly the situations of its accepted or done referrals, one referral
left unanswered is flagged, and the audit trail stays in time order."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F

from maillage.audit.models import AuditEntry
from maillage.audit.services import verify_chain
from maillage.referrals.enums import GRANTING, ReferralStatus
from maillage.referrals.models import Referral
from maillage.situations.enums import ParticipationReason
from maillage.situations.models import Participation


@pytest.mark.whole_app
def test_the_demo_holds_referrals_in_every_state(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())
    referrals = Referral.objects.all()
    assert set(referrals.values_list("status", flat=True)) == set(ReferralStatus)
    assert referrals.filter(status=ReferralStatus.PROPOSED, flagged_at__isnull=False).count() == 1
    # One was given back after being accepted, one cancelled after being accepted: both answered first.
    assert referrals.filter(status=ReferralStatus.DECLINED, answered_at__lt=F("closed_at")).exists()
    assert referrals.filter(status=ReferralStatus.CANCELLED, answered_at__isnull=False).exists()
    for referral in referrals:
        follows = Participation.objects.filter(
            situation=referral.situation, organisation=referral.receiver, reason=ParticipationReason.REFERRAL
        ).exists()
        assert follows == (referral.status in GRANTING), referral
    times = list(AuditEntry.objects.order_by("sequence").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert verify_chain().ok
