"""What the notifications page shows of a referral: its situation's pseudonym and the referral's page, for a
reader who may still see it (policies.ReferralQuerySet.visible_to, one query). Never an identity."""

from collections.abc import Iterable
from uuid import UUID

from django.urls import reverse

from maillage.notifications.registry import Described
from maillage.referrals.models import Referral


def describe_referrals(actor, ids: Iterable[UUID]) -> dict[UUID, Described]:
    rows = (
        Referral.objects.visible_to(actor)
        .filter(public_id__in=list(ids))
        .values_list("public_id", "situation__pseudonym", "situation__urgent")
    )
    return {
        public_id: Described(
            f"Orientation {pseudonym}", reverse("referrals:detail", args=[public_id]), urgent
        )
        for public_id, pseudonym, urgent in rows
    }
