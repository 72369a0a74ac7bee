"""Small worlds for the situation tests, shared by several modules (test modules never import each other).

`Network`: one territory, two communes, four partner organisations and a member for each role;
`net.client("gendarme")` is a signed-in client, `net.actor("coordinator")` its actor (the `net` fixture of
conftest.py). `World`: the policy matrix's world, one situation of each kind, and `EXPECTED`, who sees which
(test_policy_matrix.py proves it on the queryset, test_route_matrix.py on every route)."""

import itertools
from datetime import date

from django.test import Client

from maillage.network.actor import Actor
from maillage.network.enums import OrganisationKind
from maillage.situations.enums import LegalGround, ParticipationReason
from maillage.situations.models import Exclusion, NamedAccess, Participation, Situation
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


ACTORS = [
    "coordinator",
    "referent_of_commune",
    "referent_elsewhere",
    "professional_participating",
    "professional_other_org",
    "professional_excluded",
    "professional_named",
    "org_admin_participating",
    "housing_manager",
    "observer",
    "dpo",
    "platform_admin",
    "coordinator_other_territory",
    "professional_participating_other_territory",
]
SITUATIONS = ["mine", "other_org", "restricted", "excluded", "other_territory", "assigned_elsewhere"]

# Who sees what. Everything not listed is hidden.
EXPECTED = {
    # The coordinator is excluded from "excluded" (conflict of interest): exclusions bind everyone.
    "coordinator": {"mine", "other_org", "restricted", "assigned_elsewhere"},
    "referent_of_commune": {"mine", "excluded", "assigned_elsewhere"},
    "referent_elsewhere": {"other_org", "assigned_elsewhere"},
    "professional_participating": {"mine", "excluded"},
    "professional_other_org": {"other_org"},
    "professional_excluded": {"excluded"},
    "professional_named": {"mine", "restricted", "excluded"},
    "org_admin_participating": set(),
    "housing_manager": set(),
    "observer": set(),
    "dpo": set(),
    "platform_admin": set(),
    "coordinator_other_territory": {"other_territory"},
    "professional_participating_other_territory": {"other_territory"},
}


class World:
    """Two territories, two communes, two partner organisations and one situation of each kind."""

    def __init__(self):
        self.territory = TerritoryFactory(name="Pays des Herbiers")
        self.elsewhere = TerritoryFactory(name="Pays de Pouzauges")
        self.mouchamps = CommuneFactory(territory=self.territory, name="Mouchamps")
        self.vendrennes = CommuneFactory(territory=self.territory, name="Vendrennes")
        self.pouzauges = CommuneFactory(territory=self.elsewhere, name="Pouzauges")
        self.gendarmerie = OrganisationFactory(
            kind=OrganisationKind.LAW_ENFORCEMENT, territories=[self.territory, self.elsewhere]
        )
        self.cidff = OrganisationFactory(kind=OrganisationKind.ASSOCIATION, territories=[self.territory])
        t = self.territory
        self.memberships = {
            "coordinator": MembershipFactory(territory=t, roles=["coordinator"]),
            "referent_of_commune": MembershipFactory(
                territory=t, roles=["referent"], communes=[self.mouchamps]
            ),
            "referent_elsewhere": MembershipFactory(
                territory=t, roles=["referent"], communes=[self.vendrennes]
            ),
            "professional_participating": MembershipFactory(territory=t, organisation=self.gendarmerie),
            "professional_other_org": MembershipFactory(territory=t, organisation=self.cidff),
            "professional_excluded": MembershipFactory(territory=t, organisation=self.gendarmerie),
            "professional_named": MembershipFactory(territory=t, organisation=self.gendarmerie),
            "org_admin_participating": MembershipFactory(
                territory=t, organisation=self.gendarmerie, roles=["org_admin"]
            ),
            "housing_manager": MembershipFactory(territory=t, roles=["housing_manager"]),
            "observer": MembershipFactory(territory=t, roles=["observer"]),
            "dpo": MembershipFactory(territory=t, roles=["dpo"]),
            "coordinator_other_territory": MembershipFactory(territory=self.elsewhere, roles=["coordinator"]),
            "professional_participating_other_territory": MembershipFactory(
                territory=self.elsewhere, organisation=self.gendarmerie
            ),
        }
        reporter = self.memberships["professional_participating"]
        self.situations = {
            "mine": self.situation(self.mouchamps, [self.gendarmerie], reporter),
            "other_org": self.situation(
                self.vendrennes, [self.cidff], self.memberships["professional_other_org"]
            ),
            "restricted": self.situation(self.mouchamps, [self.gendarmerie], reporter, restricted=True),
            "excluded": self.situation(self.mouchamps, [self.gendarmerie], reporter),
            "other_territory": self.situation(
                self.pouzauges,
                [self.gendarmerie],
                self.memberships["professional_participating_other_territory"],
            ),
            # Located in Mouchamps, followed by nobody, but assigned to the Vendrennes referent.
            "assigned_elsewhere": self.situation(
                self.mouchamps, [], reporter, referent=self.memberships["referent_elsewhere"]
            ),
        }
        NamedAccess.objects.create(
            situation=self.situations["restricted"],
            user=self.memberships["professional_named"].user,
            granted_by=self.memberships["coordinator"],
        )
        # Conflicts of interest: one professional is excluded from "mine", the coordinator from "excluded".
        Exclusion.objects.create(
            situation=self.situations["mine"],
            user=self.memberships["professional_excluded"].user,
            reason="Membre de la famille",
            excluded_by=self.memberships["coordinator"],
        )
        Exclusion.objects.create(
            situation=self.situations["excluded"],
            user=self.memberships["coordinator"].user,
            reason="Conflit d'intérêts",
            excluded_by=self.memberships["coordinator"],
        )
        self.platform_admin = UserFactory(platform_admin=True)

    def situation(self, commune, organisations, reporter, restricted=False, referent=None):
        return bare_situation(commune, organisations, reporter, restricted=restricted, referent=referent)

    def actor(self, name: str) -> Actor:
        if name == "platform_admin":
            return Actor.from_membership(self.platform_admin, None)
        return actor_of(self.memberships[name])

    def seen_by(self, name: str) -> set[str]:
        ids = set(Situation.objects.visible_to(self.actor(name)).values_list("pk", flat=True))
        return {key for key, situation in self.situations.items() if situation.pk in ids}


_count = itertools.count(1)


def bare_situation(commune, organisations, reporter, *, restricted=False, referent=None) -> Situation:
    """A situation row and its participations, without the reporting service's side effects (alerts…)."""
    situation = Situation.objects.create(
        territory=commune.territory,
        pseudonym=f"S-2026-{next(_count):04d}",
        commune=commune,
        detected_on=date(2026, 3, 1),
        created_by=reporter,
        restricted=restricted,
        referent=referent,
    )
    for organisation in organisations:
        Participation.objects.create(
            situation=situation,
            organisation=organisation,
            reason=ParticipationReason.REPORTER,
            legal_ground=LegalGround.CONSENT,
            added_by=reporter,
        )
    return situation
