"""Writes on referrals. Each is keyword-only with the actor first, runs in one transaction, checks the
permission itself (policies.py) and records its audit entry on the situation (its history is one query).

The lifecycle is one state machine (`TRANSITIONS`): proposed → accepted or declined (with a reason) → done;
proposed or accepted → cancelled by the sender; an accepted referral may still be declined by the receiver
(it gives the situation back, with a reason). Every transition locks the situation then the referral
(`select_for_update`, always in that order) and checks the version the person answered from: of two partners
answering at once, one wins and the other is told, nothing overwritten.

Access follows the referral: accepting creates the receiving organisation's `Participation` (reason
`referral`), or joins the one another accepted referral already holds; declining or cancelling deletes it at
once unless another accepted referral still holds it. A participation on another ground (reporter, added by
the coordination) is never touched: the organisation keeps following the situation on that ground.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.models import Organisation
from maillage.notifications.services import notifications_settle, notify
from maillage.referrals import policies
from maillage.referrals.enums import (
    GRANTING,
    ReferralNeed,
    ReferralNotificationKind,
    ReferralStatus,
)
from maillage.referrals.models import Referral
from maillage.situations.enums import LegalGround, ParticipationReason, SituationStatus
from maillage.situations.models import Participation, Situation
from maillage.situations.services.checks import (
    require_open,
    require_sharing_ground,
    require_territory_organisation,
)
from maillage.situations.services.lifecycle import follow_if_new, locked, save_versioned, snapshot

# Every allowed move (name → from which states, to which state), in one place.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": ((ReferralStatus.PROPOSED,), ReferralStatus.ACCEPTED),
    "decline": ((ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED), ReferralStatus.DECLINED),
    "done": ((ReferralStatus.ACCEPTED,), ReferralStatus.DONE),
    "cancel": ((ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED), ReferralStatus.CANCELLED),
}
TRANSITION_LABELS = {
    "accept": "être acceptée",
    "decline": "être refusée",
    "done": "être marquée comme réalisée",
    "cancel": "être annulée",
}
AUDIT_ACTIONS = {
    "accept": AuditAction.REFERRAL_ACCEPTED,
    "decline": AuditAction.REFERRAL_DECLINED,
    "done": AuditAction.REFERRAL_DONE,
    "cancel": AuditAction.REFERRAL_CANCELLED,
}


def unanswered_after() -> datetime.timedelta:
    return datetime.timedelta(days=settings.MAILLAGE_REFERRAL_UNANSWERED_DAYS)


def allowed(referral: Referral, name: str) -> bool:
    return referral.status in TRANSITIONS[name][0]


@transaction.atomic
def referral_propose(
    *,
    actor: Actor,
    situation: Situation,
    receiver: Organisation,
    needs: Iterable[str],
    reason: str,
    legal_ground: str = LegalGround.CONSENT,
) -> Referral:
    """Refers the situation to another organisation of the directory, on the victim's recorded consent
    naming it or the immediate-danger ground (recorded and audited). Its professionals are told, without
    any personal data, and see a summary until they accept."""
    if not policies.can_refer(actor, situation):
        raise PermissionDeniedError(
            "Seules la coordination et les organisations qui suivent la situation peuvent l'orienter."
        )
    current = locked(situation)
    require_open(current)
    require_territory_organisation(actor, receiver)
    if receiver.pk == actor.membership.organisation_id:
        raise DomainError("Choisissez une autre organisation que la vôtre.")
    needs = sorted(set(needs))
    if not needs or any(need not in ReferralNeed.values for need in needs):
        raise DomainError("Cochez au moins un besoin dans la liste.")
    reason = reason.strip()
    if not reason:
        raise DomainError("Indiquez le motif de l'orientation.")
    if Referral.objects.filter(situation=current, receiver=receiver, status=ReferralStatus.PROPOSED).exists():
        raise DomainError(f"Une orientation vers {receiver.name} attend déjà sa réponse.")
    require_sharing_ground(current, receiver, legal_ground)
    referral = Referral.objects.create(
        situation=current,
        sender_id=actor.membership.organisation_id,
        sent_by=actor.membership,
        receiver=receiver,
        needs=needs,
        reason=reason,
        legal_ground=legal_ground,
        created_at=timezone.now(),
    )
    _record(actor, referral, AuditAction.REFERRAL_PROPOSED, needs=needs, legal_ground=legal_ground)
    notify(
        actor=actor,
        recipients=policies.memberships_receiving(referral),
        kind=ReferralNotificationKind.REFERRAL_RECEIVED,
        target=referral,
    )
    return referral


@transaction.atomic
def referral_accept(*, actor: Actor, referral: Referral, version: int | None = None) -> Referral:
    """The receiving organisation takes the situation on: it follows it from now on, the referral as its
    ground (shared with another accepted referral to it; none needed if it already followed it)."""
    current, situation = _lock(actor, referral, "accept", version, receiver=True)
    require_open(situation)
    participation = Participation.objects.filter(
        situation=situation, organisation_id=current.receiver_id
    ).first()
    if participation is None:
        participation = Participation.objects.create(
            situation=situation,
            organisation_id=current.receiver_id,
            reason=ParticipationReason.REFERRAL,
            legal_ground=current.legal_ground,
            added_by=actor.membership,
        )
    current.participation = participation if participation.reason == ParticipationReason.REFERRAL else None
    current.answered_by, current.answered_at = actor.membership, timezone.now()
    _move(actor, current, "accept")
    before = snapshot(situation, "status")
    follow_if_new(situation)
    save_versioned(
        actor=actor,
        situation=situation,
        before=before,
        action=AuditAction.REFERRAL_ACCEPTED,
        extra=_facts(current),
    )
    _answered(actor, current)
    return current


@transaction.atomic
def referral_decline(
    *, actor: Actor, referral: Referral, reason: str, version: int | None = None
) -> Referral:
    """The receiving organisation declines (or gives back) the referral, with a reason: its access through
    this referral ends at once."""
    reason = reason.strip()
    if not reason:
        raise DomainError("Indiquez le motif du refus.")
    current, situation = _lock(actor, referral, "decline", version, receiver=True)
    if current.status == ReferralStatus.PROPOSED:
        current.answered_by, current.answered_at = actor.membership, timezone.now()
    current.decline_reason, current.closed_at = reason, timezone.now()
    _move(actor, current, "decline", record=True)
    _release(current)
    _answered(actor, current)
    return current


@transaction.atomic
def referral_done(*, actor: Actor, referral: Referral, version: int | None = None) -> Referral:
    """The receiving organisation did what was asked; it keeps following the situation."""
    current, _situation = _lock(actor, referral, "done", version, receiver=True)
    current.closed_at = timezone.now()
    _move(actor, current, "done", record=True)
    return current


@transaction.atomic
def referral_cancel(*, actor: Actor, referral: Referral, version: int | None = None) -> Referral:
    """The sender (or the coordination) withdraws the referral: the receiving organisation's access through
    it ends at once."""
    current, _situation = _lock(actor, referral, "cancel", version, receiver=False)
    current.closed_at = timezone.now()
    _move(actor, current, "cancel", record=True)
    _release(current)
    notifications_settle(target=current, kind=ReferralNotificationKind.REFERRAL_RECEIVED)
    return current


def referrals_flag_unanswered(*, now: datetime.datetime | None = None) -> int:
    """Flags the referrals still proposed `MAILLAGE_REFERRAL_UNANSWERED_DAYS` after they were sent and tells
    their sender, once: a referral already flagged is skipped, so running it twice (or two workers at once)
    flags and notifies once. Returns how many were flagged by this run."""
    now = now or timezone.now()
    due = (
        Referral.objects.filter(
            status=ReferralStatus.PROPOSED, flagged_at__isnull=True, created_at__lte=now - unanswered_after()
        )
        .exclude(situation__status=SituationStatus.CLOSED)  # nobody waits on a closed situation
        .values_list("pk", flat=True)
    )
    flagged = 0
    for pk in list(due):
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(skip_locked=True)
                .select_related("situation")
                .filter(pk=pk, status=ReferralStatus.PROPOSED, flagged_at__isnull=True)
                .first()
            )
            if referral is None:
                continue
            referral.flagged_at = now
            referral.save(update_fields=["flagged_at"])
            _record(audit.console_actor(), referral, AuditAction.REFERRAL_FLAGGED)
            notify(
                actor=None,
                recipients=policies.memberships_sending(referral),
                kind=ReferralNotificationKind.REFERRAL_UNANSWERED,
                target=referral,
            )
            flagged += 1
    return flagged


# ------------------------------------------------------------------------------------------ internals


def _lock(actor: Actor, referral: Referral, name: str, version: int | None, *, receiver: bool):
    """Locks the situation, then the referral; checks who acts, the transition, then the version."""
    situation = locked(referral.situation)
    current = Referral.objects.select_for_update().select_related("receiver", "sender").get(pk=referral.pk)
    current.situation = situation
    if receiver and not policies.can_answer(actor, current):
        raise PermissionDeniedError("Seule l'organisation qui reçoit l'orientation peut y répondre.")
    if not receiver and not policies.can_cancel(actor, current):
        raise PermissionDeniedError(
            "Seules l'organisation qui a orienté la situation et la coordination peuvent "
            "annuler l'orientation."
        )
    if not allowed(current, name):
        raise DomainError(
            f"Cette orientation est « {current.get_status_display().lower()} » : elle ne peut plus "
            f"{TRANSITION_LABELS[name]}. Rien n'a été modifié."
        )
    if version is not None and version != current.version:
        raise ConflictError(
            "Quelqu'un a agi sur cette orientation pendant que vous la lisiez : rien n'a été modifié. "
            "Voici son état à jour."
        )
    return current, situation


def _move(actor: Actor, referral: Referral, name: str, *, record: bool = False) -> None:
    referral.status = TRANSITIONS[name][1]
    referral.version += 1
    referral.save()
    if record:
        _record(actor, referral, AUDIT_ACTIONS[name])


def _release(referral: Referral) -> None:
    """Deletes the participation this referral held, unless another accepted referral still holds it."""
    participation_id = referral.participation_id
    if participation_id is None:
        return
    still_held = (
        Referral.objects.filter(participation_id=participation_id, status__in=GRANTING)
        .exclude(pk=referral.pk)
        .exists()
    )
    referral.participation = None
    referral.save(update_fields=["participation"])
    if not still_held:
        Participation.objects.filter(pk=participation_id, reason=ParticipationReason.REFERRAL).delete()


def _facts(referral: Referral, **more) -> dict:
    return {
        "referral": str(referral.public_id),
        "sender": referral.sender.name,
        "receiver": referral.receiver.name,
        "status": referral.status,
        **more,
    }


def _record(actor, referral: Referral, action: str, **more) -> None:
    audit.record(actor=actor, action=action, obj=referral.situation, changes=_facts(referral, **more))


def _answered(actor: Actor, referral: Referral) -> None:
    notifications_settle(target=referral, kind=ReferralNotificationKind.REFERRAL_RECEIVED)
    notify(
        actor=actor,
        recipients=policies.memberships_sending(referral),
        kind=ReferralNotificationKind.REFERRAL_ANSWERED,
        target=referral,
    )
