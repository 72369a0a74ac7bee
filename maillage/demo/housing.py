"""Emergency housing of the demonstration: the town's two flats (kept by the CCAS des Herbiers) and the
SOS Femmes Vendée refuge (secret: no commune, its address `REFUGE_DEMO_ADDRESS` a unique string the canary
tests look for), with two years of stays on demo situations — 4 to 5 a year (DOMAIN.md §6), one in
progress that ends within the reminder period and one planned.

Written through the ORM once the situations' history is replayed (the housing services belong to the
units' and stays' parts); each row carries the moment it happened. Draws come from their own seed, so the
rest of the demo does not change."""

import datetime
import random

from django.db.models import Count, Q
from django.utils import timezone

from maillage.demo.clock import demo_clock
from maillage.housing.enums import ExitSolution, RequestStatus, StayStatus
from maillage.housing.models import HousingUnit, Stay, StayRequest
from maillage.network.enums import Role
from maillage.network.models import Membership, Organisation
from maillage.situations.enums import PersonRole
from maillage.situations.models import Situation
from maillage.territories.models import Territory

SEED = 20241125
DAY = datetime.timedelta(days=1)
# Unique in the whole demo: the canary tests look for it in every page, e-mail, log and export.
REFUGE_DEMO_ADDRESS = (
    "Refuge de démonstration, 14 allée des Grives-Musiciennes (adresse fictive tenue secrète)"
)
TOWN = "CCAS des Herbiers"
REFUGE_ORGANISATION = "SOS Femmes Vendée"

UNITS = {
    "flat": {
        "organisation": TOWN,
        "name": "Logement d'accueil des Tisserands",
        "commune": "Les Herbiers",
        "address": "3 rue des Tisserands, appartement 2, 85500 Les Herbiers",
        "adults": 1,
        "children": 2,
        "cots": 1,
        "accessible": True,
        "rules": "Non-fumeur. Clés remises par le CCAS ou la gendarmerie en dehors des heures d'ouverture.",
    },
    "studio": {
        "organisation": TOWN,
        "name": "Studio de dépannage",
        "commune": "Les Herbiers",
        "address": "12 place du Marché, 85500 Les Herbiers",
        "adults": 1,
        "children": 1,
        "pets_allowed": True,
        "rules": "Petit animal accepté.",
    },
    "refuge": {
        "organisation": REFUGE_ORGANISATION,
        "name": "Appartement refuge",
        "secret": True,
        "address": REFUGE_DEMO_ADDRESS,
        "adults": 1,
        "children": 3,
        "cots": 1,
        "rules": "Adresse confidentielle : ne la communiquez à personne, pas même aux proches.",
    },
}

E = ExitSolution
# (unit, days ago it starts, nights, exit solution) — ended stays, oldest first; then the current ones.
ENDED = [
    ("flat", 700, 12, E.HOME_AFTER_EVICTION),
    ("refuge", 610, 21, E.SIAO),
    ("studio", 540, 9, E.RELATIVES),
    ("refuge", 420, 30, E.SOCIAL_HOUSING),
    ("flat", 330, 14, E.RELATIVES),
    ("refuge", 250, 45, E.SOCIAL_HOUSING),
    ("studio", 160, 7, E.HOME_AFTER_EVICTION),
    ("flat", 75, 20, E.OTHER),
]
IN_PROGRESS = ("refuge", 12, 14)  # leaves in two days: reminded by the first worker run
PLANNED = ("flat", -5, 10)  # arrives in five days


def load_units(territory: Territory, when: datetime.datetime) -> dict[str, HousingUnit]:
    units = {}
    with demo_clock(when):
        for key, spec in UNITS.items():
            spec = dict(spec)
            organisation = Organisation.objects.get(name=spec.pop("organisation"))
            commune = spec.pop("commune", None)
            units[key] = HousingUnit.objects.create(
                territory=territory,
                organisation=organisation,
                commune=territory.communes.get(name=commune) if commune else None,
                **spec,
            )
    return units


def load_housing(territory: Territory) -> dict:
    """The units, and their stays on the territory's situations; returns what the command prints."""
    today = timezone.localdate()
    units = load_units(territory, timezone.now() - datetime.timedelta(days=2 * 365 + 30))
    managers = {
        key: Membership.objects.active()
        .with_role(Role.HOUSING_MANAGER)
        .filter(territory=territory, organisation=unit.organisation)
        .order_by("pk")
        .first()
        for key, unit in units.items()
    }
    situations = list(
        Situation.objects.filter(territory=territory, restricted=False)
        .annotate(child_count=Count("persons", filter=Q(persons__role=PersonRole.CHILD)))
        .order_by("detected_on", "pk")
    )
    rng = random.Random(SEED)  # noqa: S311 — fictional demo data, not security
    used: set[int] = set()
    plan = [(key, ago, nights, StayStatus.ENDED, exit) for key, ago, nights, exit in ENDED]
    plan.append((*IN_PROGRESS, StayStatus.IN_PROGRESS, ""))
    plan.append((*PLANNED, StayStatus.PLANNED, ""))
    stays = 0
    for key, ago, nights, status, exit_solution in plan:
        starts_on = today - ago * DAY
        ends_on = starts_on + nights * DAY
        situation = _situation_for(situations, used, starts_on, ends_on, rng)
        if situation is None or managers[key] is None:
            continue
        used.add(situation.pk)
        ages = sorted(rng.randint(0, 15) for _ in range(min(situation.child_count, 4)))
        _stay(units[key], situation, managers[key], starts_on, ends_on, status, exit_solution, ages)
        stays += 1
    return {"units": len(units), "stays": stays}


def _situation_for(situations, used, starts_on, ends_on, rng) -> Situation | None:
    """A situation reported in the month before the stay and still followed at its end."""

    def fits(s, window):
        closed = s.closed_at is not None and timezone.localdate(s.closed_at) < ends_on
        return s.pk not in used and starts_on - window <= s.detected_on <= starts_on and not closed

    for window in (30 * DAY, 365 * DAY, 3 * 365 * DAY):
        candidates = [s for s in situations if fits(s, window) and s.created_by_id]
        if candidates:
            return rng.choice(candidates)
    return None


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _stay(unit, situation, manager, starts_on, ends_on, status, exit_solution, ages) -> Stay:
    children = min(len(ages), unit.children + unit.cots)
    asked = _at(starts_on - DAY if status != StayStatus.PLANNED else timezone.localdate() - DAY, 18)
    asked = min(asked, timezone.now())
    request = StayRequest.objects.create(
        territory=unit.territory,
        situation=situation,
        requested_by=situation.created_by,
        adults=1,
        children_ages=ages,
        urgent=status != StayStatus.PLANNED,
        wished_from=starts_on,
        wished_until=ends_on,
        status=RequestStatus.ALLOCATED,
        answered_by=manager,
        answered_at=asked + datetime.timedelta(hours=2),
        created_at=asked,
    )
    return Stay.objects.create(
        unit=unit,
        request=request,
        situation=situation,
        adults=1,
        children=children,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        checked_in_at=_at(starts_on, 21) if status != StayStatus.PLANNED else None,
        checked_out_at=_at(ends_on, 10) if status == StayStatus.ENDED else None,
        exit_solution=exit_solution,
        allocated_by=manager,
        created_at=asked + datetime.timedelta(hours=2),
    )
