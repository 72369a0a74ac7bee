"""Emergency housing of the demonstration: the town's two flats (kept by the CCAS des Herbiers) and the
SOS Femmes Vendée refuge (secret: no commune, its address `REFUGE_DEMO_ADDRESS` a unique string the canary
tests look for), with two years of stays on demo situations — 4 to 5 a year (DOMAIN.md §6), one in
progress that ends within the reminder period and one planned.

Written through the housing services at their moment of the history, under the demo clock (planned on the
same history as the situations, so the audit trail stays in time order): each unit created by its housing
manager; each stay requested from a situation by someone who follows it, the evening before, allocated two
hours later, checked in on its first evening and checked out on its last morning with an exit solution.
Which situation is decided when the request is made: an open, unrestricted situation of that moment (not
the canary) reported in the month before, still followed when the stay ends. Draws come from their own seed,
so the rest of the demo does not change."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from maillage.housing import capacity, stay_policies
from maillage.housing.enums import ExitSolution, StayStatus
from maillage.housing.models import HousingUnit, Stay
from maillage.housing.services import stays as stay_services
from maillage.housing.services import units as unit_services
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership
from maillage.situations.enums import PersonRole, SituationStatus
from maillage.situations.models import Situation

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

UNITS_CREATED_DAYS_AGO = 2 * 365 + 30
REQUEST_HOUR, ANSWER_HOURS, CHECK_IN_HOUR, CHECK_OUT_HOUR = 18, 2, 21, 10


class DemoHousing:
    """Planned on `DemoSituations`' history (mixed into it)."""

    def plan_housing(self) -> None:
        self.housing_rng = random.Random(SEED)  # noqa: S311 — fictional demo data, not security
        self.units: dict[str, HousingUnit] = {}
        self.stays_used: set[int] = set()
        self.housing_requests: dict[int, object] = {}
        self.housing_stays: dict[int, Stay] = {}
        today = self.now.date()
        self.history.at(self.housing_moment(today - UNITS_CREATED_DAYS_AGO * DAY, 10), self.create_units)
        plan = [(key, ago, nights, StayStatus.ENDED, exit) for key, ago, nights, exit in ENDED]
        plan.append((*IN_PROGRESS, StayStatus.IN_PROGRESS, ""))
        plan.append((*PLANNED, StayStatus.PLANNED, ""))
        for index, (key, ago, nights, status, exit_solution) in enumerate(plan):
            starts_on = today - ago * DAY
            ends_on = starts_on + nights * DAY
            asked_on = starts_on - DAY if status != StayStatus.PLANNED else today - DAY
            steps = [(asked_on, REQUEST_HOUR, "request"), (asked_on, REQUEST_HOUR + ANSWER_HOURS, "allocate")]
            if status != StayStatus.PLANNED:
                steps.append((starts_on, CHECK_IN_HOUR, "check_in"))
            if status == StayStatus.ENDED:
                steps.append((ends_on, CHECK_OUT_HOUR, "check_out"))
            stay = {
                "unit": key,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "exit_solution": exit_solution,
                "urgent": status != StayStatus.PLANNED,
            }
            for day, hour, step in steps:
                self.history.at(
                    self.housing_moment(day, hour),
                    lambda index=index, step=step, stay=stay: self.housing_step(index, step, stay),
                )

    def housing_moment(self, day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.tz)

    def housing_manager(self, unit_key: str) -> Actor | None:
        organisation = self.cast.organisations.get(UNITS[unit_key]["organisation"])
        membership = (
            Membership.objects.active()
            .with_role(Role.HOUSING_MANAGER)
            .filter(territory=self.territory, organisation=organisation)
            .select_related("user", "organisation", "territory")
            .order_by("pk")
            .first()
        )
        return Actor.from_membership(membership.user, membership, [membership]) if membership else None

    def create_units(self) -> None:
        for key, spec in UNITS.items():
            manager = self.housing_manager(key)
            if manager is None:
                continue
            spec = {name: value for name, value in spec.items() if name != "organisation"}
            commune = spec.pop("commune", None)
            self.units[key] = unit_services.unit_create(
                actor=manager,
                commune=self.territory.communes.get(name=commune) if commune else None,
                **spec,
            )

    def housing_step(self, index: int, step: str, plan: dict) -> None:
        unit, manager = self.units.get(plan["unit"]), self.housing_manager(plan["unit"])
        if unit is None or manager is None:
            return
        if step == "request":
            self.housing_request(index, unit, plan)
            return
        request = self.housing_requests.get(index)
        if request is None:
            return
        if step == "allocate":
            self.housing_stays[index] = stay_services.stay_allocate(
                actor=manager,
                request=request,
                unit=unit,
                starts_on=plan["starts_on"],
                ends_on=plan["ends_on"],
            )
        elif step == "check_in":
            self.housing_stays[index] = stay_services.stay_check_in(
                actor=manager, stay=self.housing_stays[index]
            )
        else:
            self.housing_stays[index] = stay_services.stay_check_out(
                actor=manager, stay=self.housing_stays[index], exit_solution=plan["exit_solution"]
            )

    def housing_request(self, index: int, unit: HousingUnit, plan: dict) -> None:
        found = self.housing_candidate(plan["starts_on"], plan["ends_on"])
        if found is None:
            return
        situation, requester = found
        self.stays_used.add(situation.pk)
        children = situation.persons.filter(role=PersonRole.CHILD).count()
        ages = sorted((self.housing_rng.randint(0, 15) for _ in range(children)), reverse=True)
        # The children who come along: as many as the unit takes (the eldest may stay with relatives).
        while ages and not capacity.fits(unit, 1, len(ages), capacity.older_children(ages)):
            ages.pop(0)
        self.housing_requests[index] = stay_services.stay_request_create(
            actor=requester,
            situation=situation,
            adults=1,
            children_ages=ages,
            urgent=plan["urgent"],
            wished_from=plan["starts_on"],
            wished_until=plan["ends_on"],
        )

    def housing_candidate(self, starts_on: datetime.date, ends_on: datetime.date):
        """(situation, requester) for a stay asked now, or None: an open, unrestricted situation (not the
        canary) still followed when the stay ends, whose reporter (or else the coordinator) may request it —
        one reported in the month before if there is one, else the year before, else earlier; a household
        housed before only when no other is left (a small demo)."""
        special = {s.pk for key, s in self.situations.items() if key in ("canary", "restricted")}
        ending, now = self.housing_moment(ends_on, CHECK_OUT_HOUR + 1), timezone.now()
        # Open now and not closed before the stay ends: its closure is after the stay, or already past (it
        # was reopened since, and stays open).
        keys = {
            self.situations[key].pk: key
            for key, planned in self.planned.items()
            if key in self.situations and (planned.closing > ending or planned.closing <= now)
        }
        open_now = list(
            Situation.objects.filter(territory=self.territory, restricted=False, pk__in=keys)
            .exclude(status=SituationStatus.CLOSED)
            .exclude(pk__in=special)
            .order_by("detected_on", "pk")
        )
        fresh = [s for s in open_now if s.pk not in self.stays_used]
        tiers = [
            [s for s in fresh if starts_on - window <= s.detected_on <= starts_on]
            for window in (30 * DAY, 365 * DAY, 3 * 365 * DAY)
        ]
        for candidates in [*tiers, [s for s in open_now if s.detected_on <= starts_on]]:
            if not candidates:
                continue
            situation = self.housing_rng.choice(candidates)
            for requester in (self.planned[keys[situation.pk]].reporter, self.coordinator):
                if stay_policies.can_request(requester, situation):
                    return situation, requester
        return None

    def housing_summary(self) -> dict:
        units = HousingUnit.objects.filter(territory=self.territory)
        return {"units": units.count(), "stays": Stay.objects.filter(unit__in=units).count()}
