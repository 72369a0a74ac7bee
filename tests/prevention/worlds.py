"""A small network with prevention events and trainings, shared by the prevention tests (test modules never
import each other). Built through the real services; dates computed when it is built.

Two events: a school talk in Mouchamps by the gendarmerie with the collège, a press article by the
coordinator with the CIDFF. Two trainings: one given by the CIDFF (attended by the gendarmerie and the town
hall), one by the gendarmerie. Another territory has one of each."""

import datetime
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from maillage.network.enums import OrganisationKind
from maillage.prevention import services
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from tests.accounts.factories import UserFactory
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import actor_of
from tests.territories.factories import CommuneFactory, TerritoryFactory

MEMBERS = [
    "coordinator",
    "referent",
    "gendarme",
    "cidff",
    "cidff_admin",
    "housing_manager",
    "observer",
    "dpo",
    "coordinator_elsewhere",
    "professional_elsewhere",
]
ACTORS = [*MEMBERS, "platform_admin"]
HERE = {"coordinator", "referent", "gendarme", "cidff", "cidff_admin", "housing_manager", "observer", "dpo"}
ELSEWHERE = {"coordinator_elsewhere", "professional_elsewhere"}
READ_ONLY = {"observer", "dpo"}
WRITERS = HERE - READ_ONLY
# Who may change which record (besides being able to see it); deletion is the coordinator's alone.
EDITS = {
    "school_talk": {"coordinator", "gendarme"},
    "press": {"coordinator", "cidff", "cidff_admin"},
    "cidff_training": {"coordinator", "cidff", "cidff_admin"},
    "gendarmerie_training": {"coordinator", "gendarme"},
    "event_elsewhere": {"coordinator_elsewhere"},
    "training_elsewhere": {"coordinator_elsewhere"},
}


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


class World:
    def __init__(self):
        self.territory = TerritoryFactory(name="Pays des Herbiers")
        self.elsewhere = TerritoryFactory(name="Pays de Pouzauges")
        self.mouchamps = CommuneFactory(territory=self.territory, name="Mouchamps", postal_code="85640")
        self.herbiers = CommuneFactory(territory=self.territory, name="Les Herbiers", postal_code="85500")
        self.pouzauges = CommuneFactory(territory=self.elsewhere, name="Pouzauges")
        here, both = [self.territory], [self.territory, self.elsewhere]
        org = OrganisationFactory
        self.epci = org(
            name="Communauté de communes", kind=OrganisationKind.LOCAL_AUTHORITY, territories=here
        )
        self.mairie = org(name="Mairie de Mouchamps", kind=OrganisationKind.LOCAL_AUTHORITY, territories=here)
        self.gendarmerie = org(name="Gendarmerie", kind=OrganisationKind.LAW_ENFORCEMENT, territories=here)
        self.cidff = org(name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=both)
        self.college = org(name="Collège du Pays", kind=OrganisationKind.EDUCATION, territories=here)
        self.ccas = org(name="CCAS", kind=OrganisationKind.SOCIAL, territories=here)
        self.epci_elsewhere = org(
            name="Communauté de Pouzauges",
            kind=OrganisationKind.LOCAL_AUTHORITY,
            territories=[self.elsewhere],
        )
        self.memberships = {
            "coordinator": self._member(self.epci, ["coordinator"]),
            "referent": self._member(self.mairie, ["referent"], communes=[self.mouchamps]),
            "gendarme": self._member(self.gendarmerie, ["professional"]),
            "cidff": self._member(self.cidff, ["professional"]),
            "cidff_admin": self._member(self.cidff, ["org_admin"]),
            "housing_manager": self._member(self.ccas, ["housing_manager"]),
            "observer": self._member(self.epci, ["observer"]),
            "dpo": self._member(self.epci, ["dpo"]),
            "coordinator_elsewhere": self._member(self.epci_elsewhere, ["coordinator"], self.elsewhere),
            "professional_elsewhere": self._member(self.cidff, ["professional"], self.elsewhere),
        }
        self.platform_admin = UserFactory(platform_admin=True)
        self.records = {
            "school_talk": services.event_record(
                actor=self.actor("gendarme"),
                title="Intervention au collège — classes de 4e",
                kind=EventKind.SCHOOL_TALK,
                held_on=days_ago(40),
                commune=self.mouchamps,
                audience=Audience.PUPILS,
                people_reached=112,
                organisations=[self.college],
                materials="Violentomètre",
            ),
            "press": services.event_record(
                actor=self.actor("coordinator"),
                title="Article dans Ouest-France",
                kind=EventKind.PRESS,
                held_on=days_ago(400),
                audience=Audience.GENERAL_PUBLIC,
                people_reached=5000,
                organisations=[self.cidff],
            ),
            "cidff_training": services.training_record(
                actor=self.actor("cidff"),
                title="Repérer les violences conjugales",
                topic=TrainingTopic.DETECTION,
                held_on=days_ago(60),
                hours=Decimal("3"),
                attendances=[(self.gendarmerie, 4), (self.mairie, 2)],
            ),
            "gendarmerie_training": services.training_record(
                actor=self.actor("gendarme"),
                title="Accueillir une victime",
                topic=TrainingTopic.RECEPTION,
                held_on=days_ago(10),
                hours=Decimal("2.5"),
                commune=self.herbiers,
                attendances=[(self.ccas, 3)],
            ),
            "event_elsewhere": services.event_record(
                actor=self.actor("coordinator_elsewhere"),
                title="Stand au marché de Pouzauges",
                kind=EventKind.STAND,
                held_on=days_ago(20),
                commune=self.pouzauges,
                audience=Audience.GENERAL_PUBLIC,
                people_reached=80,
            ),
            "training_elsewhere": services.training_record(
                actor=self.actor("coordinator_elsewhere"),
                title="Évaluer le danger",
                topic=TrainingTopic.DANGER_ASSESSMENT,
                held_on=days_ago(30),
                hours=Decimal("6"),
                attendances=[(self.cidff, 5)],
            ),
        }

    def _member(self, organisation, roles, territory=None, communes=None):
        return MembershipFactory(
            territory=territory or self.territory,
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

    def territory_of(self, record_name: str) -> str:
        return "elsewhere" if record_name.endswith("elsewhere") else "here"

    def sees(self, actor: str, record_name: str) -> bool:
        if actor in HERE:
            return self.territory_of(record_name) == "here"
        return actor in ELSEWHERE and self.territory_of(record_name) == "elsewhere"
