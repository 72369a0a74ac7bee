"""Break-the-glass: a time-boxed access to one situation asked in an emergency, then reviewed by the
coordination or the DPO."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.situations import alerts, policies
from maillage.situations.enums import EmergencyAccessReview
from maillage.situations.models import EmergencyAccess, Exclusion, Situation

REASON_MIN_LENGTH = 15
EMERGENCY_REFUSED = (
    "Aucun accès d'urgence n'est possible pour ce pseudonyme. Vérifiez-le ; en cas de doute, "
    "appelez la coordination (en cas de danger immédiat : 17 ou 112)."
)


@transaction.atomic
def emergency_access_request(*, actor: Actor, pseudonym: str, reason: str) -> EmergencyAccess:
    """Time-boxed access to one situation of the territory, known by its pseudonym.

    The situation is looked up by pseudonym in the actor's territory — not through `visible_to`, which is
    what the actor lacks. Restricted situations and exclusions refuse it with the same message as an
    unknown pseudonym. Audited; the coordinator(s) and DPO(s) are alerted; reviewed afterwards."""
    if not policies.can_break_glass(actor):
        raise PermissionDeniedError
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise DomainError("Expliquez en une phrase pourquoi cet accès est urgent.")
    situation = (
        Situation.objects.filter(territory_id=actor.territory.pk, pseudonym=pseudonym.strip().upper())
        .select_for_update()
        .first()
    )
    if (
        situation is None
        or situation.restricted
        or Exclusion.objects.filter(situation=situation, user_id=actor.user.pk).exists()
    ):
        raise DomainError(EMERGENCY_REFUSED)
    if policies.can_open(actor, situation):
        raise DomainError(f"Vous avez déjà accès à la situation {situation.pseudonym}.")
    minutes = settings.MAILLAGE_EMERGENCY_ACCESS_MINUTES
    access = EmergencyAccess.objects.create(
        situation=situation,
        user=actor.user,
        membership=actor.membership,
        reason=reason,
        expires_at=timezone.now() + timedelta(minutes=minutes),
    )
    audit.record(
        actor=actor,
        action=AuditAction.EMERGENCY_ACCESS_GRANTED,
        obj=situation,
        changes={"access": str(access.public_id), "minutes": minutes, "expires_at": access.expires_at},
    )
    alerts.emergency_access_granted(actor=actor, access=access)
    return access


@transaction.atomic
def emergency_access_review(
    *, actor: Actor, access: EmergencyAccess, justified: bool, comment: str = ""
) -> EmergencyAccess:
    """The coordinator or the DPO marks an emergency access justified or not; unjustified ends it now."""
    reachable = policies.emergency_accesses_reviewable_by(actor).filter(pk=access.pk).exists()
    if not (reachable and policies.can_review_emergency(actor, access)):
        raise PermissionDeniedError
    current = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
    if current.review != EmergencyAccessReview.PENDING:
        raise DomainError("Cet accès d'urgence a déjà été examiné.")
    comment = comment.strip()
    if not justified and not comment:
        raise DomainError("Expliquez pourquoi cet accès n'était pas justifié.")
    now = timezone.now()
    current.review = EmergencyAccessReview.JUSTIFIED if justified else EmergencyAccessReview.UNJUSTIFIED
    current.reviewed_by, current.reviewed_at, current.review_comment = actor.membership, now, comment
    if not justified and current.expires_at > now:
        current.expires_at = now
    current.save()
    alerts.emergency_access_reviewed(access=current)
    audit.record(
        actor=actor,
        action=AuditAction.EMERGENCY_ACCESS_REVIEWED,
        obj=current.situation,
        changes={"access": str(current.public_id), "review": current.review},
    )
    return current
