"""The month calendar of occupancy: one row per unit, one column per day (ADR 0030).

Built in two queries whatever the month: the units the reader may see, then the stays holding one of
their nights in the month (with the situation's pseudonym when the reader may see it). Each cell is one of:
free, planned (a planned stay), occupied (a stay in progress or ended), out of service (a unit its manager
took out of service: shown from today on, as its past state is not recorded).

Who sees what (decided in ADR 0030): the coordinator and the housing managers see every unit of their
territory; a cell shows the stay's pseudonym only to the coordinator and to the housing managers of the
unit's organisation. Referents and professionals see the same grid without any pseudonym. Nobody sees an
address or, for a secret unit, a commune."""

import calendar as stdlib_calendar
import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from maillage.housing.availability import commune_shown, holding_stays_between
from maillage.housing.enums import StayStatus, UnitStatus
from maillage.housing.models import HousingUnit
from maillage.network.enums import Role

CALENDAR_ROLES = (Role.HOUSING_MANAGER, Role.COORDINATOR, Role.REFERENT, Role.PROFESSIONAL)

FREE, PLANNED, OCCUPIED, OUT_OF_SERVICE = "free", "planned", "occupied", "out_of_service"
STATE_LABELS = {FREE: "Libre", PLANNED: "Prévu", OCCUPIED: "Occupé", OUT_OF_SERVICE: "Hors service"}
STATE_SIGNS = {FREE: "", PLANNED: "P", OCCUPIED: "O", OUT_OF_SERVICE: "HS"}
MONTH_NAMES = [
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
WEEKDAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]


@dataclass
class Cell:
    day: datetime.date
    state: str = FREE
    pseudonym: str = ""

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def sign(self) -> str:
        return STATE_SIGNS[self.state]


@dataclass
class Row:
    unit: HousingUnit
    commune: str
    cells: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class NamedStay:
    """A stay listed under the grid, for a reader who may see its pseudonym."""

    unit_name: str
    pseudonym: str
    label: str
    starts_on: datetime.date
    ends_on: datetime.date


@dataclass
class MonthCalendar:
    first: datetime.date
    days: list[datetime.date]
    rows: list[Row]
    named_stays: list[NamedStay] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{MONTH_NAMES[self.first.month]} {self.first.year}"

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return self.first + datetime.timedelta(days=len(self.days))

    @property
    def weekdays(self) -> list[str]:
        return [WEEKDAYS[day.weekday()] for day in self.days]


def units_in_calendar(actor):
    """The units whose calendar `actor` may read: those of the actor's territory, for the roles above."""
    if not actor.has_role(*CALENDAR_ROLES):
        return HousingUnit.objects.none()
    return HousingUnit.objects.filter(territory=actor.territory)


def shows_pseudonym(actor, unit: HousingUnit) -> bool:
    """The coordinator, and the housing managers of the unit's organisation, see who a stay is for (as a
    pseudonym only); nobody else."""
    if actor.has_role(Role.COORDINATOR):
        return unit.territory_id == actor.territory.pk
    return actor.has_role(Role.HOUSING_MANAGER) and unit.organisation_id == actor.organisation.pk


def parse_month(value: str | None, today: datetime.date) -> datetime.date:
    """'2026-11' → 1 November 2026; anything else → this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def month_calendar(actor, first: datetime.date, *, today: datetime.date | None = None) -> MonthCalendar:
    """The calendar of the month starting `first` (its first day), in two queries."""
    today = today or timezone.localdate()
    first = first.replace(day=1)
    length = stdlib_calendar.monthrange(first.year, first.month)[1]
    days = [first + datetime.timedelta(days=i) for i in range(length)]
    after = first + datetime.timedelta(days=length)
    units = list(units_in_calendar(actor).select_related("commune").defer("address").order_by("name", "pk"))
    stays = (
        holding_stays_between(first, after)
        .filter(unit__in=[unit.pk for unit in units])
        .values_list("unit_id", "starts_on", "ends_on", "status", "situation__pseudonym")
    )
    rows = {
        unit.pk: Row(
            unit,
            commune_shown(unit),
            [
                Cell(
                    day, OUT_OF_SERVICE if unit.status == UnitStatus.OUT_OF_SERVICE and day >= today else FREE
                )
                for day in days
            ],
        )
        for unit in units
    }
    named = {unit.pk: shows_pseudonym(actor, unit) for unit in units}
    named_stays = []
    for unit_id, starts_on, ends_on, status, pseudonym in stays.order_by("unit__name", "starts_on"):
        state = PLANNED if status == StayStatus.PLANNED else OCCUPIED
        shown = pseudonym if named[unit_id] else ""
        for cell in rows[unit_id].cells:
            if starts_on <= cell.day < ends_on:
                cell.state = state
                cell.pseudonym = shown
        if shown:
            named_stays.append(
                NamedStay(rows[unit_id].unit.name, shown, STATE_LABELS[state], starts_on, ends_on)
            )
    return MonthCalendar(first, days, list(rows.values()), named_stays)
