"""Housing units for the tests: `HousingUnitFactory(organisation=…, territory=…)`, `secret=True` for a refuge
(no commune). Created straight in the database; the services' own tests go through `unit_create`."""

import factory

from maillage.housing.models import HousingUnit
from tests.network.factories import OrganisationFactory
from tests.territories.factories import TerritoryFactory


class HousingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingUnit

    territory = factory.SubFactory(TerritoryFactory)
    organisation = factory.LazyAttribute(lambda o: OrganisationFactory(territories=[o.territory]))
    name = factory.Sequence(lambda n: f"Logement d'accueil n° {n + 1}")
    address = factory.Sequence(lambda n: f"{n + 1} rue des Tilleuls")
    adults = 1
    children = 2
    cots = 1

    class Params:
        refuge = factory.Trait(secret=True, commune=None, name="Refuge", adults=2, children=4)


__all__ = ["HousingUnitFactory"]
