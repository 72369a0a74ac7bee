"""What the notifications page shows of a stay request: its situation's pseudonym and the request's page,
for a reader who may still see it (stay_policies.requests_visible_to, one query) — the housing managers
included, who may read the pseudonym. Never an identity, a unit or an address."""

from collections.abc import Iterable
from uuid import UUID

from django.urls import reverse

from maillage.housing import stay_policies
from maillage.notifications.registry import Described


def describe_stay_requests(actor, ids: Iterable[UUID]) -> dict[UUID, Described]:
    rows = (
        stay_policies.requests_visible_to(actor)
        .filter(public_id__in=list(ids))
        .values_list("public_id", "situation__pseudonym", "urgent")
    )
    return {
        public_id: Described(
            f"Demande d'hébergement {pseudonym}", reverse("housing_stays:request", args=[public_id]), urgent
        )
        for public_id, pseudonym, urgent in rows
    }
