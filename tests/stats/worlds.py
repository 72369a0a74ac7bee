"""Two worlds for the statistics' tests.

`DashboardWorld`: a small territory with last year's situations in a small and a large commune (3 and 12), a
coordinator and an observer.

`SmallWorld`: a territory of small counts for the published statistics (the API, the open-data file): last
year and the year before hold many cells from 1 to 10 — communes of 3 and 7 situations, a few victims per
age band, three referrals, a training of 4 people — so that any count leaking past the disclosure control
shows.
The running year holds two situations (refused to protected viewers); another territory holds its own."""

import datetime
from decimal import Decimal

from django.utils import timezone

from maillage.network.enums import OrganisationKind, ReferentKind, Role
from maillage.network.models import CommuneReferent
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus
from maillage.protection.models import ProtectiveMeasure
from maillage.referrals.enums import ReferralStatus
from maillage.referrals.models import Referral
from maillage.situations.enums import DetectionSource, LegalGround, PersonRole, Sex
from maillage.situations.models import Situation
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import PersonFactory, SituationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

THRESHOLD = 11  # the deployment's default (config.settings): no territory of this world sets its own
AGES = (16, 22, 30, 30, 41, 52, 67, None)
SOURCES = (DetectionSource.LAW_ENFORCEMENT, DetectionSource.HEALTH, DetectionSource.SCHOOL)


def this_year() -> int:
    return timezone.localdate().year


def moment(year: int, month: int = 6, day: int = 1) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, tzinfo=timezone.get_current_timezone())


class SmallWorld:
    def __init__(self):
        self.last_year = this_year() - 1
        self.years_before = this_year() - 2
        self.territory = t = TerritoryFactory(name="Territoire publié")
        self.small = CommuneFactory(territory=t, name="Petite-Commune")
        self.middle = CommuneFactory(territory=t, name="Moyenne-Commune")
        self.large = CommuneFactory(territory=t, name="Grande-Ville")
        self.gendarmerie = OrganisationFactory(
            name="Brigade publiée", kind=OrganisationKind.LAW_ENFORCEMENT, territories=[t]
        )
        self.association = OrganisationFactory(
            name="Association publiée", kind=OrganisationKind.ASSOCIATION, territories=[t]
        )
        self.coordinator = MembershipFactory(
            territory=t, organisation=self.gendarmerie, roles=[Role.COORDINATOR]
        )
        self.observer = MembershipFactory(territory=t, roles=[Role.OBSERVER])
        made = []
        for commune, count in ((self.small, 3), (self.middle, 7), (self.large, 14)):
            made += self.situations(commune, count, self.last_year)
        for commune, count in ((self.small, 2), (self.large, 5)):
            self.situations(commune, count, self.years_before)
        self.situations(self.small, 2, this_year())
        # Closed during last year: three of them.
        Situation.objects.filter(pk__in=[s.pk for s in made[:3]]).update(closed_at=moment(self.last_year, 9))
        for n, status in enumerate(
            (ReferralStatus.ACCEPTED, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)
        ):
            Referral.objects.create(
                situation=made[n],
                sender=self.gendarmerie,
                sent_by=self.coordinator,
                receiver=self.association,
                reason="Accompagnement",
                legal_ground=LegalGround.CONSENT,
                status=status,
                created_at=moment(self.last_year, 7),
            )
        for situation in made[:2]:
            measure = ProtectiveMeasure.objects.create(
                situation=situation,
                kind=MeasureKind.COMPLAINT,
                authority=Authority.PARQUET,
                status=MeasureStatus.REQUESTED,
                recorded_by=self.coordinator,
            )
            ProtectiveMeasure.objects.filter(pk=measure.pk).update(recorded_at=moment(self.last_year, 8))
        PreventionEvent.objects.create(
            territory=t,
            title="Stand au marché",
            kind=EventKind.STAND,
            held_on=datetime.date(self.last_year, 5, 4),
            commune=self.middle,
            audience=Audience.GENERAL_PUBLIC,
            people_reached=6,
            created_by=self.coordinator,
        )
        training = Training.objects.create(
            territory=t,
            title="Repérer les violences",
            topic=TrainingTopic.DETECTION,
            held_on=datetime.date(self.last_year, 3, 2),
            hours=Decimal("3"),
            created_by=self.coordinator,
        )
        training.trainer_organisations.set([self.association])
        TrainingAttendance.objects.create(training=training, organisation=self.gendarmerie, attendees=4)
        CommuneReferent.objects.create(
            commune=self.small, membership=self.coordinator, kind=ReferentKind.ELECTED
        )
        self.build_elsewhere()

    def situations(self, commune, count: int, year: int) -> list[Situation]:
        made = []
        for n in range(count):
            situation = SituationFactory(
                territory=commune.territory,
                commune=commune,
                created_by=self.coordinator,
                sources=[SOURCES[n % len(SOURCES)].value],
            )
            Situation.objects.filter(pk=situation.pk).update(created_at=moment(year, 1 + n % 12))
            PersonFactory(
                situation=situation,
                role=PersonRole.VICTIM,
                sex=Sex.MALE if n % 5 == 4 else Sex.FEMALE,
                age=AGES[n % len(AGES)],
            )
            if n % 3 == 1:
                PersonFactory(situation=situation, child=True)
            made.append(situation)
        return made

    def build_elsewhere(self):
        """Another territory: its coordinator counts its own four situations, none of these."""
        self.other_territory = TerritoryFactory(name="Territoire voisin")
        self.other_commune = CommuneFactory(territory=self.other_territory, name="Ailleurs-sur-Mer")
        self.other_coordinator = MembershipFactory(territory=self.other_territory, roles=[Role.COORDINATOR])
        for n in range(4):
            situation = SituationFactory(
                territory=self.other_territory, commune=self.other_commune, created_by=self.other_coordinator
            )
            Situation.objects.filter(pk=situation.pk).update(created_at=moment(self.last_year, 2 + n))
            PersonFactory(situation=situation, role=PersonRole.VICTIM, age=35)


def numbers(value):
    """Every number in a JSON value, at any depth (booleans are not numbers)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from numbers(item)


def strings(value):
    """Every string in a JSON value, at any depth (dictionary keys excluded)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def small_counts(value, threshold: int = THRESHOLD) -> list:
    """The numbers of a JSON value that disclosure control must never let out: 1 to threshold − 1."""
    return [number for number in numbers(value) if 1 <= number < threshold]


def last_year() -> int:
    return timezone.localdate().year - 1


class DashboardWorld:
    def __init__(self):
        self.territory = TerritoryFactory(name="Territoire compté")
        self.small = CommuneFactory(territory=self.territory, name="Petite-Commune")
        self.large = CommuneFactory(territory=self.territory, name="Grande-Ville")
        self.coordinator = MembershipFactory(territory=self.territory, roles=[Role.COORDINATOR])
        self.observer = MembershipFactory(territory=self.territory, roles=[Role.OBSERVER])
        moment = datetime.datetime(last_year(), 6, 1, 10, tzinfo=timezone.get_current_timezone())
        # Three situations in the small commune, twelve in the large one, last year.
        for commune, count in ((self.small, 3), (self.large, 12)):
            for _ in range(count):
                situation = SituationFactory(
                    territory=self.territory, commune=commune, created_by=self.coordinator
                )
                Situation.objects.filter(pk=situation.pk).update(created_at=moment)
                PersonFactory(situation=situation, role=PersonRole.VICTIM, sex=Sex.FEMALE, age=30)
