"""Who is told that a situation needs them, and what the notifications app may show of a situation.

Recipients always come from the policy's reverse side (`policies.memberships_seeing`,
`memberships_reviewing_emergencies`), narrowed to the people each kind of alert is for: nobody who cannot
open the situation (an excluded coordinator, a referent of another commune) is ever alerted about it. The
e-mail names nothing (notifications.services)."""

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Q
from django.urls import reverse

from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership
from maillage.notifications.registry import Described
from maillage.notifications.services import notifications_settle, notify
from maillage.situations import policies
from maillage.situations.enums import NotificationKind
from maillage.situations.models import EmergencyAccess, Situation


def coordination_of(situation: Situation):
    """The coordinators and the commune referents who may open the situation."""
    return policies.memberships_seeing(situation).filter(
        Q(role_set__role=Role.COORDINATOR)
        | Q(role_set__role=Role.REFERENT, referent_of__commune_id=situation.commune_id)
    )


def situation_reported(*, actor: Actor, situation: Situation) -> None:
    notify(
        actor=actor,
        recipients=coordination_of(situation).distinct(),
        kind=NotificationKind.SITUATION_REPORTED,
        target=situation,
        urgent=situation.urgent,
    )


def referent_assigned(*, actor: Actor, situation: Situation, membership) -> None:
    notify(
        actor=actor,
        recipients=policies.memberships_seeing(situation).filter(pk=membership.pk),
        kind=NotificationKind.REFERENT_ASSIGNED,
        target=situation,
    )


def emergency_access_granted(*, actor: Actor, access: EmergencyAccess) -> None:
    notify(
        actor=actor,
        recipients=policies.memberships_reviewing_emergencies(access.situation),
        kind=NotificationKind.EMERGENCY_ACCESS,
        target=access,
    )


def emergency_access_reviewed(*, access: EmergencyAccess) -> None:
    notifications_settle(target=access, kind=NotificationKind.EMERGENCY_ACCESS)


def commune_referents_seeing(situation: Situation, commune_ids: Iterable[int]) -> set[int]:
    """Of the referents of these communes, those who may open the situation now (pks; one query)."""
    return set(
        policies.memberships_seeing(situation)
        .filter(role_set__role=Role.REFERENT, referent_of__commune_id__in=list(commune_ids))
        .values_list("pk", flat=True)
    )


def situation_moved(*, actor: Actor, situation: Situation, seeing_before: set[int], communes) -> None:
    """After a move to another commune: the referents of either commune who can now open the situation are
    told it came into their communes; those who no longer can, that one left (shown without pseudonym,
    since they cannot open it any more). Whoever keeps it (assigned referent, named user) hears nothing."""
    seeing_after = commune_referents_seeing(situation, communes)
    for kind, pks in (
        (NotificationKind.SITUATION_MOVED_IN, seeing_after - seeing_before),
        (NotificationKind.SITUATION_MOVED_OUT, seeing_before - seeing_after),
    ):
        if pks:
            notify(actor=actor, recipients=Membership.objects.filter(pk__in=pks), kind=kind, target=situation)


# ------------------------------------------------------------------- what the notifications page shows


def describe_situations(actor: Actor, ids: Iterable[UUID]) -> dict[UUID, Described]:
    """The situations among `ids` this reader may open now: their pseudonym, page and danger (one query)."""
    rows = (
        Situation.objects.visible_to(actor)
        .filter(public_id__in=list(ids))
        .values_list("public_id", "pseudonym", "urgent")
    )
    return {
        public_id: Described(pseudonym, reverse("situations:detail", args=[public_id]), urgent)
        for public_id, pseudonym, urgent in rows
    }


def describe_emergency_accesses(actor: Actor, ids: Iterable[UUID]) -> dict[UUID, Described]:
    """Break-the-glass accesses among `ids` this reader reviews (the DPO sees no situation but reviews them
    all; an excluded coordinator none of that situation): the situation's pseudonym and the review page."""
    rows = (
        policies.emergency_accesses_reviewable_by(actor)
        .filter(public_id__in=list(ids))
        .values_list("public_id", "situation__pseudonym")
    )
    url = reverse("situations:emergency_reviews")
    return {public_id: Described(pseudonym, url) for public_id, pseudonym in rows}
