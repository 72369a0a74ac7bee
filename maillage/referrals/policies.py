"""Who may see and answer a referral. It hangs from the situation policy (situations/policies.py):

- a referral is seen by whoever sees its situation (`Situation.objects.visible_to`), the sending
  organisation's members included;
- the receiving organisation's professionals also see it before they may open the situation, as a summary
  without identities nor notes (the referrals pages) — unless they are excluded from the situation, or it is
  restricted and they are not named on it: those bind here as everywhere;
- they answer it (accept, decline, done); the sending organisation, or the coordination, cancels it.

`ReferralQuerySet.visible_to(actor)` is one SQL query; `memberships_receiving(referral)` is its reverse side
for the receiving organisation (whom to tell). Models are imported inside functions (managers)."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.situations import policies as situation_policies


def _received_by(actor: Actor) -> Q:
    """Referrals to the actor's organisation that the actor may read as a receiving professional."""
    from maillage.situations.models import Exclusion, NamedAccess

    if not (actor.is_member and actor.has_role(Role.PROFESSIONAL)):
        return Q(pk__in=[])
    named = Exists(NamedAccess.objects.filter(situation=OuterRef("situation_id"), user_id=actor.user.pk))
    return (
        Q(receiver_id=actor.membership.organisation_id, situation__territory_id=actor.membership.territory_id)
        & ~Exists(Exclusion.objects.filter(situation=OuterRef("situation_id"), user_id=actor.user.pk))
        & (Q(situation__restricted=False) | named)
    )


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor | None):
        if actor is None or not actor.is_member:
            return self.none()
        from maillage.situations.models import Situation

        # Correlated to each referral's situation (EXISTS), not `situation_id IN (every visible situation)`:
        # inside the OR, PostgreSQL would hash the whole visible set first — 2.5 s for the gendarmerie's
        # notifications page at a million situations, to describe a handful of referrals.
        seen = Exists(Situation.objects.visible_to(actor).filter(pk=OuterRef("situation_id")))
        return self.filter(seen | _received_by(actor))

    def received_by(self, actor: Actor):
        """The referrals to the actor's organisation that it may read: `visible_to` narrowed to that receiver.
        For a professional it is `_received_by` alone — any situation the professional sees is in their
        territory, not excluded for them and, if restricted, named for them (situations/policies.py), so
        the `visible_to` half adds nothing — and that shape avoids the sub-query of every visible
        situation (47 s for the gendarmerie's « À traiter » at a million situations). Checked against the
        long form, actor by actor (tests/referrals/test_policy_matrix.py)."""
        if actor is not None and actor.is_member and actor.has_role(Role.PROFESSIONAL):
            return self.filter(_received_by(actor))
        return self.visible_to(actor).filter(receiver_id=actor.membership.organisation_id)

    def sent_by(self, actor: Actor):
        return self.visible_to(actor).filter(sender_id=actor.membership.organisation_id)


def access_referral(actor: Actor | None, public_id):
    """The referral if this actor may see it, else Http404: the same answer for missing and forbidden."""
    from django.shortcuts import get_object_or_404

    from maillage.referrals.models import Referral

    return get_object_or_404(
        Referral.objects.visible_to(actor).select_related("situation__commune", "sender", "receiver"),
        public_id=public_id,
    )


def can_refer(actor: Actor, situation) -> bool:
    """Referring a situation: its coordination and the professionals of the organisations following it,
    who see it now (an emergency access does not let anyone hand the situation on)."""
    return situation_policies.can_open(actor, situation) and situation_policies.can_contribute(
        actor, situation
    )


def is_receiver(actor: Actor, referral) -> bool:
    """A professional of the receiving organisation (in the situation's territory), who answers it."""
    return (
        actor.is_member
        and actor.has_role(Role.PROFESSIONAL)
        and actor.membership.organisation_id == referral.receiver_id
        and actor.membership.territory_id == referral.situation.territory_id
    )


def can_answer(actor: Actor, referral) -> bool:
    """Accept, decline, mark done: the receiving organisation's professionals who may see the referral."""
    from maillage.referrals.models import Referral

    return is_receiver(actor, referral) and Referral.objects.visible_to(actor).filter(pk=referral.pk).exists()


def can_cancel(actor: Actor, referral) -> bool:
    """The sending organisation's members who still see the situation, and its coordination."""
    situation = referral.situation
    if not situation_policies.can_open(actor, situation):
        return False
    return actor.membership.organisation_id == referral.sender_id or situation_policies.is_coordination(
        actor, situation
    )


def can_open_situation(actor: Actor, referral) -> bool:
    """Whether the referral page links to the situation itself (after acceptance, for the receiver)."""
    return situation_policies.can_open(actor, referral.situation)


def memberships_receiving(referral):
    """The reverse side of the received branch of `visible_to`: the receiving organisation's active
    professionals who may read this referral (one query) — those told it was proposed."""
    from maillage.network.models import Membership
    from maillage.situations.models import Exclusion, NamedAccess

    situation = referral.situation
    members = (
        Membership.objects.active()
        .filter(
            organisation_id=referral.receiver_id,
            territory_id=situation.territory_id,
            role_set__role=Role.PROFESSIONAL,
        )
        .exclude(Exists(Exclusion.objects.filter(situation=situation, user_id=OuterRef("user_id"))))
    )
    if situation.restricted:
        members = members.filter(
            Exists(NamedAccess.objects.filter(situation=situation, user_id=OuterRef("user_id")))
        )
    return members


def memberships_sending(referral):
    """The sending organisation's members who may still open the situation (reverse side of the policy):
    those told of an answer, or of a referral left unanswered."""
    return situation_policies.memberships_seeing(referral.situation).filter(
        organisation_id=referral.sender_id
    )
