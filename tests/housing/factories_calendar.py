"""Units and stays for the calendar, availability, figures and reminder tests, straight through the ORM
(the allocation services are another part's; these tests read what stays there are)."""

import datetime

from django.utils import timezone

from maillage.housing.enums import StayStatus
from maillage.housing.models import HousingUnit, Stay
from tests.situations.factories import SituationFactory
from tests.situations.worlds import Network

D = datetime.date
REFUGE_TEST_ADDRESS = "9 impasse des Tilleuls-Cachés, 85000 Nullepart"


def make_unit(territory, organisation, name, *, adults=1, children=0, cots=0, **values) -> HousingUnit:
    values.setdefault("address", f"{name}, 1 rue de l'Essai, 85500 Les Herbiers")
    return HousingUnit.objects.create(
        territory=territory,
        organisation=organisation,
        name=name,
        adults=adults,
        children=children,
        cots=cots,
        **values,
    )


def make_stay(unit, starts_on, ends_on, *, status=StayStatus.IN_PROGRESS, situation=None, by=None, **values):
    situation = situation or SituationFactory(territory=unit.territory, created_by=by)
    return Stay.objects.create(
        unit=unit,
        situation=situation,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        allocated_by=by,
        created_at=timezone.now(),
        **values,
    )


class HousingWorld(Network):
    """The situation tests' network with three units: two flats of the CCAS (whose housing manager is
    `housing_manager`) and the refuge of SOS Femmes (secret, its own housing manager)."""

    def __init__(self):
        super().__init__()
        from tests.network.factories import OrganisationFactory

        self.sos = OrganisationFactory(name="SOS Femmes Vendée", territories=[self.territory])
        self.memberships["refuge_manager"] = self._member(self.sos, ["housing_manager"])
        t = self.territory
        self.studio = make_unit(
            t, self.ccas, "Studio de la place", adults=1, children=1, commune=self.mouchamps
        )
        self.flat = make_unit(
            t,
            self.ccas,
            "Appartement T3",
            adults=2,
            children=2,
            cots=1,
            accessible=True,
            commune=self.mouchamps,
        )
        self.refuge = make_unit(
            t, self.sos, "Refuge", adults=1, children=3, secret=True, address=REFUGE_TEST_ADDRESS
        )

    def stay(self, unit, starts_on, ends_on, **values):
        values.setdefault(
            "by", self["housing_manager"] if unit.organisation == self.ccas else self["refuge_manager"]
        )
        return make_stay(unit, starts_on, ends_on, **values)
