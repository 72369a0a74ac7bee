"""Who is told of a "danger" result, and what the notifications app shows of an assessment.

Recipients come from the situation policy's reverse side (`memberships_seeing`), narrowed to the
situation's coordination: the coordinators and its assigned referent (the commune's referents when none is
assigned). Nobody excluded from the situation, nobody who cannot open it. The alert names no one: the
reader sees the pseudonym, as for the situations' own alerts, and the e-mail nothing at all."""

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Q
from django.urls import reverse

from maillage.assessments.enums import NotificationKind
from maillage.assessments.models import Assessment
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.notifications.registry import Described
from maillage.notifications.services import notify
from maillage.situations import policies


def coordination_recipients(situation):
    if situation.referent_id is not None:
        referent = Q(pk=situation.referent_id)
    else:
        referent = Q(role_set__role=Role.REFERENT, referent_of__commune_id=situation.commune_id)
    return (
        policies.memberships_seeing(situation)
        .filter(Q(role_set__role=Role.COORDINATOR) | referent)
        .distinct()
    )


def danger_assessed(*, actor: Actor, assessment: Assessment) -> None:
    notify(
        actor=actor,
        recipients=coordination_recipients(assessment.situation),
        kind=NotificationKind.DANGER_ASSESSED,
        target=assessment,
    )


def describe_assessments(actor: Actor, ids: Iterable[UUID]) -> dict[UUID, Described]:
    """The assessments among `ids` whose situation this reader may open now: its pseudonym and the result
    page (one query)."""
    rows = (
        Assessment.objects.visible_to(actor)
        .filter(public_id__in=list(ids))
        .values_list("public_id", "situation__pseudonym", "situation__urgent")
    )
    return {
        public_id: Described(pseudonym, reverse("assessments:detail", args=[public_id]), urgent)
        for public_id, pseudonym, urgent in rows
    }
