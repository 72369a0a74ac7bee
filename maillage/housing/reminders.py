"""Reminders about stays: their planned end is near, or they overran it (run daily by tasks.py).

Recipients: the housing managers of the unit's organisation, in the unit's territory — those who answer
for the unit and check the household out. The alert names nothing (notifications.services): its page shows
the unit's name and the stay's pseudonym, to a reader who may see them (`describe_stays`), with a link to
the calendar of the month of the stay's end."""

from collections.abc import Iterable
from uuid import UUID

from django.db import models
from django.db.models import Q
from django.urls import reverse

from maillage.housing.enums import StayStatus
from maillage.housing.models import Stay
from maillage.network.enums import Role
from maillage.network.models import Membership
from maillage.notifications.registry import Described
from maillage.notifications.services import notify


class ReminderKind(models.TextChoices):
    STAY_ENDING = "stay_ending", "Fin de séjour prévue bientôt"
    STAY_OVERRUN = "stay_overrun", "Séjour à prolonger ou à clore (date de départ passée)"


def housing_managers_of(unit) -> models.QuerySet:
    return (
        Membership.objects.active()
        .with_role(Role.HOUSING_MANAGER)
        .filter(organisation_id=unit.organisation_id, territory_id=unit.territory_id)
    )


def stay_ending(stay: Stay) -> list:
    """Once per recipient and planned end: an extended stay is reminded again before its new end."""
    return notify(
        actor=None,
        recipients=housing_managers_of(stay.unit),
        kind=ReminderKind.STAY_ENDING,
        target=stay,
        occasion=stay.ends_on,
    )


def stay_overrun(stay: Stay) -> list:
    return notify(
        actor=None,
        recipients=housing_managers_of(stay.unit),
        kind=ReminderKind.STAY_OVERRUN,
        target=stay,
        occasion=stay.ends_on,
        urgent=True,
    )


def stays_visible_to(actor) -> models.QuerySet:
    """Stays whose unit and pseudonym `actor` may see: the coordinator of the unit's territory, the housing
    managers of its organisation (the calendar's rule, calendar.shows_pseudonym)."""
    if actor is None or not actor.is_member:
        return Stay.objects.none()
    rule = Q(pk__in=[])
    if actor.has_role(Role.COORDINATOR):
        rule |= Q(unit__territory_id=actor.territory.pk)
    if actor.has_role(Role.HOUSING_MANAGER):
        rule |= Q(unit__territory_id=actor.territory.pk, unit__organisation_id=actor.organisation.pk)
    return Stay.objects.filter(rule).exclude(status=StayStatus.CANCELLED)


def describe_stays(actor, ids: Iterable[UUID]) -> dict[UUID, Described]:
    """The stays among `ids` this reader may see: unit name and pseudonym, and the calendar of the month
    of the stay's end (one query)."""
    rows = (
        stays_visible_to(actor)
        .filter(public_id__in=list(ids))
        .values_list("public_id", "unit__name", "situation__pseudonym", "ends_on", "situation__urgent")
    )
    return {
        public_id: Described(
            f"{unit_name} — {pseudonym}",
            reverse("housing_calendar:calendar") + f"?mois={ends_on:%Y-%m}",
            urgent,
        )
        for public_id, unit_name, pseudonym, ends_on, urgent in rows
    }
