"""Who may see and keep emergency housing units, and who may read a unit's address (DOMAIN.md §2, §6;
docs/decisions/0028-housing-secret-addresses.md). One policy, one place:

- the housing managers of a unit's organisation (in its territory) keep it: create, change, read its address;
- the territory's coordinator sees every unit of the territory and may read any address;
- the people who request stays — referents and participating professionals of the territory — see the units
  as a requester does: name, capacity, accessibility, rules, status; never the address, and a secret unit
  (the refuge) has no commune at all (a model constraint);
- nobody else: observers, DPOs, organisation admins and platform admins see no unit; housing managers of
  another organisation see only their own; break-the-glass opens situations, never a unit nor an address.

The address is shown only on an explicit, audited action (`services.unit_address_reveal`): never in a list,
a search, an alert, an e-mail, an export, a log or the audit's change records.

`units_visible_to(actor)` is one SQL query; `memberships_managing(unit)` is its reverse side (whom to tell
about a unit's requests and stays). A missing unit and a forbidden one answer the same 404."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from maillage.network.actor import Actor
from maillage.network.enums import Role

# Roles that see units at all (as keepers, as the coordination, or as requesters).
UNIT_ROLES = (Role.COORDINATOR, Role.HOUSING_MANAGER, Role.REFERENT, Role.PROFESSIONAL)
# Roles that may ever read an address (each further bound to the unit: its organisation or its territory).
ADDRESS_ROLES = (Role.COORDINATOR, Role.HOUSING_MANAGER)
REQUESTER_ROLES = (Role.COORDINATOR, Role.REFERENT, Role.PROFESSIONAL)


def units_visible_to(actor: Actor | None):
    """The units this actor may see (one query): none without a membership holding a unit role."""
    from maillage.housing.models import HousingUnit

    if actor is None or not actor.is_member or not actor.has_role(*UNIT_ROLES):
        return HousingUnit.objects.none()
    membership = actor.membership
    in_territory = HousingUnit.objects.filter(territory_id=membership.territory_id)
    if actor.has_role(*REQUESTER_ROLES):
        return in_territory
    return in_territory.filter(organisation_id=membership.organisation_id)


def units_managed_by(actor: Actor | None):
    """The units this actor keeps: those of their organisation in their territory, as a housing manager."""
    from maillage.housing.models import HousingUnit

    if actor is None or not actor.is_member or not actor.has_role(Role.HOUSING_MANAGER):
        return HousingUnit.objects.none()
    return HousingUnit.objects.filter(
        territory_id=actor.membership.territory_id, organisation_id=actor.membership.organisation_id
    )


def access_unit(actor: Actor | None, public_id):
    """The unit if this actor may see it, else Http404: the same answer for missing and forbidden."""
    return get_object_or_404(
        units_visible_to(actor).select_related("organisation", "commune", "territory"), public_id=public_id
    )


def can_create_units(actor: Actor | None) -> bool:
    return actor is not None and actor.is_member and actor.has_role(Role.HOUSING_MANAGER)


def can_manage(actor: Actor | None, unit) -> bool:
    """Change the unit (and answer its stay requests): the housing managers of its organisation."""
    return (
        can_create_units(actor)
        and actor.membership.organisation_id == unit.organisation_id
        and actor.membership.territory_id == unit.territory_id
    )


def is_coordination(actor: Actor | None, unit) -> bool:
    return (
        actor is not None
        and actor.is_member
        and actor.has_role(Role.COORDINATOR)
        and actor.membership.territory_id == unit.territory_id
    )


def can_see_address(actor: Actor | None, unit) -> bool:
    """Read the address, on an explicit audited action: the housing managers of the unit's organisation and
    the territory's coordinator. Nobody else, whatever else they hold: no emergency access, no DPO, no
    observer, no organisation or platform admin."""
    return can_manage(actor, unit) or is_coordination(actor, unit)


def memberships_managing(unit):
    """Reverse side of `can_manage`: the active housing managers of the unit's organisation in its
    territory (one query) — those told of requests and stays of the unit. Never anyone else."""
    from maillage.network.models import Membership

    return Membership.objects.active().filter(
        organisation_id=unit.organisation_id,
        territory_id=unit.territory_id,
        role_set__role=Role.HOUSING_MANAGER,
    )


def memberships_seeing_address(unit):
    """Reverse side of `can_see_address`: its housing managers and the territory's coordinators."""
    from maillage.network.models import Membership

    return (
        Membership.objects.active()
        .filter(territory_id=unit.territory_id)
        .filter(
            Q(organisation_id=unit.organisation_id, role_set__role=Role.HOUSING_MANAGER)
            | Q(role_set__role=Role.COORDINATOR)
        )
        .distinct()
    )
