from django.db import models


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposée"
    ACCEPTED = "accepted", "Acceptée"
    DECLINED = "declined", "Refusée"
    DONE = "done", "Réalisée"
    CANCELLED = "cancelled", "Annulée"


# The states in which a referral is a ground for the receiving organisation to follow the situation.
GRANTING = (ReferralStatus.ACCEPTED, ReferralStatus.DONE)
# The states still waiting for someone: the sender may cancel, the receiver answer or finish.
OPEN = (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED)


class ReferralNeed(models.TextChoices):
    LEGAL_ADVICE = "legal_advice", "Information juridique"
    VICTIM_SUPPORT = "victim_support", "Aide aux victimes"
    SHELTER = "shelter", "Hébergement ou mise à l'abri"
    HEALTH = "health", "Santé"
    PSYCHOLOGIST = "psychologist", "Soutien psychologique"
    CAF_EMERGENCY_AID = "caf_emergency_aid", "Aide d'urgence de la CAF"
    LAWYER = "lawyer", "Avocat ou juge aux affaires familiales"


class ReferralNotificationKind(models.TextChoices):
    """Alerts about referrals (registered with the notifications app in apps.py)."""

    REFERRAL_RECEIVED = "referral_received", "Orientation proposée à votre organisation"
    REFERRAL_ANSWERED = "referral_answered", "Réponse à une orientation"
    REFERRAL_UNANSWERED = "referral_unanswered", "Orientation restée sans réponse"
