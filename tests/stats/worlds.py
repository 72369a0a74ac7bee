"""A small territory with last year's situations in a small and a large commune, a coordinator and an
observer: what the statistics pages' tests read."""

import datetime

from django.utils import timezone

from maillage.network.enums import Role
from maillage.situations.enums import PersonRole, Sex
from maillage.situations.models import Situation
from tests.network.factories import MembershipFactory
from tests.situations.factories import PersonFactory, SituationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory


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
