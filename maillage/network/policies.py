"""Who may see or do what in the partner network. Named predicates, used by views, the API and services.

Who may change whose roles is one table, `role_change_decision` (docs/decisions/0012-who-changes-roles.md):
nobody changes their own roles or memberships; a grant of a role that opens nominative data takes effect only
when the territory's coordinator makes or approves it; the territory-wide roles (coordinator, DPO) are the
platform administrator's alone.
"""

import enum

from maillage.network.actor import Actor
from maillage.network.enums import MEMBERSHIP_ROLES, NOMINATIVE_ROLES, TERRITORY_WIDE_ROLES, Role
from maillage.network.models import Membership, Organisation, RoleChange


class Decision(enum.Enum):
    ALLOWED = "allowed"  # takes effect now
    PENDING = "pending"  # waits for a coordinator's approval
    REFUSED = "refused"


def can_view_directory(actor: Actor) -> bool:
    # The directory names referents and members: reserved to members of the territory, not to the
    # technical administrator.
    return actor.is_member


def can_manage_members_of(actor: Actor, organisation: Organisation) -> bool:
    return actor.has_role(Role.ORG_ADMIN) and actor.organisation.pk == organisation.pk


def can_manage_membership(actor: Actor, membership: Membership) -> bool:
    """Reaching a membership's page at all: the platform admin, or the admin of its organisation there."""
    if actor.is_platform_admin:
        return True
    return (
        can_manage_members_of(actor, membership.organisation)
        and membership.territory_id == actor.territory.pk
    )


def is_own(actor: Actor, membership: Membership) -> bool:
    return membership.user_id == actor.user.pk


def coordinates(actor: Actor, territory_id: int) -> bool:
    """The actor acts, right now, as a coordinator of this territory."""
    return actor.has_role(Role.COORDINATOR) and actor.territory.pk == territory_id


def role_change_decision(actor: Actor, membership: Membership, role: str, *, grant: bool) -> Decision:
    """Whether this actor may grant (or remove) `role` on `membership`, now or after approval."""
    if not can_manage_membership(actor, membership) or is_own(actor, membership):
        return Decision.REFUSED
    if role not in MEMBERSHIP_ROLES or role == Role.REFERENT:
        # The referent role follows the coordinator's appointments to communes (referent_appoint).
        return Decision.REFUSED
    if role in TERRITORY_WIDE_ROLES:
        return Decision.ALLOWED if actor.is_platform_admin else Decision.REFUSED
    if grant and role in NOMINATIVE_ROLES and not coordinates(actor, membership.territory_id):
        return Decision.PENDING
    return Decision.ALLOWED


def activation_decision(actor: Actor, membership: Membership, held_roles) -> Decision:
    """Deactivating or reactivating a membership. A reactivation brings nominative roles back only as
    requests (the service turns them into pending changes)."""
    if not can_manage_membership(actor, membership) or is_own(actor, membership):
        return Decision.REFUSED
    if TERRITORY_WIDE_ROLES & set(held_roles) and not actor.is_platform_admin:
        return Decision.REFUSED
    return Decision.ALLOWED


def grantable_roles(actor: Actor, membership: Membership | None = None) -> list[str]:
    """Roles this actor may tick on a membership form (some then wait for approval)."""
    if actor.is_platform_admin:
        roles = [r.value for r in MEMBERSHIP_ROLES if r != Role.REFERENT]
    elif actor.has_role(Role.ORG_ADMIN):
        roles = [
            Role.PROFESSIONAL.value,
            Role.ORG_ADMIN.value,
            Role.HOUSING_MANAGER.value,
            Role.OBSERVER.value,
        ]
    else:
        return []
    if membership is not None and is_own(actor, membership):
        return []
    return roles


def needs_approval(actor: Actor, role: str, territory_id: int) -> bool:
    """Shown next to a role on the forms: its grant will wait for the coordinator."""
    return role in NOMINATIVE_ROLES and not coordinates(actor, territory_id)


def can_decide_role_change(actor: Actor, change: RoleChange) -> bool:
    """A coordinator of the territory decides on a pending grant — never on their own."""
    return coordinates(actor, change.territory_id) and change.membership.user_id != actor.user.pk


def can_view_role_changes(actor: Actor) -> bool:
    return actor.has_role(Role.COORDINATOR, Role.DPO)


def can_manage_referents(actor: Actor) -> bool:
    return actor.has_role(Role.COORDINATOR)


def can_edit_organisation_contact(actor: Actor, organisation: Organisation) -> bool:
    if actor.is_platform_admin:
        return True
    if can_manage_members_of(actor, organisation):
        return True
    return (
        actor.has_role(Role.COORDINATOR) and organisation.territories.filter(pk=actor.territory.pk).exists()
    )
