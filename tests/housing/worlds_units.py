"""A small housing network for the unit tests (shared by several modules; test modules never import each
other): the situation tests' `Network` plus a town hall that keeps a flat, a second housing manager, a
coordinator of another territory and a break-the-glass reader; the CCAS keeps the secret refuge, whose
address is the canary `REFUGE_ADDRESS`."""

import datetime

from django.utils import timezone

from maillage.housing import services
from maillage.housing.services import stays
from maillage.network.enums import OrganisationKind
from maillage.situations import services as situation_services
from tests.accounts.factories import UserFactory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import report_situation
from tests.situations.worlds import Network
from tests.territories.factories import TerritoryFactory

REFUGE_ADDRESS = "7 impasse des Glycines-Canari"
FLAT_ADDRESS = "3 rue de la Mairie-Témoin"

# Who may read the refuge's address (its housing manager, the coordinator): the positive control.
READS_REFUGE_ADDRESS = {"housing_manager", "coordinator"}
# Roles the unit pages refuse before any look-up (403).
ROLE_REFUSED = {"org_admin", "observer", "dpo", "platform_admin"}
# Roles that see the refuge as requesters (name, capacity, status), never its address.
REQUESTERS = {"referent", "referent_elsewhere", "gendarme", "cidff", "doctor", "ccas", "break_glass"}
HIDDEN = {"housing_manager_other", "coordinator_other_territory"}  # the same 404 as a missing unit
ACTORS = sorted(READS_REFUGE_ADDRESS | ROLE_REFUSED | REQUESTERS | HIDDEN)


class HousingWorld(Network):
    def __init__(self):
        super().__init__()
        self.town_hall = OrganisationFactory(
            name="Mairie des Herbiers", kind=OrganisationKind.LOCAL_AUTHORITY, territories=[self.territory]
        )
        self.memberships["housing_manager_other"] = self._member(self.town_hall, ["housing_manager"])
        self.memberships["break_glass"] = self._member(self.hospital, ["professional"])
        self.elsewhere = TerritoryFactory(name="Pays de Pouzauges")
        self.memberships["coordinator_other_territory"] = MembershipFactory(
            territory=self.elsewhere,
            organisation=OrganisationFactory(territories=[self.elsewhere]),
            roles=["coordinator"],
            user=UserFactory(with_totp=True),
        )
        self.refuge = services.unit_create(
            actor=self.actor("housing_manager"),
            name="Refuge",
            secret=True,
            address=REFUGE_ADDRESS,
            adults=2,
            children=4,
            cots=1,
        )
        self.flat = services.unit_create(
            actor=self.actor("housing_manager_other"),
            name="Logement de la mairie",
            commune=self.mouchamps,
            address=FLAT_ADDRESS,
            adults=1,
            children=2,
        )
        # A situation the break-the-glass reader opens through an emergency access.
        self.situation = report_situation(self["gendarme"], commune=self.mouchamps)
        self.access = situation_services.emergency_access_request(
            actor=self.actor("break_glass"),
            pseudonym=self.situation.pseudonym,
            reason="Appel de détresse cette nuit, il faut un hébergement tout de suite",
        )
        # A stay in the refuge, requested from the situation and checked in: its request and stay pages are
        # crawled too (their unit is named, its address never).
        today = timezone.localdate()
        self.stay_request = stays.stay_request_create(
            actor=self.actor("gendarme"),
            situation=self.situation,
            adults=1,
            children_ages=[4, 9],
            urgent=True,
            wished_from=today,
            notes="Arrivera avec ses deux enfants",
        )
        self.stay = stays.stay_allocate(
            actor=self.actor("housing_manager"),
            request=self.stay_request,
            unit=self.refuge,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=14),
        )
        self.stay = stays.stay_check_in(actor=self.actor("housing_manager"), stay=self.stay)
