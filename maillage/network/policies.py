"""Who may see or do what in the partner network. Named predicates, used by views, the API and services."""

from maillage.accounts.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership, Organisation


def can_view_directory(actor: Actor) -> bool:
    # The directory names referents and members: reserved to members of the territory, not to the
    # technical administrator.
    return actor.is_member


def can_manage_members_of(actor: Actor, organisation: Organisation) -> bool:
    return actor.has_role(Role.ORG_ADMIN) and actor.organisation.pk == organisation.pk


def can_manage_membership(actor: Actor, membership: Membership) -> bool:
    if actor.is_platform_admin:
        return True
    return (
        can_manage_members_of(actor, membership.organisation)
        and membership.territory_id == actor.territory.pk
    )


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


def grantable_roles(actor: Actor) -> list[str]:
    """Roles this actor may hand out to a membership."""
    from maillage.network.enums import MEMBERSHIP_ROLES, ORG_ADMIN_GRANTABLE_ROLES

    if actor.is_platform_admin:
        return [r.value for r in MEMBERSHIP_ROLES if r != Role.REFERENT]
    if actor.has_role(Role.ORG_ADMIN):
        return [r.value for r in ORG_ADMIN_GRANTABLE_ROLES]
    return []
