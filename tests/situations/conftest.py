"""A small network for the situation tests: one territory, two communes, four partner organisations and a
member for each role. `net.client("gendarme")` is a signed-in client; `net.actor("coordinator")` its actor."""

import pytest
from django.test import Client

from maillage.network.enums import OrganisationKind
from tests.accounts.factories import UserFactory
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import actor_of
from tests.territories.factories import CommuneFactory, TerritoryFactory

CANARY_FIRST_NAME = "Zéphyrine"
CANARY_LAST_NAME = "Quillembois"
CANARY_PHONE = "06 98 76 54 32"


class Network:
    def __init__(self):
        self.territory = TerritoryFactory(name="Pays des Herbiers")
        self.mouchamps = CommuneFactory(territory=self.territory, name="Mouchamps", postal_code="85640")
        self.vendrennes = CommuneFactory(territory=self.territory, name="Vendrennes", postal_code="85250")
        t = [self.territory]
        self.gendarmerie = OrganisationFactory(
            name="Gendarmerie — brigade des Herbiers", kind=OrganisationKind.LAW_ENFORCEMENT, territories=t
        )
        self.cidff = OrganisationFactory(
            name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=t
        )
        self.hospital = OrganisationFactory(
            name="Centre hospitalier", kind=OrganisationKind.HEALTH, territories=t
        )
        self.ccas = OrganisationFactory(name="CCAS des Herbiers", kind=OrganisationKind.SOCIAL, territories=t)
        self.epci = OrganisationFactory(
            name="Communauté de communes", kind=OrganisationKind.LOCAL_AUTHORITY, territories=t
        )
        member = self._member
        self.memberships = {
            "coordinator": member(self.epci, ["coordinator"]),
            "referent": member(self.epci, ["referent"], communes=[self.mouchamps]),
            "referent_elsewhere": member(self.epci, ["referent"], communes=[self.vendrennes]),
            "gendarme": member(self.gendarmerie, ["professional"]),
            "gendarme_colleague": member(self.gendarmerie, ["professional"]),
            "cidff": member(self.cidff, ["professional"]),
            "doctor": member(self.hospital, ["professional"]),
            "ccas": member(self.ccas, ["professional"]),
            "org_admin": member(self.gendarmerie, ["org_admin"]),
            "housing_manager": member(self.ccas, ["housing_manager"]),
            "observer": member(self.epci, ["observer"]),
            "dpo": member(self.epci, ["dpo"]),
        }
        self.platform_admin = UserFactory(platform_admin=True)

    def _member(self, organisation, roles, communes=None):
        return MembershipFactory(
            territory=self.territory,
            organisation=organisation,
            roles=roles,
            communes=communes,
            user=UserFactory(with_totp=True),
        )

    def __getitem__(self, name):
        return self.memberships[name]

    def actor(self, name):
        return actor_of(self.memberships[name])

    def client(self, name) -> Client:
        if name == "platform_admin":
            return sign_in(Client(), self.platform_admin)
        membership = self.memberships[name]
        return sign_in(Client(), membership.user, membership)


@pytest.fixture
def net(db):
    return Network()
