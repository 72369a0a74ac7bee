"""Which units can take a household for some nights: one SQL query (ADR 0030).

A unit fits a household by the rule of `capacity.py`, the allocation's own: an adult bed for each adult, a
child's bed for each child of three or more, a child's bed or a cot for each younger one. It is available
when its manager has not put it out of service and no holding stay (planned, in progress, ended) shares a
night with [starts_on, ends_on) — `ends_on` is the morning of departure, as for stays. The overlap test is
a NOT EXISTS subquery, so the answer is one query whatever the number of units and stays.

The result never carries the address (deferred: never even read) and, for a secret unit, no commune."""

import datetime

from django.db.models import Exists, F, OuterRef, QuerySet

from maillage.housing import capacity
from maillage.housing.enums import HOLDING, UnitStatus
from maillage.housing.models import HousingUnit, Stay
from maillage.network.enums import Role

# Who may search (issue 12): those who keep units or request stays.
SEARCHING_ROLES = (Role.HOUSING_MANAGER, Role.COORDINATOR, Role.REFERENT, Role.PROFESSIONAL)


def holding_stays_between(starts_on: datetime.date, ends_on: datetime.date) -> QuerySet:
    """Holding stays sharing at least one night with [starts_on, ends_on)."""
    return Stay.objects.filter(status__in=HOLDING, starts_on__lt=ends_on, ends_on__gt=starts_on)


def units_available(
    territory,
    adults: int,
    children: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    *,
    under_three: int = 0,
    accessible: bool | None = None,
    pets: bool | None = None,
) -> QuerySet:
    """The units of `territory` that fit the household (`under_three` of the `children` are under three)
    and are free every night of [starts_on, ends_on), smallest first (a family flat is kept for a family).
    `accessible`/`pets`: True to require it, None for either. One query when evaluated (commune and
    organisation joined; the address never read)."""
    if ends_on <= starts_on:
        raise ValueError("ends_on is the morning of departure: after starts_on.")
    taken = holding_stays_between(starts_on, ends_on).filter(unit=OuterRef("pk"))
    if not 0 <= under_three <= children:
        raise ValueError("under_three counts some of the children.")
    units = HousingUnit.objects.filter(territory=territory, status=UnitStatus.AVAILABLE)
    units = (
        capacity.fitting(units, adults, children, children - under_three)
        .annotate(beds=F("adults") + F("children") + F("cots"))
        .filter(~Exists(taken))
        .select_related("commune", "organisation")
        .defer("address")
    )
    if accessible:
        units = units.filter(accessible=True)
    if pets:
        units = units.filter(pets_allowed=True)
    return units.order_by("beds", "name", "pk")


def is_free(unit: HousingUnit, starts_on: datetime.date, ends_on: datetime.date) -> bool:
    """Whether no holding stay of `unit` shares a night with [starts_on, ends_on) (one query)."""
    return not holding_stays_between(starts_on, ends_on).filter(unit=unit).exists()


def commune_shown(unit: HousingUnit) -> str:
    """What a list may say of where a unit is: its commune's name, never anything for a secret unit."""
    if unit.secret or unit.commune_id is None:
        return ""
    return unit.commune.name
