"""Prevention events and trainings of the demonstration (ADR 0036): what the Pays des Herbiers' partners ran
over the history's years, recorded by the members who ran them, at their moment of the history, through the
prevention services under the demo clock (planned on the same history as the situations, so the audit trail
stays in time order).

Each year: two talks in the collège's classes (planned three weeks ahead by its CPE, the count of pupils added
the day after), the violentomètre campaign in March (posters and bookmarks in the town halls and surgeries,
recorded by the community's prevention officer when it starts, its reach when it ends), stands at the
Herbiers market, an article in the local press on the contract's anniversary, a public evening in one of the
smaller communes (recorded by its referent), and 25 November: the march in Les Herbiers and an evening in
another commune. Trainings: detection for the mayors' referents (CIDFF and gendarmerie), receiving a victim
for reception staff (France Victimes), danger assessment for professionals (gendarmerie and SOS Femmes),
and once the children exposed to violence; each recorded the day after with its attendees per organisation.
An event coming in the next weeks is already recorded, without a count. Counts come from their own seed, so
the rest of the demo does not change."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from maillage.demo.clock import history_start
from maillage.network.actor import Actor
from maillage.prevention import services as prevention_services
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance

SEED = 20221125
DAY = datetime.timedelta(days=1)
SETTLING_DAYS = 45  # the network records its first actions a few weeks after it starts
PLANNED_DAYS_BEFORE = 21

COORDINATOR = "claire.mercier@exemple.fr"
CPE = "sebastien.martin@exemple.fr"  # the collège's conseiller principal d'éducation
PREVENTION_OFFICER = "elodie.chauvet@exemple.fr"  # the community's chargée de prévention
CIDFF = "nadia.benali@exemple.fr"
FRANCE_VICTIMES = "lucas.fabre@exemple.fr"
GENDARME = "emma.dupuis@exemple.fr"
SCHOOL_NURSE = "florence.dumas@exemple.fr"

COLLEGE = "Collège public du Pays des Herbiers"
EPCI = "Communauté de communes du Pays des Herbiers"
TOWN_HALLS = [
    "Mairie des Herbiers",
    "Mairie de Mouchamps",
    "Mairie des Épesses",
    "Mairie de Beaurepaire",
    "Mairie de Vendrennes",
    "Mairie de Mesnard-la-Barotière",
    "Mairie de Saint-Paul-en-Pareds",
    "Mairie de Saint-Mars-la-Réorthe",
]
# The public evening moves from commune to commune, year after year.
EVENING_COMMUNES = ["Mouchamps", "Les Épesses", "Beaurepaire", "Vendrennes", "Saint-Mars-la-Réorthe"]
NOVEMBER_EVENING_COMMUNES = ["Saint-Paul-en-Pareds", "Mesnard-la-Barotière", "Mouchamps", "Beaurepaire"]


@dataclass
class Planned:
    """One event or training: recorded by `author` at `recorded` (when planned: without a count), its count
    added by `author` at `completed`."""

    kind: str  # "event" or "training"
    day: datetime.date
    author: str
    values: dict
    recorded: datetime.datetime
    completed: datetime.datetime | None = None
    count: int | None = None
    rows: list[tuple[str, int]] = field(default_factory=list)


def weekday_near(day: datetime.date, weekday: int) -> datetime.date:
    """The day of the week `weekday` (Monday 0) nearest to `day`."""
    return day + datetime.timedelta(days=(weekday - day.weekday() + 3) % 7 - 3)


def in_commune(name: str) -> str:
    """« à Mouchamps », « aux Épesses », « aux Herbiers »."""
    return f"aux {name.removeprefix('Les ')}" if name.startswith("Les ") else f"à {name}"


class DemoPrevention:
    """Planned on `DemoSituations`' history (mixed into it)."""

    def plan_prevention(self) -> None:
        self.prevention_rng = random.Random(SEED)  # noqa: S311 — fictional demo data, not security
        first = history_start(self.now).date() + SETTLING_DAYS * DAY
        horizon = self.now.date() + 60 * DAY
        self.prevention_records: dict[int, object] = {}
        plans: list[Planned] = []
        for index, year in enumerate(range(first.year, horizon.year + 1)):
            plans += self.prevention_year(index, year)
        plans.append(self.prevention_upcoming())
        for number, plan in enumerate(sorted(plans, key=lambda p: p.day)):
            if not first <= plan.day <= horizon:
                continue
            self.history.at(
                plan.recorded, lambda number=number, plan=plan: self.prevention_record(number, plan)
            )
            if plan.completed is not None:
                self.history.at(
                    plan.completed, lambda number=number, plan=plan: self.prevention_complete(number, plan)
                )

    def prevention_at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    # ------------------------------------------------------------------------------------- one year

    def prevention_year(self, index: int, year: int) -> list[Planned]:
        rng = self.prevention_rng
        plans = []
        # The collège: two talks a year, planned three weeks ahead by its CPE, the count the day after.
        for month, day, level, classes in ((2, 10, "4e", 5), (5, 12, "3e", 5)):
            talk_day = weekday_near(datetime.date(year, month, day), 1)
            plans.append(
                self.planned_event(
                    talk_day,
                    CPE,
                    planned=True,
                    count=classes * rng.randint(24, 28),
                    title=f"Intervention au collège — classes de {level} : relations filles-garçons",
                    kind=EventKind.SCHOOL_TALK,
                    commune="Les Herbiers",
                    audience=Audience.PUPILS,
                    organisations=[COLLEGE, "CIDFF de la Vendée", "Gendarmerie — brigade des Herbiers"],
                    materials="Violentomètre, saynètes jouées par les élèves, quiz",
                    description=(
                        "Deux heures par classe, animées par la juriste du CIDFF et la gendarme référente "
                        "violences intrafamiliales, en présence de l'infirmière scolaire."
                    ),
                )
            )
        # The violentomètre campaign, all March: recorded when it starts, its reach when it ends.
        campaign = datetime.date(year, 3, 1)
        plans.append(
            self.planned_event(
                campaign,
                PREVENTION_OFFICER,
                running_until=datetime.date(year, 3, 31),
                count=rng.randint(18, 26) * 100,
                title="Campagne du violentomètre dans les mairies et les cabinets médicaux",
                kind=EventKind.CAMPAIGN,
                commune=None,
                audience=Audience.GENERAL_PUBLIC,
                organisations=[EPCI, *TOWN_HALLS, "Maison de santé pluriprofessionnelle des Herbiers"],
                materials="Affiches et marque-pages du violentomètre, numéros 3919 et 17",
                description="Affiches dans les mairies et à la maison de santé, marque-pages aux accueils.",
            )
        )
        # Stands at the market: around 8 March and in June, on a Saturday morning.
        for month, day in ((3, 8), (6, 14)):
            plans.append(
                self.planned_event(
                    weekday_near(datetime.date(year, month, day), 5),
                    CIDFF,
                    count=rng.randint(50, 120),
                    title="Stand d'information au marché des Herbiers",
                    kind=EventKind.STAND,
                    commune="Les Herbiers",
                    audience=Audience.GENERAL_PUBLIC,
                    organisations=["CIDFF de la Vendée", "France Victimes 85"],
                    materials="Violentomètre, plaquettes des numéros d'urgence, carte des permanences",
                )
            )
        # The local press, on the contract's anniversary.
        plans.append(
            self.planned_event(
                datetime.date(year, 6, 28),
                COORDINATOR,
                count=rng.randint(70, 95) * 100,
                title="Article dans la presse locale : le contrat local contre les violences, un an de plus",
                kind=EventKind.PRESS,
                commune=None,
                audience=Audience.GENERAL_PUBLIC,
                organisations=[EPCI],
                materials="Communiqué, photo de la signature, numéros d'urgence",
                description="Tirage estimé de l'édition locale (lecteurs touchés).",
            )
        )
        # A public evening in one of the smaller communes, in October, recorded by its referent.
        commune = EVENING_COMMUNES[index % len(EVENING_COMMUNES)]
        plans.append(
            self.planned_event(
                weekday_near(datetime.date(year, 10, 9), 3),
                self.prevention_referent(commune),
                count=rng.randint(28, 70),
                title=f"Soirée-débat {in_commune(commune)} : violences conjugales, en parler et agir",
                kind=EventKind.PUBLIC_EVENT,
                commune=commune,
                audience=Audience.GENERAL_PUBLIC,
                organisations=["CIDFF de la Vendée", "Gendarmerie — brigade des Herbiers"],
                materials="Court métrage, témoignage lu, violentomètre",
            )
        )
        # 25 November: the march in Les Herbiers, and an evening elsewhere.
        plans.append(
            self.planned_event(
                datetime.date(year, 11, 25),
                COORDINATOR,
                count=rng.randint(220, 420),
                title="25 novembre : marche et stand place du Champ de Foire",
                kind=EventKind.NOVEMBER_25,
                commune="Les Herbiers",
                audience=Audience.GENERAL_PUBLIC,
                organisations=[
                    EPCI,
                    "Mairie des Herbiers",
                    "CIDFF de la Vendée",
                    "SOS Femmes Vendée",
                    "Gendarmerie — brigade des Herbiers",
                ],
                materials="Rubans blancs, violentomètre, minute de silence",
            )
        )
        evening = NOVEMBER_EVENING_COMMUNES[index % len(NOVEMBER_EVENING_COMMUNES)]
        plans.append(
            self.planned_event(
                weekday_near(datetime.date(year, 11, 27), 4),
                self.prevention_referent(evening),
                count=rng.randint(25, 60),
                title=f"Ciné-débat du 25 novembre {in_commune(evening)}",
                kind=EventKind.NOVEMBER_25,
                commune=evening,
                audience=Audience.GENERAL_PUBLIC,
                organisations=["France Victimes 85"],
                materials="Film, échange avec une juriste de France Victimes",
            )
        )
        plans += self.prevention_trainings(index, year)
        return plans

    def prevention_trainings(self, index: int, year: int) -> list[Planned]:
        rng = self.prevention_rng
        plans = [
            self.planned_training(
                weekday_near(datetime.date(year, 10, 16), 1),
                CIDFF,
                rows=[(name, rng.randint(1, 2)) for name in TOWN_HALLS] + [(EPCI, rng.randint(1, 3))],
                title="Repérer les violences conjugales — personnes référentes des mairies",
                topic=TrainingTopic.DETECTION,
                hours=Decimal("3"),
                commune="Les Herbiers",
                trainer_organisations=["CIDFF de la Vendée", "Gendarmerie — brigade des Herbiers"],
                trainers="Juriste du CIDFF, gendarme référente violences intrafamiliales",
            ),
            self.planned_training(
                weekday_near(datetime.date(year, 3, 21), 3),
                FRANCE_VICTIMES,
                rows=[
                    ("Mairie des Herbiers", rng.randint(3, 5)),
                    ("CCAS des Herbiers", rng.randint(2, 4)),
                    ("Maison départementale des solidarités des Herbiers", rng.randint(1, 3)),
                    ("Mairie de Beaurepaire", 1),
                    ("Vendée Habitat", rng.randint(1, 2)),
                    ("Gendarmerie — brigade des Herbiers", rng.randint(1, 3)),
                ],
                title="Accueillir une victime au guichet — personnels d'accueil",
                topic=TrainingTopic.RECEPTION,
                hours=Decimal("2.5"),
                commune="Les Herbiers",
                trainer_organisations=["France Victimes 85"],
                trainers="Juriste d'aide aux victimes de France Victimes 85",
            ),
            self.planned_training(
                weekday_near(datetime.date(year, 6, 5), 1),
                GENDARME,
                rows=[
                    ("Centre hospitalier Loire Vendée Océan", rng.randint(2, 4)),
                    ("Maison de santé pluriprofessionnelle des Herbiers", rng.randint(1, 3)),
                    ("Maison départementale des solidarités des Herbiers", rng.randint(2, 4)),
                    ("CCAS des Herbiers", rng.randint(1, 2)),
                    ("CIDFF de la Vendée", 1),
                    ("France Victimes 85", 1),
                ],
                title="Évaluer le danger : la grille et le jugement professionnel",
                topic=TrainingTopic.DANGER_ASSESSMENT,
                hours=Decimal("6"),
                commune="Les Herbiers",
                trainer_organisations=["Gendarmerie — brigade des Herbiers", "SOS Femmes Vendée"],
                trainers="Gendarme référente violences intrafamiliales, intervenante sociale de SOS Femmes",
            ),
        ]
        if index == 1:
            plans.append(
                self.planned_training(
                    weekday_near(datetime.date(year, 1, 23), 1),
                    SCHOOL_NURSE,
                    rows=[
                        (COLLEGE, rng.randint(4, 7)),
                        ("Maison départementale des solidarités des Herbiers", rng.randint(2, 3)),
                        ("Maison de santé pluriprofessionnelle des Herbiers", 1),
                    ],
                    title="Les enfants exposés aux violences conjugales",
                    topic=TrainingTopic.CHILDREN,
                    hours=Decimal("3.5"),
                    commune="Les Herbiers",
                    trainer_organisations=["Maison départementale des solidarités des Herbiers"],
                    trainers="Infirmière scolaire, assistante sociale de secteur",
                )
            )
        return plans

    def prevention_upcoming(self) -> Planned:
        """An evening for the collège's parents in about two weeks, recorded last week, not yet held."""
        day = weekday_near(self.now.date() + 16 * DAY, 3)
        plan = self.planned_event(
            day,
            CPE,
            planned=True,
            count=0,
            title="Soirée d'information des parents d'élèves du collège",
            kind=EventKind.PUBLIC_EVENT,
            commune="Les Herbiers",
            audience=Audience.PARENTS,
            organisations=[COLLEGE, "CIDFF de la Vendée"],
            materials="Violentomètre, plaquette « Parler des violences avec son adolescent »",
        )
        plan.recorded, plan.completed = self.prevention_at(self.now.date() - 6 * DAY, 10), None
        return plan

    def prevention_referent(self, commune_name: str) -> str:
        commune = self.territory.communes.get(name=commune_name)
        referents = sorted(self.cast.referents[commune.pk], key=lambda actor: actor.membership.pk)
        return referents[0].user.email

    # ------------------------------------------------------------------------------------------- plans

    def planned_event(
        self,
        day: datetime.date,
        author: str,
        *,
        count: int,
        planned: bool = False,
        running_until: datetime.date | None = None,
        **values,
    ) -> Planned:
        if running_until is not None:  # a campaign: recorded as it starts, its reach once over
            values["ends_on"] = running_until
            recorded, completed = self.prevention_at(day, 10), self.prevention_at(running_until + DAY, 9, 30)
        elif planned:
            recorded = self.prevention_at(day - PLANNED_DAYS_BEFORE * DAY, 10)
            completed = self.prevention_at(day + DAY, 9, 30)
        else:
            recorded, completed = self.prevention_at(day, 18, 30), None
        return Planned("event", day, author, {"held_on": day, **values}, recorded, completed, count)

    def planned_training(self, day: datetime.date, author: str, *, rows, **values) -> Planned:
        # Recorded the morning after the session, with its attendance sheet.
        return Planned(
            "training", day, author, {"held_on": day, **values}, self.prevention_at(day + DAY, 9), rows=rows
        )

    # ---------------------------------------------------------------------------------------- replay

    def prevention_actor(self, email: str) -> Actor:
        return self.cast.by_email[email]

    def prevention_values(self, values: dict, organisations_field: str) -> dict:
        values = dict(values)
        commune = values.pop("commune", None)
        values["commune"] = self.territory.communes.get(name=commune) if commune else None
        values[organisations_field] = [self.cast.organisations[name] for name in values[organisations_field]]
        return values

    def prevention_record(self, number: int, plan: Planned) -> None:
        actor = self.prevention_actor(plan.author)
        if plan.kind == "training":
            self.prevention_records[number] = prevention_services.training_record(
                actor=actor,
                attendances=[(self.cast.organisations[name], count) for name, count in plan.rows],
                **self.prevention_values(plan.values, "trainer_organisations"),
            )
            return
        values = self.prevention_values(plan.values, "organisations")
        held = plan.completed is None and plan.day <= plan.recorded.date()  # recorded on the day
        self.prevention_records[number] = prevention_services.event_record(
            actor=actor, people_reached=plan.count if held else None, **values
        )

    def prevention_complete(self, number: int, plan: Planned) -> None:
        event = PreventionEvent.objects.get(pk=self.prevention_records[number].pk)
        prevention_services.event_update(
            actor=self.prevention_actor(plan.author),
            event=event,
            version=event.version,
            organisations=list(event.organisations.all()),
            **{
                name: getattr(event, name)
                for name in prevention_services.EVENT_FIELDS
                if name != "people_reached"
            },
            people_reached=plan.count,
        )

    def prevention_summary(self) -> dict:
        events = PreventionEvent.objects.filter(territory=self.territory)
        trainings = Training.objects.filter(territory=self.territory)
        attendance = TrainingAttendance.objects.filter(training__in=trainings)
        return {
            "events": events.count(),
            "people": events.aggregate(total=Sum("people_reached"))["total"] or 0,
            "trainings": trainings.count(),
            "attendees": attendance.aggregate(total=Sum("attendees"))["total"] or 0,
            "organisations": attendance.values("organisation").distinct().count(),
        }
