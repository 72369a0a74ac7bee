"""Referrals made through the real services: a situation reported by the gendarmerie, the victim consenting
to sharing with the CIDFF and the CCAS, referred to the CIDFF."""

from maillage.referrals import services
from maillage.referrals.enums import ReferralNeed
from maillage.situations.enums import ConsentAnswer, LegalGround
from tests.situations.factories import report_situation


def consenting_situation(net, reporter="gendarme", organisations=None):
    organisations = [net.cidff, net.ccas] if organisations is None else organisations
    return report_situation(
        net.actor(reporter), consent={"answer": ConsentAnswer.GIVEN, "organisations": organisations}
    )


def refer(net, situation, *, sender="gendarme", receiver=None, legal_ground=LegalGround.CONSENT, **kwargs):
    return services.referral_propose(
        actor=net.actor(sender),
        situation=situation,
        receiver=receiver or net.cidff,
        needs=kwargs.pop("needs", [ReferralNeed.LEGAL_ADVICE]),
        reason=kwargs.pop("reason", "Besoin d'une information sur ses droits."),
        legal_ground=legal_ground,
        **kwargs,
    )
