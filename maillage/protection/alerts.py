"""Who is reminded of a measure ending, and what the notifications page shows of a measure.

Recipients come from the situation policy's reverse side narrowed by the measure rule
(`policies.memberships_reminded`); the alert's e-mail names nothing (notifications.services)."""

from collections.abc import Iterable
from uuid import UUID

from django.urls import reverse

from maillage.network.actor import Actor
from maillage.notifications.registry import Described
from maillage.notifications.services import notify
from maillage.protection import policies
from maillage.protection.enums import NotificationKind
from maillage.protection.models import ProtectiveMeasure


def measure_ending(*, measure: ProtectiveMeasure) -> list:
    """Once per recipient and end date: a renewed measure (a new end) is reminded again."""
    return notify(
        actor=None,
        recipients=policies.memberships_reminded(measure.situation),
        kind=NotificationKind.MEASURE_ENDING,
        target=measure,
        occasion=measure.ends_on,
    )


def describe_measures(actor: Actor, ids: Iterable[UUID]) -> dict[UUID, Described]:
    """The measures among `ids` this reader may see now: the situation's pseudonym and its measures page
    (one query)."""
    rows = (
        policies.measures_visible_to(actor)
        .filter(public_id__in=list(ids))
        .values_list("public_id", "situation__public_id", "situation__pseudonym", "situation__urgent")
    )
    return {
        public_id: Described(pseudonym, reverse("protection:list", args=[situation_id]), urgent)
        for public_id, situation_id, pseudonym, urgent in rows
    }
