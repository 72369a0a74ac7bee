"""What only PostgreSQL can show: two people answering the same referral at the same moment, each on their
own connection. The situation then the referral are locked (`select_for_update`) and the version read is
checked: exactly one answer wins, the other is told, and access matches the winner."""

import pytest
from django.db import connection

from maillage.referrals import services
from maillage.referrals.enums import ReferralStatus
from maillage.referrals.models import Referral
from maillage.situations.models import Participation
from tests.concurrency import at_once
from tests.referrals.factories import consenting_situation, refer

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite serialises every writer anyway (run with DATABASE_URL=postgres://…)",
)

ANSWERS = {
    "accept": lambda actor, referral, version: services.referral_accept(
        actor=actor, referral=referral, version=version
    ),
    "decline": lambda actor, referral, version: services.referral_decline(
        actor=actor, referral=referral, reason="Pas de disponibilité", version=version
    ),
    "cancel": lambda actor, referral, version: services.referral_cancel(
        actor=actor, referral=referral, version=version
    ),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "first, second",
    [
        (("cidff", "accept"), ("cidff_colleague", "accept")),
        (("cidff", "accept"), ("cidff_colleague", "decline")),
        (("cidff", "accept"), ("gendarme", "cancel")),
    ],
)
def test_two_answers_at_once_one_wins_the_other_is_told(net, first, second):
    net.memberships["cidff_colleague"] = net._member(net.cidff, ["professional"])
    situation = consenting_situation(net)
    for _ in range(3):
        referral = refer(net, situation)
        calls = [
            (lambda name=name, answer=answer, r=referral: ANSWERS[answer](net.actor(name), r, r.version))
            for name, answer in (first, second)
        ]
        results, refused = at_once(calls)
        assert len(results) == 1 and len(refused) == 1
        assert "Rien n'a été modifié" in refused[0].message or "rien n'a été modifié" in refused[0].message
        winner = Referral.objects.get(pk=referral.pk)
        assert winner.status == results[0].status and winner.version == 2
        follows = Participation.objects.filter(situation=situation, organisation=net.cidff).exists()
        assert follows == (winner.status == ReferralStatus.ACCEPTED)
        # Back to a clean state for the next round.
        if winner.status == ReferralStatus.ACCEPTED:
            services.referral_cancel(actor=net.actor("gendarme"), referral=winner)
