"""Writes on the partner network: organisations, memberships and their roles, commune referents."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage import audit
from maillage.accounts.services import send_invitation, user_get_or_create
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network import policies, role_changes
from maillage.network.actor import Actor
from maillage.network.enums import TERRITORY_WIDE_ROLES, ReferentKind, Role, RoleChangeAction
from maillage.network.models import CommuneReferent, Membership, MembershipRole, Organisation
from maillage.network.tokens import api_tokens_revoke_all
from maillage.territories.models import Commune, Territory

CONTACT_FIELDS = ("phone", "email", "address", "website", "opening_hours")


@transaction.atomic
def organisation_create(
    *, actor: Actor, name: str, kind: str, territories: Iterable[Territory], **contact: str
) -> Organisation:
    if not actor.is_platform_admin:
        raise PermissionDeniedError
    if Organisation.objects.filter(name__iexact=name.strip()).exists():
        raise DomainError("Une organisation porte déjà ce nom.")
    try:
        with transaction.atomic():  # two identical submissions at the same instant: one wins, one is told
            organisation = Organisation.objects.create(
                name=name.strip(), kind=kind, **{k: v for k, v in contact.items() if k in CONTACT_FIELDS}
            )
    except IntegrityError:
        raise DomainError("Une organisation porte déjà ce nom.") from None
    territories = list(territories)
    organisation.territories.set(territories)
    audit.record(
        actor=actor,
        action=AuditAction.ORGANISATION_CREATED,
        obj=organisation,
        changes={
            "name": organisation.name,
            "kind": organisation.kind,
            "territories": sorted(t.name for t in territories),
        },
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: Actor,
    organisation: Organisation,
    read_at,
    territories: Iterable[Territory] | None = None,
    name: str | None = None,
    kind: str | None = None,
    is_active: bool | None = None,
    **contact: str,
) -> Organisation:
    """Public contact may be kept by the coordinator and the organisation's admin; name, kind, territories
    and activation by the platform admin. `read_at` (the `updated_at` the form was read at)
    refuses a stale save."""
    if not policies.can_edit_organisation_contact(actor, organisation):
        raise PermissionDeniedError
    structural = (territories, name, kind, is_active)
    if any(v is not None for v in structural) and not actor.is_platform_admin:
        raise PermissionDeniedError
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if read_at is not None and current.updated_at != read_at:
        raise ConflictError(
            "Cette fiche a été modifiée par quelqu'un d'autre pendant que vous la modifiiez. "
            "Vos changements n'ont pas été enregistrés : rechargez la page pour voir la version actuelle."
        )
    audited_fields = (*CONTACT_FIELDS, "name", "kind", "is_active")
    before = {field: getattr(current, field) for field in audited_fields}
    for key, value in contact.items():
        if key in CONTACT_FIELDS:
            setattr(current, key, value)
    if name is not None:
        if Organisation.objects.filter(name__iexact=name.strip()).exclude(pk=current.pk).exists():
            raise DomainError("Une organisation porte déjà ce nom.")
        current.name = name.strip()
    if kind is not None:
        current.kind = kind
    if is_active is not None:
        current.is_active = is_active
    current.save()
    if before["is_active"] != current.is_active:
        # Every active membership of the organisation loses (or regains) its access, under the same rules
        # as one membership deactivated (or reactivated).
        for membership in current.memberships.filter(is_active=True).select_related("user"):
            role_changes.access_changed(actor, membership, active=current.is_active)
    if before["is_active"] and not current.is_active:
        api_tokens_revoke_all(
            actor=actor, memberships=current.memberships.all(), reason="organisation_deactivated"
        )
    changes = {
        field: [before[field], getattr(current, field)]
        for field in audited_fields
        if before[field] != getattr(current, field)
    }
    if territories is not None:
        territories = list(territories)
        names_before = sorted(current.territories.values_list("name", flat=True))
        current.territories.set(territories)
        names_after = sorted(t.name for t in territories)
        if names_before != names_after:
            changes["territories"] = [names_before, names_after]
    if changes:
        audit.record(actor=actor, action=AuditAction.ORGANISATION_UPDATED, obj=current, changes=changes)
    return current


def _check_wanted(
    actor: Actor, membership: Membership | None, roles: Iterable[str], *, allow_none: bool = False
) -> set[str]:
    roles = set(roles)
    allowed = set(policies.grantable_roles(actor, membership))
    refused = roles - allowed
    if refused:
        labels = ", ".join(sorted(Role(r).label for r in refused if r in Role.values)) or ", ".join(
            sorted(refused)
        )
        raise PermissionDeniedError(f"Vous ne pouvez pas attribuer ce rôle : {labels}.")
    if not roles and not allow_none:
        raise DomainError("Choisissez au moins un rôle.")
    return roles


def _apply_roles(actor: Actor, membership: Membership, wanted: set[str]) -> dict:
    """Brings the roles this actor manages on `membership` to `wanted`, role by role, under
    policies.role_change_decision: granted now, requested from the coordinator, or refused (nothing saved).
    Roles the actor does not manage (referent, territory-wide roles held) are left as they are.
    Returns what happened, for the audit entry and the confirmation message."""
    held = set(membership.role_set.values_list("role", flat=True))
    pending = role_changes.pending_roles(membership)
    manageable = set(policies.grantable_roles(actor, membership))
    to_grant = sorted(wanted - held - pending)
    to_remove = sorted((held & manageable) - wanted)
    decisions = {r: policies.role_change_decision(actor, membership, r, grant=True) for r in to_grant}
    decisions |= {r: policies.role_change_decision(actor, membership, r, grant=False) for r in to_remove}
    refused = [r for r, decision in decisions.items() if decision == policies.Decision.REFUSED]
    if refused:
        raise PermissionDeniedError(
            f"Vous ne pouvez pas modifier ce rôle : {role_changes.role_labels(refused)}."
        )
    granted = [r for r in to_grant if decisions[r] == policies.Decision.ALLOWED]
    requested = [r for r in to_grant if decisions[r] == policies.Decision.PENDING]
    MembershipRole.objects.filter(membership=membership, role__in=to_remove).delete()
    MembershipRole.objects.bulk_create([MembershipRole(membership=membership, role=r) for r in granted])
    for role in granted:
        role_changes.record_effective(actor, membership, role, RoleChangeAction.GRANT)
    for role in to_remove:
        role_changes.record_effective(actor, membership, role, RoleChangeAction.REMOVAL)
    for role in requested:
        role_changes.request_grant(actor, membership, role)
    cancelled = role_changes.cancel_pending(actor, membership, pending - wanted) if pending - wanted else []
    return {
        "roles": [sorted(held), sorted((held - set(to_remove)) | set(granted))],
        "requested": requested,
        "cancelled": sorted(cancelled),
    }


@transaction.atomic
def member_invite(
    *,
    actor: Actor,
    organisation: Organisation,
    territory: Territory,
    email: str,
    first_name: str,
    last_name: str,
    roles: Iterable[str],
    job_title: str = "",
    work_phone: str = "",
    notify: bool = True,
) -> Membership:
    """Adds a person to an organisation in a territory, creating the account if needed, and e-mails them.
    Roles that open nominative data wait for the coordinator's approval (see `_apply_roles`).

    `roles` may be empty: a future referent (an elected official, a town-hall agent) holds no role until the
    coordinator appoints them to communes (`referent_appoint`); such a membership opens nothing nominative.
    The forms still ask for a role: inviting without one is for callers that say so (the demo)."""
    if not (actor.is_platform_admin or policies.can_manage_members_of(actor, organisation)):
        raise PermissionDeniedError
    if not actor.is_platform_admin and territory.pk != actor.territory.pk:
        raise PermissionDeniedError
    if not organisation.territories.filter(pk=territory.pk).exists():
        raise DomainError("Cette organisation ne fait pas partie de ce territoire.")
    roles = _check_wanted(actor, None, roles, allow_none=True)
    user, account_created = user_get_or_create(email=email, first_name=first_name, last_name=last_name)
    if user.is_platform_admin:
        raise DomainError("Un compte d'administration technique ne peut pas être membre d'une organisation.")
    if user.pk == actor.user.pk:
        raise PermissionDeniedError("Vous ne pouvez pas vous ajouter vous-même à une organisation.")
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        territory=territory,
        defaults={"job_title": job_title.strip(), "work_phone": work_phone.strip()},
    )
    if not created:
        if membership.is_active:
            raise DomainError("Cette personne est déjà membre de l'organisation sur ce territoire.")
        # A former member comes back: the roles asked now, under the same rules as a newcomer; a referent
        # appointment still in force is asked again from the coordinator.
        held = set(membership.role_set.values_list("role", flat=True))
        MembershipRole.objects.filter(membership=membership).delete()
        if Role.REFERENT in held:
            role_changes.request_grant(actor, membership, Role.REFERENT)
        membership.is_active = True
        membership.deactivated_at = None
        membership.job_title = job_title.strip() or membership.job_title
        membership.work_phone = work_phone.strip() or membership.work_phone
        membership.save()
        role_changes.bump_version(membership)
    outcome = _apply_roles(actor, membership, roles)
    audit.record(
        actor=actor,
        action=AuditAction.MEMBERSHIP_INVITED,
        obj=membership,
        changes={
            "member": user.email,
            "organisation": organisation.name,
            "roles": outcome["roles"][1],
            "requested": outcome["requested"],
            "account_created": account_created,
            "reactivated": not created,
        },
    )
    if notify:
        transaction.on_commit(lambda: send_invitation(user=user))
    membership.requested_roles = outcome["requested"]
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: Actor,
    membership: Membership,
    version: int,
    roles: Iterable[str] | None,
    job_title: str,
    work_phone: str,
) -> Membership:
    """Changes roles and work details. `version` is the one the form was read at: a stale save is refused.
    `roles=None` leaves the roles alone (one's own membership: work details only)."""
    if not policies.can_manage_membership(actor, membership):
        raise PermissionDeniedError
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if locked.version != version:
        raise ConflictError(
            "Ce membre a été modifié par quelqu'un d'autre pendant que vous le modifiiez. "
            "Vos changements n'ont pas été enregistrés : vérifiez la version actuelle puis recommencez."
        )
    changes = {}
    outcome = {"requested": [], "cancelled": []}
    if roles is not None:
        if policies.is_own(actor, locked):
            raise PermissionDeniedError("Vous ne pouvez pas modifier vos propres rôles.")
        outcome = _apply_roles(actor, locked, _check_wanted(actor, locked, roles))
        if outcome["roles"][0] != outcome["roles"][1]:
            changes["roles"] = outcome["roles"]
        for key in ("requested", "cancelled"):
            if outcome[key]:
                changes[key] = outcome[key]
    for field, value in (("job_title", job_title.strip()), ("work_phone", work_phone.strip())):
        if getattr(locked, field) != value:
            changes[field] = [getattr(locked, field), value]
            setattr(locked, field, value)
    locked.save(update_fields=["job_title", "work_phone"])
    role_changes.bump_version(locked)
    if changes:
        audit.record(
            actor=actor,
            action=AuditAction.MEMBERSHIP_ROLES_CHANGED
            if {"roles", "requested", "cancelled"} & set(changes)
            else AuditAction.MEMBERSHIP_UPDATED,
            obj=locked,
            changes={"member": locked.user.email, **changes},
        )
    locked.requested_roles = outcome["requested"]
    return locked


@transaction.atomic
def membership_set_active(*, actor: Actor, membership: Membership, active: bool) -> Membership:
    """Deactivation takes effect on the member's very next request (see ActorMiddleware). A reactivation
    brings back the roles that open nominative data only as requests to the coordinator."""
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    held = set(locked.role_set.values_list("role", flat=True))
    if policies.is_own(actor, locked) and policies.can_manage_membership(actor, locked):
        raise DomainError("Vous ne pouvez pas désactiver votre propre accès.")
    if active and locked.user.is_platform_admin:
        raise DomainError("Un compte d'administration technique ne peut pas être membre d'une organisation.")
    if policies.activation_decision(actor, locked, held) == policies.Decision.REFUSED:
        if held & TERRITORY_WIDE_ROLES and policies.can_manage_membership(actor, locked):
            raise PermissionDeniedError(
                "La coordination et la protection des données relèvent de l'administration technique : "
                "adressez-vous à elle pour cet accès."
            )
        raise PermissionDeniedError
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.deactivated_at = None if active else timezone.now()
    locked.save(update_fields=["is_active", "deactivated_at"])
    changes = {"member": locked.user.email}
    if active:
        requested = role_changes.access_restored(actor, locked, held)
        if requested:
            changes["requested"] = requested
    else:
        cancelled = role_changes.access_suspended(actor, locked, held)
        if cancelled:
            changes["cancelled"] = cancelled
    role_changes.bump_version(locked)
    api_tokens_revoke_all(actor=actor, memberships=[locked], reason="membership_deactivated")
    audit.record(
        actor=actor,
        action=AuditAction.MEMBERSHIP_ACTIVATED if active else AuditAction.MEMBERSHIP_DEACTIVATED,
        obj=locked,
        changes=changes,
    )
    locked.requested_roles = changes.get("requested", [])
    return locked


@transaction.atomic
def referent_appoint(*, actor: Actor, membership: Membership, commune: Commune, kind: str) -> CommuneReferent:
    """Names a member referent of a commune; the membership gains the `referent` role."""
    if not policies.can_manage_referents(actor):
        raise PermissionDeniedError
    if commune.territory_id != actor.territory.pk or membership.territory_id != actor.territory.pk:
        raise PermissionDeniedError
    if policies.is_own(actor, membership):
        raise PermissionDeniedError("Vous ne pouvez pas vous nommer vous-même personne référente.")
    if not membership.is_active:
        raise DomainError("Ce membre n'est plus actif.")
    if kind not in ReferentKind.values:
        raise DomainError(
            "Choisissez la qualité de la personne référente "
            "(membre du conseil municipal ou agent de la commune)."
        )
    if CommuneReferent.objects.filter(commune=commune, membership=membership).exists():
        raise DomainError(f"Cette personne est déjà référente pour {commune.name}.")
    referent = CommuneReferent.objects.create(
        commune=commune, membership=membership, kind=kind, appointed_by=actor.user
    )
    _role, gained = MembershipRole.objects.get_or_create(membership=membership, role=Role.REFERENT)
    # Appointed by the coordinator: a pending request for the role (after a reactivation) is answered.
    role_changes.cancel_pending(actor, membership, [Role.REFERENT])
    if gained:
        role_changes.record_effective(actor, membership, Role.REFERENT, RoleChangeAction.GRANT)
    role_changes.bump_version(membership)
    audit.record(
        actor=actor,
        action=AuditAction.REFERENT_APPOINTED,
        obj=referent,
        changes={
            "commune": commune.name,
            "kind": kind,
            "membership": membership.public_id,
            "member": membership.user.email,
        },
    )
    return referent


@transaction.atomic
def referent_revoke(*, actor: Actor, referent: CommuneReferent) -> None:
    """Ends an appointment; the `referent` role goes with the member's last commune."""
    if not policies.can_manage_referents(actor) or referent.commune.territory_id != actor.territory.pk:
        raise PermissionDeniedError
    membership = referent.membership
    audit.record(
        actor=actor,
        action=AuditAction.REFERENT_REVOKED,
        obj=referent,
        changes={"commune": referent.commune.name, "kind": referent.kind, "membership": membership.public_id},
    )
    referent.delete()
    if not membership.referent_of.exists():
        MembershipRole.objects.filter(membership=membership, role=Role.REFERENT).delete()
        role_changes.cancel_pending(actor, membership, [Role.REFERENT])
    role_changes.bump_version(membership)
