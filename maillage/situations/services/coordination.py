"""The coordinator's decisions on a situation: organisations following it, its referent, restriction,
exclusions (conflicts of interest), closing and reopening."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.accounts.models import User
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership, Organisation
from maillage.situations import alerts
from maillage.situations.enums import ClosureReason, LegalGround, ParticipationReason
from maillage.situations.models import Exclusion, NamedAccess, Participation, Situation
from maillage.situations.services.checks import (
    require_manager,
    require_open,
    require_sharing_ground,
    require_territory_member,
    require_territory_organisation,
)
from maillage.situations.services.lifecycle import (
    follow_if_new,
    locked,
    save_versioned,
    snapshot,
    transition,
)


@transaction.atomic
def participant_add(
    *,
    actor: Actor,
    situation: Situation,
    organisation: Organisation,
    legal_ground: str = LegalGround.CONSENT,
) -> Participation:
    """Adds an organisation to the follow-up: needs the victim's recorded consent naming it, or the
    immediate-danger ground (recorded and audited)."""
    require_manager(actor, situation)
    current = locked(situation)
    require_open(current)
    require_territory_organisation(actor, organisation)
    if current.participations.filter(organisation=organisation).exists():
        raise DomainError(f"{organisation.name} suit déjà cette situation.")
    require_sharing_ground(current, organisation, legal_ground)
    participation = Participation.objects.create(
        situation=current,
        organisation=organisation,
        reason=ParticipationReason.ADDED,
        legal_ground=legal_ground,
        added_by=actor.membership,
    )
    before = snapshot(current, "status")
    follow_if_new(current)
    save_versioned(
        actor=actor,
        situation=current,
        before=before,
        action=AuditAction.PARTICIPANT_ADDED,
        extra={"organisation": organisation.name, "legal_ground": legal_ground},
    )
    return participation


@transaction.atomic
def participant_remove(*, actor: Actor, situation: Situation, organisation: Organisation) -> None:
    require_manager(actor, situation)
    deleted, _ = Participation.objects.filter(situation=situation, organisation=organisation).delete()
    if not deleted:
        raise DomainError(f"{organisation.name} ne suit pas cette situation.")
    audit.record(
        actor=actor,
        action=AuditAction.PARTICIPANT_REMOVED,
        obj=situation,
        changes={"organisation": organisation.name},
    )


@transaction.atomic
def referent_assign(*, actor: Actor, situation: Situation, membership: Membership | None) -> Situation:
    """Names the referent who follows the situation (None to remove); they are alerted."""
    require_manager(actor, situation)
    current = locked(situation)
    require_open(current)
    if membership is not None:
        is_referent = (
            Membership.objects.active()
            .filter(pk=membership.pk, territory_id=current.territory_id, role_set__role=Role.REFERENT)
            .exists()
        )
        if not is_referent:
            raise DomainError("Choisissez une personne référente communale active de votre territoire.")
        if Exclusion.objects.filter(situation=current, user_id=membership.user_id).exists():
            raise DomainError("Cette personne est écartée de la situation (conflit d'intérêts).")
    before = snapshot(current, "referent", "status")
    current.referent = membership
    if membership is not None:
        follow_if_new(current)
    save_versioned(
        actor=actor, situation=current, before=before, action=AuditAction.SITUATION_REFERENT_ASSIGNED
    )
    if membership is not None and before["referent"] != membership:
        alerts.referent_assigned(actor=actor, situation=current, membership=membership)
    return current


@transaction.atomic
def situation_restrict(
    *, actor: Actor, situation: Situation, named_users: Iterable[User], reason: str
) -> Situation:
    """Only the coordinator and the named users will see the situation (break-the-glass never opens it)."""
    require_manager(actor, situation)
    reason = reason.strip()
    if not reason:
        raise DomainError("Indiquez le motif de la restriction.")
    named_users = list(dict.fromkeys(named_users))
    for user in named_users:
        require_territory_member(actor, user)
    current = locked(situation)
    before = snapshot(current, "restricted", "restriction_reason")
    current.restricted, current.restriction_reason = True, reason
    NamedAccess.objects.filter(situation=current).exclude(user__in=named_users).delete()
    already = set(NamedAccess.objects.filter(situation=current).values_list("user_id", flat=True))
    NamedAccess.objects.bulk_create(
        [
            NamedAccess(situation=current, user=user, granted_by=actor.membership)
            for user in named_users
            if user.pk not in already
        ]
    )
    return save_versioned(
        actor=actor,
        situation=current,
        before=before,
        action=AuditAction.SITUATION_RESTRICTED,
        extra={"named_users": sorted(u.email for u in named_users)},
    )


@transaction.atomic
def situation_unrestrict(*, actor: Actor, situation: Situation) -> Situation:
    require_manager(actor, situation)
    current = locked(situation)
    if not current.restricted:
        raise DomainError("Cette situation n'est pas restreinte.")
    before = snapshot(current, "restricted", "restriction_reason")
    current.restricted, current.restriction_reason = False, ""
    NamedAccess.objects.filter(situation=current).delete()
    return save_versioned(
        actor=actor, situation=current, before=before, action=AuditAction.SITUATION_UNRESTRICTED
    )


@transaction.atomic
def exclusion_add(*, actor: Actor, situation: Situation, user: User, reason: str) -> Exclusion:
    """A user who must never see this situation (conflict of interest), whatever else would allow it."""
    require_manager(actor, situation)
    reason = reason.strip()
    if not reason:
        raise DomainError("Indiquez le motif de la mise à l'écart.")
    require_territory_member(actor, user)
    if Exclusion.objects.filter(situation=situation, user=user).exists():
        raise DomainError(f"{user} fait déjà l'objet d'une mise à l'écart sur cette situation.")
    exclusion = Exclusion.objects.create(
        situation=situation, user=user, reason=reason, excluded_by=actor.membership
    )
    audit.record(actor=actor, action=AuditAction.EXCLUSION_ADDED, obj=situation, changes={"user": user.email})
    return exclusion


@transaction.atomic
def exclusion_remove(*, actor: Actor, situation: Situation, user: User) -> None:
    require_manager(actor, situation)
    deleted, _ = Exclusion.objects.filter(situation=situation, user=user).delete()
    if not deleted:
        raise DomainError(f"{user} ne fait pas l'objet d'une mise à l'écart sur cette situation.")
    audit.record(
        actor=actor, action=AuditAction.EXCLUSION_REMOVED, obj=situation, changes={"user": user.email}
    )


@transaction.atomic
def situation_close(*, actor: Actor, situation: Situation, reason: str) -> Situation:
    require_manager(actor, situation)
    if reason not in ClosureReason.values:
        raise DomainError("Choisissez un motif de clôture dans la liste.")
    current = locked(situation)
    before = snapshot(current, "status", "closure_reason")
    transition(current, "close")
    current.closure_reason, current.closed_at = reason, timezone.now()
    return save_versioned(actor=actor, situation=current, before=before, action=AuditAction.SITUATION_CLOSED)


@transaction.atomic
def situation_reopen(*, actor: Actor, situation: Situation) -> Situation:
    require_manager(actor, situation)
    current = locked(situation)
    before = snapshot(current, "status", "closure_reason")
    transition(current, "reopen")
    current.closure_reason, current.closed_at = "", None
    return save_versioned(
        actor=actor, situation=current, before=before, action=AuditAction.SITUATION_REOPENED
    )
