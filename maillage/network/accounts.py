"""An account's side that concerns the network: deactivating an account ends the access of its memberships
(under the same rules as one membership deactivated) and revokes its API tokens; the platform-admin flag
needs an account without active membership. Used by the platform's account pages and the Django admin.

`accounts` holds the account itself (creation, invitation) and never imports `network`: what follows from
an account for its memberships is orchestrated here, in one transaction.
"""

from django.db import transaction

from maillage import audit
from maillage.accounts.models import User
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network import role_changes
from maillage.network.actor import Actor
from maillage.network.models import Membership
from maillage.network.tokens import api_tokens_revoke_all


@transaction.atomic
def user_set_active(*, actor: Actor, user: User, active: bool) -> User:
    """Deactivating an account ends its sessions on their next request and revokes its API tokens."""
    if not actor.is_platform_admin:
        raise PermissionDeniedError
    if user.pk == actor.user.pk and not active:
        raise DomainError("Vous ne pouvez pas désactiver votre propre compte.")
    # Compared with the stored row, not with `user`, which a form may already have changed in memory.
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active != active:
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        # Each active membership of the account loses (or regains) its access, under the same rules as one
        # membership deactivated (or reactivated): a coordinator or DPO lost is told, roles that open
        # situations come back only with the coordinator's approval.
        for membership in Membership.objects.filter(user=locked, is_active=True).select_related("user"):
            role_changes.access_changed(actor, membership, active=active)
        if not active:
            api_tokens_revoke_all(actor=actor, user=locked, reason="account_deactivated")
        audit.record(
            actor=actor,
            action=AuditAction.ACCOUNT_ACTIVATED if active else AuditAction.ACCOUNT_DEACTIVATED,
            obj=locked,
            user=locked,
            changes={"email": locked.email},
        )
    user.is_active = active
    return user


# The technical flags of an account: the Django admin is their only editor (network/admin.py).
ADMIN_FLAGS = ("is_platform_admin", "is_staff", "is_superuser")


def account_flags_refusal(*, actor: Actor, user: User, flags: dict[str, bool]) -> str | None:
    """Why `actor` may not set these flags (`is_active` and ADMIN_FLAGS) on `user`, or None.

    Shared by `user_set_admin_flags` and the admin's form, which shows the reason with the input kept."""
    if not actor.is_platform_admin:
        return PermissionDeniedError().message
    changed = {name for name, value in flags.items() if getattr(user, name) != value}
    if not changed:
        return None
    if user.pk == actor.user.pk:
        return (
            "Vous ne pouvez pas modifier les droits de votre propre compte : "
            "demandez-le à une autre personne de l'administration technique."
        )
    if (
        "is_platform_admin" in changed
        and flags["is_platform_admin"]
        and Membership.objects.filter(user=user, is_active=True).exists()
    ):
        return (
            "Ce compte est membre d'une organisation : l'administration technique ne peut détenir aucune "
            "adhésion. Désactivez d'abord ses adhésions, puis recommencez."
        )
    return None


@transaction.atomic
def user_set_admin_flags(*, actor: Actor, user: User, **flags: bool) -> User:
    """Sets the technical flags of another account (`is_platform_admin`, `is_staff`, `is_superuser`)."""
    unknown = set(flags) - set(ADMIN_FLAGS)
    if unknown:
        raise ValueError(f"Not an admin flag: {', '.join(sorted(unknown))}")
    if not actor.is_platform_admin:
        raise PermissionDeniedError
    locked = User.objects.select_for_update().get(pk=user.pk)
    refusal = account_flags_refusal(actor=actor, user=locked, flags=flags)
    if refusal:
        raise DomainError(refusal)
    changes = {
        name: [getattr(locked, name), value]
        for name, value in flags.items()
        if getattr(locked, name) != value
    }
    if changes:
        for name, value in flags.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(flags))
        audit.record(
            actor=actor,
            action=AuditAction.ACCOUNT_ADMIN_FLAGS_CHANGED,
            obj=locked,
            user=locked,
            changes={"email": locked.email, **changes},
        )
    for name, value in flags.items():
        setattr(user, name, value)
    return user
