"""Who may request, see and answer a stay request, and act on a stay. It hangs from the situation policy
(situations/policies.py), like the referrals' policy:

- the requester's side: whoever sees the situation (`Situation.objects.visible_to`) on their own ground sees
  its requests and stays with their notes — not someone reading it through break-the-glass, which opens the
  situation's record, not its housing; a request is made by the situation's coordination or a professional
  following it (`can_contribute`);
- the housing managers of an organisation that has units in the territory see every request of the territory
  as pseudonym + household only (no identity, no notes), and answer it; they see and run the stays of their
  own organisation's units;
- the territory's coordinator answers requests and runs stays as well (it sees every situation);
- as everywhere, an exclusion from the situation (conflict of interest) binds a housing manager too, and a
  restricted situation reaches only the housing managers named on it: its request is answered by the
  coordinator otherwise.

Nobody reaches a unit's address here: the pages and the API of this part show the unit's display name only.
`requests_visible_to(actor)` and `stays_visible_to(actor)` are one SQL query each; `memberships_answering`
and `memberships_requesting` are their reverse sides (whom to tell)."""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from maillage.housing.models import HousingUnit, Stay, StayRequest
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.situations import policies as situation_policies
from maillage.situations.models import Exclusion, NamedAccess, Situation


def _is_housing_manager(actor: Actor | None) -> bool:
    return actor is not None and actor.is_member and actor.has_role(Role.HOUSING_MANAGER)


def _manages_units_in_territory(actor: Actor) -> bool:
    return (
        _is_housing_manager(actor)
        and HousingUnit.objects.filter(
            organisation_id=actor.membership.organisation_id, territory_id=actor.membership.territory_id
        ).exists()
    )


def _situations_seen(actor: Actor):
    """The situations the actor sees on their own ground (coordination, commune, participation, named):
    `visible_to` without the break-the-glass readers."""
    own_ground = (
        Q(ground_coordination=True)
        | Q(ground_commune=True)
        | Q(ground_participation=True)
        | Q(ground_named=True)
    )
    return Situation.objects.visible_to(actor).with_grounds(actor).filter(own_ground).values("pk")


def _not_barred(actor: Actor, situation_field: str) -> Q:
    """Not excluded from the situation, and named on it if it is restricted (the situation policy's rules,
    for housing managers who do not see the situation itself)."""
    situation = OuterRef(situation_field)
    excluded = Exists(Exclusion.objects.filter(situation=situation, user_id=actor.user.pk))
    named = Exists(NamedAccess.objects.filter(situation=situation, user_id=actor.user.pk))
    return ~excluded & (Q(**{f"{situation_field.removesuffix('_id')}__restricted": False}) | named)


def requests_visible_to(actor: Actor | None):
    """The requests this actor may read: their situation's readers, and the territory's housing managers
    whose organisation has units there (pseudonym + household only: see `sees_requester_side`)."""
    if actor is None or not actor.is_member:
        return StayRequest.objects.none()
    seen = Q(situation_id__in=_situations_seen(actor))
    if _is_housing_manager(actor):
        units_here = Exists(
            HousingUnit.objects.filter(
                organisation_id=actor.membership.organisation_id, territory_id=OuterRef("territory_id")
            )
        )
        seen |= (
            Q(territory_id=actor.membership.territory_id) & units_here & _not_barred(actor, "situation_id")
        )
    return StayRequest.objects.filter(seen)


def stays_visible_to(actor: Actor | None):
    """The stays this actor may read: their situation's readers, and the housing managers of the unit's
    organisation (in the unit's territory)."""
    if actor is None or not actor.is_member:
        return Stay.objects.none()
    seen = Q(situation_id__in=_situations_seen(actor))
    if _is_housing_manager(actor):
        seen |= Q(
            unit__organisation_id=actor.membership.organisation_id,
            unit__territory_id=actor.membership.territory_id,
        ) & _not_barred(actor, "situation_id")
    return Stay.objects.filter(seen)


def access_request(actor: Actor | None, public_id) -> StayRequest:
    """The request if this actor may see it, else Http404: the same answer for missing and forbidden."""
    return get_object_or_404(
        requests_visible_to(actor).select_related("situation", "territory"), public_id=public_id
    )


def access_stay(actor: Actor | None, public_id) -> Stay:
    return get_object_or_404(
        stays_visible_to(actor).select_related("situation", "unit", "request"), public_id=public_id
    )


def can_request(actor: Actor, situation) -> bool:
    """Requesting a stay: the situation's coordination and the professionals following it, who see it now
    (break-the-glass lets nobody act on a situation)."""
    return situation_policies.can_open(actor, situation) and situation_policies.can_contribute(
        actor, situation
    )


def sees_requester_side(actor: Actor, situation) -> bool:
    """The requester's side reads the notes and links to the situation: whoever sees the situation on their
    own ground. A housing manager sees pseudonym and household only."""
    return _situations_seen(actor).filter(pk=situation.pk).exists()


def _is_territory_coordinator(actor: Actor, territory_id: int) -> bool:
    return (
        actor.is_member and actor.has_role(Role.COORDINATOR) and actor.membership.territory_id == territory_id
    )


def can_answer(actor: Actor, request: StayRequest) -> bool:
    """Waiting list, refusal, allocation: the housing managers of an organisation with units in the
    territory, and the territory's coordinator — each among those who see the request."""
    if not (_is_territory_coordinator(actor, request.territory_id) or _manages_units_in_territory(actor)):
        return False
    return requests_visible_to(actor).filter(pk=request.pk).exists()


def can_cancel_request(actor: Actor, request: StayRequest) -> bool:
    """The requester's side withdraws a request not answered yet (those who could have made it)."""
    return can_request(actor, request.situation)


def allocatable_units(actor: Actor, territory_id: int):
    """The units this actor may allocate: their organisation's (a housing manager), every unit of the
    territory (its coordinator)."""
    units = HousingUnit.objects.filter(territory_id=territory_id)
    if _is_territory_coordinator(actor, territory_id):
        return units
    if _is_housing_manager(actor) and actor.membership.territory_id == territory_id:
        return units.filter(organisation_id=actor.membership.organisation_id)
    return units.none()


def can_run_stay(actor: Actor, stay: Stay) -> bool:
    """Check-in, extension, check-out, cancellation: the unit's organisation's housing managers and the
    territory's coordinator (who sees the situation)."""
    unit = stay.unit
    if _is_territory_coordinator(actor, unit.territory_id):
        return situation_policies.can_open(actor, stay.situation)
    return (
        _is_housing_manager(actor)
        and actor.membership.organisation_id == unit.organisation_id
        and actor.membership.territory_id == unit.territory_id
        and stays_visible_to(actor).filter(pk=stay.pk).exists()
    )


def memberships_answering(request: StayRequest):
    """Reverse side of the housing managers' branch: the active housing managers of the organisations
    with units in the request's territory, not barred from the situation (told of a new request)."""
    from maillage.network.models import Membership

    situation = request.situation
    members = Membership.objects.active().filter(
        territory_id=request.territory_id,
        role_set__role=Role.HOUSING_MANAGER,
        organisation_id__in=HousingUnit.objects.filter(territory_id=request.territory_id).values(
            "organisation_id"
        ),
    )
    members = members.exclude(
        Exists(Exclusion.objects.filter(situation=situation, user_id=OuterRef("user_id")))
    )
    if situation.restricted:
        members = members.filter(
            Exists(NamedAccess.objects.filter(situation=situation, user_id=OuterRef("user_id")))
        )
    return members


def memberships_requesting(request: StayRequest):
    """The requester, if they still see the situation (told of the answer)."""
    return situation_policies.memberships_seeing(request.situation).filter(pk=request.requested_by_id)
