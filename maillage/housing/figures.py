"""Figures of emergency housing for a period [start, end) — `end` excluded, like a stay's departure
morning (ADR 0030). Aggregated by the database (no loop over stays in Python).

Definitions (the statistics reuse them):
- a night is the night from day D to D+1, counted on D; a stay [starts_on, ends_on) has
  ends_on − starts_on nights;
- the nights of the period are the stays' nights clipped to the period:
  max(0, min(ends_on, end) − max(starts_on, start));
- only stays that really took place count: in progress or ended (a planned stay is not occupancy yet, a
  cancelled one never was); a stay in progress counts up to its planned end;
- people-nights = nights × (adults + children) of the stay;
- available nights of a unit = the nights of the period (end − start); occupancy rate = occupied nights /
  available nights (a unit out of service still counts: its state over time is not recorded);
- stays by exit solution: ended stays whose last night falls in the period (start < ends_on ≤ end)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField, F, Func, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from maillage.housing.enums import ExitSolution, StayStatus
from maillage.housing.models import HousingUnit, Stay

TOOK_PLACE = (StayStatus.IN_PROGRESS, StayStatus.ENDED)


class DaysBetween(Func):
    """later − earlier, in whole days (an integer on both databases)."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        return f"({later[0]} - {earlier[0]})", [*later[1], *earlier[1]]

    def as_sqlite(self, compiler, connection, **extra_context):
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        return (
            f"CAST(julianday({later[0]}) - julianday({earlier[0]}) AS INTEGER)",
            [*later[1], *earlier[1]],
        )


@dataclass(frozen=True)
class UnitFigures:
    unit: HousingUnit
    nights: int
    people_nights: int
    available_nights: int

    @property
    def occupancy_rate(self) -> float:
        return self.nights / self.available_nights if self.available_nights else 0.0

    @property
    def occupancy_percent(self) -> str:
        return f"{self.occupancy_rate * 100:.1f}".replace(".", ",") + " %"


def _clipped_nights(prefix: str, start: datetime.date, end: datetime.date):
    """The nights of a stay inside [start, end); negative for a stay outside it (filtered out)."""
    return DaysBetween(
        Least(F(f"{prefix}ends_on"), Value(end, output_field=DateField())),
        Greatest(F(f"{prefix}starts_on"), Value(start, output_field=DateField())),
    )


def units_figures(units, start: datetime.date, end: datetime.date, situations=None) -> list[UnitFigures]:
    """Nights, people-nights and occupancy rate of each unit of `units` (a queryset) over [start, end),
    in one query. `situations` (a queryset), when given, keeps only the stays of those situations (the
    statistics of some communes)."""
    if end <= start:
        raise ValueError("The period ends after it starts.")
    inside = Q(stays__status__in=TOOK_PLACE, stays__starts_on__lt=end, stays__ends_on__gt=start)
    if situations is not None:
        inside &= Q(stays__situation__in=situations)
    nights = _clipped_nights("stays__", start, end)
    people = F("stays__adults") + F("stays__children")
    rows = (
        units.annotate(
            period_nights=Coalesce(Sum(nights, filter=inside), 0),
            period_people_nights=Coalesce(Sum(nights * people, filter=inside), 0),
        )
        .defer("address")
        .order_by("name", "pk")
    )
    available = (end - start).days
    return [UnitFigures(unit, unit.period_nights, unit.period_people_nights, available) for unit in rows]


def totals(figures: list[UnitFigures]) -> dict:
    nights = sum(f.nights for f in figures)
    available = sum(f.available_nights for f in figures)
    return {
        "nights": nights,
        "people_nights": sum(f.people_nights for f in figures),
        "available_nights": available,
        "occupancy_rate": nights / available if available else 0.0,
    }


def _of_situations(stays, situations):
    return stays if situations is None else stays.filter(situation__in=situations)


def stays_by_exit_solution(
    units, start: datetime.date, end: datetime.date, situations=None
) -> dict[str, int]:
    """Ended stays of `units` whose last night falls in [start, end), by exit solution (every solution
    listed, 0 included; "" for an ended stay without one), in one query."""
    ended = Stay.objects.filter(unit__in=units, status=StayStatus.ENDED, ends_on__gt=start, ends_on__lte=end)
    rows = _of_situations(ended, situations).values("exit_solution").annotate(count=Count("pk")).order_by()
    counts = dict.fromkeys(ExitSolution.values, 0)
    for row in rows:
        counts[row["exit_solution"]] = counts.get(row["exit_solution"], 0) + row["count"]
    return counts


def _stays_inside(units, start: datetime.date, end: datetime.date, situations=None):
    """Stays that took place with at least one night in [start, end)."""
    stays = Stay.objects.filter(unit__in=units, status__in=TOOK_PLACE, starts_on__lt=end, ends_on__gt=start)
    return _of_situations(stays, situations)


def stays_count(units, start: datetime.date, end: datetime.date) -> int:
    """Stays that took place with at least one night in [start, end)."""
    return _stays_inside(units, start, end).count()


def stays_people(units, start: datetime.date, end: datetime.date, situations=None) -> dict[str, int]:
    """The stays of `stays_count` and the people they housed (adults, children: each stay's household,
    a household housed twice counts twice), in one query."""
    return _stays_inside(units, start, end, situations).aggregate(
        stays=Count("pk"), adults=Coalesce(Sum("adults"), 0), children=Coalesce(Sum("children"), 0)
    )
