"""Writes on the partner network: organisations, memberships and their roles, commune referents."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from maillage import audit
from maillage.accounts.actor import Actor
from maillage.accounts.services import api_tokens_revoke_all, send_invitation, user_get_or_create
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network import policies
from maillage.network.enums import ReferentKind, Role
from maillage.network.models import CommuneReferent, Membership, MembershipRole, Organisation
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


def _check_roles(actor: Actor, roles: Iterable[str]) -> set[str]:
    roles = set(roles)
    allowed = set(policies.grantable_roles(actor))
    refused = roles - allowed
    if refused:
        labels = ", ".join(sorted(Role(r).label for r in refused if r in Role.values)) or ", ".join(
            sorted(refused)
        )
        raise PermissionDeniedError(f"Vous ne pouvez pas attribuer ce rôle : {labels}.")
    if not roles:
        raise DomainError("Choisissez au moins un rôle.")
    return roles


def _set_roles(membership: Membership, roles: set[str]) -> None:
    current = set(membership.role_set.values_list("role", flat=True))
    MembershipRole.objects.filter(membership=membership, role__in=current - roles).delete()
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=membership, role=r) for r in roles - current]
    )


def _bump_version(membership: Membership) -> None:
    Membership.objects.filter(pk=membership.pk).update(version=F("version") + 1)
    membership.refresh_from_db(fields=["version", "is_active", "deactivated_at"])


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
    """Adds a person to an organisation in a territory, creating the account if needed, and e-mails them."""
    if not (actor.is_platform_admin or policies.can_manage_members_of(actor, organisation)):
        raise PermissionDeniedError
    if not actor.is_platform_admin and territory.pk != actor.territory.pk:
        raise PermissionDeniedError
    if not organisation.territories.filter(pk=territory.pk).exists():
        raise DomainError("Cette organisation ne fait pas partie de ce territoire.")
    roles = _check_roles(actor, roles)
    user, account_created = user_get_or_create(email=email, first_name=first_name, last_name=last_name)
    if user.is_platform_admin:
        raise DomainError("Un compte d'administration technique ne peut pas être membre d'une organisation.")
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        territory=territory,
        defaults={"job_title": job_title.strip(), "work_phone": work_phone.strip()},
    )
    if not created:
        if membership.is_active:
            raise DomainError("Cette personne est déjà membre de l'organisation sur ce territoire.")
        membership.is_active = True
        membership.deactivated_at = None
        membership.job_title = job_title.strip() or membership.job_title
        membership.work_phone = work_phone.strip() or membership.work_phone
        membership.save()
        _bump_version(membership)
    _set_roles(membership, roles)
    audit.record(
        actor=actor,
        action=AuditAction.MEMBERSHIP_INVITED,
        obj=membership,
        changes={
            "member": user.email,
            "organisation": organisation.name,
            "roles": sorted(roles),
            "account_created": account_created,
            "reactivated": not created,
        },
    )
    if notify:
        transaction.on_commit(lambda: send_invitation(user=user))
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: Actor,
    membership: Membership,
    version: int,
    roles: Iterable[str],
    job_title: str,
    work_phone: str,
) -> Membership:
    """Changes roles and work details. `version` is the one the form was read at: a stale save is refused."""
    if not policies.can_manage_membership(actor, membership):
        raise PermissionDeniedError
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.version != version:
        raise ConflictError(
            "Ce membre a été modifié par quelqu'un d'autre pendant que vous le modifiiez. "
            "Vos changements n'ont pas été enregistrés : vérifiez la version actuelle puis recommencez."
        )
    wanted = _check_roles(actor, roles)
    held = set(locked.role_set.values_list("role", flat=True))
    # Roles this actor cannot grant are left as they are (e.g. referent, coordinator held by the member).
    untouchable = held - set(policies.grantable_roles(actor))
    if locked.pk == actor.membership_pk_or_none() and Role.ORG_ADMIN in held and Role.ORG_ADMIN not in wanted:
        raise DomainError("Vous ne pouvez pas retirer votre propre rôle d'administration.")
    _set_roles(locked, wanted | untouchable)
    changes = {}
    if held != wanted | untouchable:
        changes["roles"] = [sorted(held), sorted(wanted | untouchable)]
    for field, value in (("job_title", job_title.strip()), ("work_phone", work_phone.strip())):
        if getattr(locked, field) != value:
            changes[field] = [getattr(locked, field), value]
            setattr(locked, field, value)
    locked.save(update_fields=["job_title", "work_phone"])
    _bump_version(locked)
    if changes:
        audit.record(
            actor=actor,
            action=AuditAction.MEMBERSHIP_ROLES_CHANGED
            if "roles" in changes
            else AuditAction.MEMBERSHIP_UPDATED,
            obj=locked,
            changes={"member": membership.user.email, **changes},
        )
    return locked


@transaction.atomic
def membership_set_active(*, actor: Actor, membership: Membership, active: bool) -> Membership:
    """Deactivation takes effect on the member's very next request (see ActorMiddleware)."""
    if not policies.can_manage_membership(actor, membership):
        raise PermissionDeniedError
    if not active and membership.pk == actor.membership_pk_or_none():
        raise DomainError("Vous ne pouvez pas désactiver votre propre accès.")
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.deactivated_at = None if active else timezone.now()
    locked.save(update_fields=["is_active", "deactivated_at"])
    _bump_version(locked)
    api_tokens_revoke_all(actor=actor, memberships=[locked], reason="membership_deactivated")
    audit.record(
        actor=actor,
        action=AuditAction.MEMBERSHIP_ACTIVATED if active else AuditAction.MEMBERSHIP_DEACTIVATED,
        obj=locked,
        changes={"member": membership.user.email},
    )
    return locked


@transaction.atomic
def referent_appoint(*, actor: Actor, membership: Membership, commune: Commune, kind: str) -> CommuneReferent:
    """Names a member referent of a commune; the membership gains the `referent` role."""
    if not policies.can_manage_referents(actor):
        raise PermissionDeniedError
    if commune.territory_id != actor.territory.pk or membership.territory_id != actor.territory.pk:
        raise PermissionDeniedError
    if not membership.is_active:
        raise DomainError("Ce membre n'est plus actif.")
    if kind not in ReferentKind.values:
        raise DomainError("Choisissez la qualité du référent (élu·e ou agent).")
    if CommuneReferent.objects.filter(commune=commune, membership=membership).exists():
        raise DomainError(f"Cette personne est déjà référente pour {commune.name}.")
    referent = CommuneReferent.objects.create(
        commune=commune, membership=membership, kind=kind, appointed_by=actor.user
    )
    MembershipRole.objects.get_or_create(membership=membership, role=Role.REFERENT)
    _bump_version(membership)
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
    _bump_version(membership)
