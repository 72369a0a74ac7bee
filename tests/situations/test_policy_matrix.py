"""The situation policy as a matrix: every role × every kind of situation → seen or not (DOMAIN.md §2 and §4).

`Situation.objects.visible_to` backs lists, pages, search, the API, exports and notifications; this matrix is
its contract. Page and API routes get their own matrices on top of it."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from maillage.network.actor import Actor
from maillage.network.enums import OrganisationKind
from maillage.situations.enums import LegalGround, ParticipationReason
from maillage.situations.models import EmergencyAccess, Exclusion, NamedAccess, Participation, Situation
from maillage.situations.policies import access_situation
from tests.accounts.factories import UserFactory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

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

    _count = 0

    def situation(self, commune, organisations, reporter, restricted=False, referent=None):
        World._count += 1
        situation = Situation.objects.create(
            territory=commune.territory,
            pseudonym=f"S-2026-{World._count:04d}",
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

    def actor(self, name: str) -> Actor:
        if name == "platform_admin":
            return Actor.from_membership(self.platform_admin, None)
        membership = self.memberships[name]
        membership.refresh_from_db()
        return Actor.from_membership(membership.user, membership)

    def seen_by(self, name: str) -> set[str]:
        ids = set(Situation.objects.visible_to(self.actor(name)).values_list("pk", flat=True))
        return {key for key, situation in self.situations.items() if situation.pk in ids}


@pytest.fixture
def world(db):
    return World()


@pytest.mark.parametrize("actor", ACTORS)
def test_policy_matrix(world, actor):
    assert world.seen_by(actor) == EXPECTED[actor]


def test_matrix_covers_every_role_and_situation_kind():
    roles = {"coordinator", "referent", "professional", "org_admin", "housing_manager", "observer", "dpo"}
    assert all(any(actor.startswith(role) for actor in ACTORS) for role in roles | {"platform_admin"})
    assert set(EXPECTED) == set(ACTORS)
    assert all(seen <= set(SITUATIONS) for seen in EXPECTED.values())


@pytest.mark.parametrize("actor", ACTORS)
def test_missing_and_forbidden_answer_the_same_404(world, actor):
    import uuid

    from django.http import Http404

    for name, situation in world.situations.items():
        if name in EXPECTED[actor]:
            assert access_situation(world.actor(actor), situation.public_id) == situation
        else:
            with pytest.raises(Http404):
                access_situation(world.actor(actor), situation.public_id)
    with pytest.raises(Http404):
        access_situation(world.actor(actor), uuid.uuid4())


def test_visible_to_is_one_query(world, django_assert_num_queries):
    actor = world.actor("professional_participating")
    with django_assert_num_queries(1):
        list(Situation.objects.visible_to(actor))


class TestBreakTheGlass:
    def grant(self, world, actor_name, situation_name, minutes=30):
        membership = world.memberships[actor_name]
        return EmergencyAccess.objects.create(
            situation=world.situations[situation_name],
            user=membership.user,
            membership=membership,
            reason="Appel de la victime en détresse, référente absente",
            expires_at=timezone.now() + timedelta(minutes=minutes),
        )

    def test_grant_opens_one_situation_for_its_duration(self, world):
        self.grant(world, "professional_other_org", "mine")
        assert world.seen_by("professional_other_org") == {"other_org", "mine"}
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            assert world.seen_by("professional_other_org") == {"other_org"}

    def test_grant_never_opens_a_restricted_situation(self, world):
        self.grant(world, "professional_other_org", "restricted")
        assert world.seen_by("professional_other_org") == {"other_org"}

    def test_grant_does_not_override_an_exclusion(self, world):
        self.grant(world, "professional_excluded", "mine")
        assert world.seen_by("professional_excluded") == {"excluded"}

    def test_grant_is_tied_to_the_membership_it_was_asked_through(self, world):
        access = self.grant(world, "professional_other_org", "mine")
        other_membership = MembershipFactory(
            user=access.user, territory=world.territory, organisation=world.gendarmerie, roles=["observer"]
        )
        actor = Actor.from_membership(access.user, other_membership)
        assert not Situation.objects.visible_to(actor).filter(pk=world.situations["mine"].pk).exists()
