"""A small network for the role-change tests: the coordinator's organisation (EPCI) with a second coordinator,
a DPO and an admin; a gendarmerie with a gendarme, its admin and an observer; a situation it reported."""

from datetime import timedelta
from html import unescape

from django.test import Client
from django.utils import timezone

from maillage.network.enums import OrganisationKind
from maillage.network.models import Membership
from maillage.situations import services as situation_services
from maillage.situations.enums import ConsentAnswer, PersonRole
from tests.accounts.factories import UserFactory
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import actor_of
from tests.territories.factories import CommuneFactory, TerritoryFactory

VICTIM = "Quillembois-Sarrazin"


class Network:
    """One territory: the coordinator's organisation (EPCI) with a member for each role, the DPO and a second
    coordinator among them; a gendarmerie with its own admin; a situation the gendarmerie reported."""

    def __init__(self):
        self.territory = TerritoryFactory(name="Pays des Herbiers")
        self.commune = CommuneFactory(territory=self.territory, name="Mouchamps")
        t = [self.territory]
        self.epci = OrganisationFactory(name="Communauté de communes", territories=t)
        self.gendarmerie = OrganisationFactory(
            name="Gendarmerie", kind=OrganisationKind.LAW_ENFORCEMENT, territories=t
        )

        def member(organisation, roles, **kwargs):
            return MembershipFactory(
                territory=self.territory, organisation=organisation, roles=roles, **kwargs
            )

        self.coordinator = member(self.epci, ["coordinator"])
        self.other_coordinator = member(self.epci, ["coordinator"])
        self.dpo = member(self.epci, ["dpo"])
        self.epci_admin = member(self.epci, ["org_admin"])
        self.gendarme = member(self.gendarmerie, ["professional"])
        self.gendarmerie_admin = member(self.gendarmerie, ["org_admin"])
        self.gendarmerie_observer = member(self.gendarmerie, ["observer"])
        self.platform_admin = UserFactory(platform_admin=True)
        self.situation = situation_services.situation_report(
            actor=actor_of(self.gendarme),
            commune=self.commune,
            detected_on=timezone.localdate() - timedelta(days=1),
            sources=["law_enforcement"],
            violence_types=["physical"],
            urgent=False,
            persons=[{"role": PersonRole.VICTIM, "first_name": "Zélie", "last_name": VICTIM}],
            consent={"answer": ConsentAnswer.GIVEN, "organisations": []},
            safe_contacts=[],
        )

    def client(self, membership) -> Client:
        return sign_in(Client(), membership.user, membership)

    def reads_the_victim(self, membership) -> bool:
        response = self.client(membership).get(f"/situations/{self.situation.public_id}/?identites=1")
        return VICTIM in unescape(response.content.decode())


def reload(membership) -> Membership:
    return Membership.objects.with_details().get(pk=membership.pk)
