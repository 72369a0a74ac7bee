"""Reads of referrals, always from the policy (`Referral.objects.visible_to`)."""

from maillage.network.actor import Actor
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
