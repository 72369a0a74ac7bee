"""A referral (*orientation*) of a situation from one organisation to another (DOMAIN.md §3).

The referral does not open the situation by itself: accepting it creates (or joins) the receiving
organisation's `Participation`, the one ground `Situation.objects.visible_to` reads; declining or cancelling
it deletes that participation unless another ground remains (services.py). `participation` is the one the
referral holds; it is empty while proposed, and when the organisation already followed the situation on
another ground (then the referral never removes it).
"""

import uuid

from django.db import models

from maillage.network.models import Membership, Organisation
from maillage.referrals.enums import ReferralStatus
from maillage.referrals.policies import ReferralQuerySet
from maillage.situations.enums import LegalGround
from maillage.situations.models import Participation, Situation


class Referral(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="referrals")
    sender = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name="orientée par"
    )
    sent_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name="orientée vers",
    )
    needs = models.JSONField("besoins", default=list)  # ReferralNeed values
    reason = models.TextField("motif de l'orientation")
    legal_ground = models.CharField("fondement du partage", max_length=20, choices=LegalGround.choices)
    status = models.CharField(
        "état", max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    decline_reason = models.TextField("motif du refus", blank=True)
    participation = models.ForeignKey(
        Participation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # done, declined or cancelled
    # Flagged once when left unanswered too long (services.referrals_flag_unanswered).
    flagged_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: every transition bumps it; an answer read at an older version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["receiver", "status"]),
            models.Index(fields=["sender", "status"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.situation} → {self.receiver}"
