"""The stay tests' world: the situation tests' small network (tests/situations/worlds.py), a unit lent by
the CCAS (whose housing manager answers), a situation reported by the gendarmerie in Mouchamps (so the
Mouchamps referent follows it too), and a housing manager of another territory. Requests and stays go
through the real services."""

import datetime

import factory
from django.utils import timezone

from maillage.housing.models import HousingUnit
from maillage.housing.services import stays
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import actor_of, report_situation
from tests.situations.worlds import Network
from tests.territories.factories import TerritoryFactory

# A unit's address: it must appear nowhere the requester's side can read.
SECRET_ADDRESS = "14 chemin des Ajoncs-Secrets"


class HousingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingUnit

    name = factory.Sequence(lambda n: f"Logement d'accueil {n + 1}")
    address = SECRET_ADDRESS
    adults = 2
    children = 2
    cots = 1


def today() -> datetime.date:
    return timezone.localdate()


class StayWorld:
    def __init__(self):
        self.net = net = Network()
        self.unit = HousingUnitFactory(territory=net.territory, organisation=net.ccas, name="Studio du CCAS")
        self.situation = report_situation(net.actor("gendarme"), commune=net.mouchamps)
        elsewhere = TerritoryFactory(name="Pays de Pouzauges")
        other_org = OrganisationFactory(name="Bailleur de Pouzauges", territories=[elsewhere])
        HousingUnitFactory(territory=elsewhere, organisation=other_org, name="Logement de Pouzauges")
        net.memberships["housing_manager_elsewhere"] = MembershipFactory(
            territory=elsewhere, organisation=other_org, roles=["housing_manager"]
        )
        # An organisation with no unit in the territory: its housing manager answers nothing.
        net.memberships["housing_manager_no_unit"] = net._member(net.cidff, ["housing_manager"])

    def actor(self, name):
        return actor_of(self.net[name])

    def client(self, name):
        return self.net.client(name)

    def request(self, by="referent", *, adults=1, children_ages=(4, 9), urgent=False, days=0, **kwargs):
        return stays.stay_request_create(
            actor=self.actor(by),
            situation=kwargs.pop("situation", self.situation),
            adults=adults,
            children_ages=list(children_ages),
            urgent=urgent,
            wished_from=today() + datetime.timedelta(days=days),
            wished_until=kwargs.pop("wished_until", None),
            notes=kwargs.pop("notes", "Le conjoint connaît l'école des enfants."),
        )

    def allocate(self, request, unit=None, *, by="housing_manager", start=0, nights=7):
        starts_on = today() + datetime.timedelta(days=start)
        return stays.stay_allocate(
            actor=self.actor(by),
            request=request,
            unit=unit or self.unit,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=nights),
        )

    def another_situation(self):
        return report_situation(self.net.actor("gendarme"), commune=self.net.mouchamps)

    def request_pk(self):
        """The public id of the world's situation's latest request."""
        return self.situation.stay_requests.latest("created_at").public_id
