"""Reads of referrals, always from the policy (`Referral.objects.visible_to`)."""

from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.referrals.enums import ReferralStatus
from maillage.referrals.models import Referral


def referrals_listed(actor: Actor, filters: dict):
    """The referrals the actor sees, narrowed by the list's filters (direction, state, flagged)."""
    direction = filters.get("direction") or "received"
    if direction == "received":
        referrals = Referral.objects.received_by(actor)
    elif direction == "sent":
        referrals = Referral.objects.sent_by(actor)
    else:
        referrals = Referral.objects.visible_to(actor)
    if filters.get("status"):
        referrals = referrals.filter(status=filters["status"])
    if filters.get("unanswered"):
        referrals = referrals.filter(flagged_at__isnull=False, status="proposed")
    return referrals.select_related("situation__commune", "sender", "receiver").order_by("-created_at", "-pk")


def referrals_to_answer(actor: Actor):
    """The referrals to the actor's organisation still waiting for its answer (the « À traiter » home), urgent
    situations first, then the oldest; None for a role that does not answer referrals."""
    if not (actor.is_member and actor.has_role(Role.PROFESSIONAL)):
        return None
    return (
        Referral.objects.received_by(actor)
        .filter(status=ReferralStatus.PROPOSED)
        .select_related("situation__commune", "sender")
        .order_by("-situation__urgent", "created_at", "pk")
    )
