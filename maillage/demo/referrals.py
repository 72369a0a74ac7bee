"""The demo's referrals (*orientations*): a few in every state — proposed, one left unanswered and flagged,
accepted, declined, done, cancelled, and accepted then given back or cancelled — written through the
referral services at their moment of the history, under the demo clock (planned on the same history as the
situations, so the audit trail stays in time order).

Which situation each one is about is decided when it happens: an open, unrestricted situation of that
moment (not the canary), whose sender follows it and whose receiver does not yet; the victim's recorded
consent names the receiver (recorded on the way if she had agreed to sharing), or the situation is an
immediate danger. Draws come from their own seed so the situations' draws are not shifted."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from maillage.network.actor import Actor
from maillage.referrals import policies
from maillage.referrals import services as referral_services
from maillage.referrals.enums import ReferralNeed
from maillage.situations import selectors
from maillage.situations import services as situation_services
from maillage.situations.enums import ConsentAnswer, LegalGround, SituationStatus
from maillage.situations.models import Situation

SEED = 20220711
RECEIVERS = {
    "CIDFF de la Vendée": ([ReferralNeed.LEGAL_ADVICE, ReferralNeed.LAWYER], "Questions sur ses droits"),
    "France Victimes 85": ([ReferralNeed.VICTIM_SUPPORT], "Accompagnement dans les démarches de plainte"),
    "SOS Femmes Vendée": ([ReferralNeed.VICTIM_SUPPORT, ReferralNeed.PSYCHOLOGIST], "Groupe de parole"),
    "SIAO de la Vendée — 115": ([ReferralNeed.SHELTER], "Mise à l'abri à envisager"),
    "CAF de la Vendée": ([ReferralNeed.CAF_EMERGENCY_AID], "Ressources à sécuriser après la séparation"),
    "Centre hospitalier Loire Vendée Océan": ([ReferralNeed.HEALTH], "Suivi médical"),
}
# Each path: days ago of each step (propose first), and the steps after the proposal.
PATHS = [
    (1, []),
    (3, []),
    (9, []),  # left unanswered: flagged by the daily job
    (30, [(29, "accept")]),
    (45, [(44, "accept")]),
    (12, [(10, "decline")]),
    (50, [(49, "accept"), (20, "decline")]),
    (70, [(68, "accept"), (25, "done")]),
    (90, [(88, "accept"), (40, "done")]),
    (16, [(15, "cancel")]),
    (40, [(38, "accept"), (18, "cancel")]),
]
FLAG_DAYS_AGO = 2
DECLINE_REASON = "Pas de disponibilité avant plusieurs semaines : une autre structure sera plus rapide."


class DemoReferrals:
    """Planned on `DemoSituations`' history (mixed into it)."""

    def plan_referrals(self) -> None:
        self.referral_rng = random.Random(SEED)  # noqa: S311 — fictional demo data, not security
        self.referrals: dict[int, object] = {}
        for index, (days_ago, steps) in enumerate(PATHS):
            self.history.at(self.days_ago(days_ago), lambda index=index: self.propose(index))
            for step_days_ago, step in steps:
                self.history.at(
                    self.days_ago(step_days_ago), lambda index=index, step=step: self.answer(index, step)
                )
        self.history.at(self.days_ago(FLAG_DAYS_AGO), referral_services.referrals_flag_unanswered)

    def days_ago(self, days: int) -> datetime.datetime:
        return self.moment(self.now.date() - datetime.timedelta(days=days), hour=11)

    def propose(self, index: int) -> None:
        found = self.referral_candidate()
        if found is None:
            return
        situation, sender, receiver, ground = found
        needs, reason = RECEIVERS[receiver.name]
        self.referrals[index] = referral_services.referral_propose(
            actor=sender,
            situation=situation,
            receiver=receiver,
            needs=needs,
            reason=reason,
            legal_ground=ground,
        )

    def answer(self, index: int, step: str) -> None:
        referral = self.referrals.get(index)
        if referral is None:
            return
        if step == "cancel":
            referral_services.referral_cancel(actor=self.referral_sender(referral), referral=referral)
            return
        receiver = next(
            a for a in self.cast.professionals[referral.receiver.name] if policies.can_answer(a, referral)
        )
        if step == "accept":
            if Situation.objects.filter(pk=referral.situation_id, status=SituationStatus.CLOSED).exists():
                return  # closed meanwhile: the referral stays unanswered
            self.referrals[index] = referral_services.referral_accept(actor=receiver, referral=referral)
        elif step == "decline":
            self.referrals[index] = referral_services.referral_decline(
                actor=receiver, referral=referral, reason=DECLINE_REASON
            )
        else:
            self.referrals[index] = referral_services.referral_done(actor=receiver, referral=referral)

    def referral_sender(self, referral) -> Actor:
        return next(
            a for a in self.cast.professionals[referral.sender.name] if policies.can_cancel(a, referral)
        )

    def referral_candidate(self):
        """(situation, sender, receiver, legal ground) for a new referral now, or None."""
        special = {s.pk for key, s in self.situations.items() if key in ("canary", "restricted")}
        candidates = list(
            # Reported a fortnight ago at least: the organisations it drew have joined it by then.
            Situation.objects.filter(
                territory=self.territory,
                restricted=False,
                created_at__lt=timezone.now() - datetime.timedelta(days=15),
            )
            .exclude(status=SituationStatus.CLOSED)
            .exclude(pk__in=special)
            .exclude(referrals__isnull=False)
            .order_by("pk")
        )
        self.referral_rng.shuffle(candidates)
        for situation in candidates:
            following = list(
                situation.participations.order_by("pk").values_list("organisation__name", flat=True)
            )
            senders = [
                actor
                for name in following
                for actor in self.cast.professionals.get(name, [])
                if policies.can_refer(actor, situation)
            ]
            receivers = [
                self.cast.organisations[name]
                for name in RECEIVERS
                if name not in following and self.cast.professionals.get(name)
            ]
            if not senders or not receivers:
                continue
            sender, receiver = senders[0], self.referral_rng.choice(receivers)
            consent = selectors.current_consent(situation)
            if consent is not None and consent.answer == ConsentAnswer.GIVEN:
                if not consent.organisations.filter(pk=receiver.pk).exists():
                    situation_services.consent_record(
                        actor=sender,
                        situation=situation,
                        answer=ConsentAnswer.GIVEN,
                        organisations=[*consent.organisations.all(), receiver],
                    )
                return situation, sender, receiver, LegalGround.CONSENT
            if situation.urgent:
                return situation, sender, receiver, LegalGround.IMMEDIATE_DANGER
        return None
