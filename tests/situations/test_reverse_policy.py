"""The reverse side of the situation policy: `memberships_seeing(situation)` answers "who may open it" and
must agree, membership by membership, with the forward side `Situation.objects.visible_to(actor)`;
`with_grounds` says through which right, from the same conditions."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from maillage.network.actor import Actor
from maillage.network.enums import OrganisationKind
from maillage.network.models import Membership
from maillage.situations.models import EmergencyAccess, Exclusion, NamedAccess, Situation
from maillage.situations.policies import grounds, memberships_seeing
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.worlds import bare_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


class World:
    """Every kind of relation to a situation: coordination (one coordinator excluded), commune referents,
    an assigned referent, participating and other professionals, a named user, emergency accesses (live,
    expired, through another membership), roles that see nothing, inactive memberships, another territory."""

    def __init__(self):
        self.territory = TerritoryFactory()
        elsewhere = TerritoryFactory()
        mouchamps = CommuneFactory(territory=self.territory)
        vendrennes = CommuneFactory(territory=self.territory)
        gendarmerie = OrganisationFactory(
            kind=OrganisationKind.LAW_ENFORCEMENT, territories=[self.territory, elsewhere]
        )
        cidff = OrganisationFactory(territories=[self.territory])
        inactive_org = OrganisationFactory(territories=[self.territory], is_active=False)
        t = self.territory

        def member(**kwargs):
            kwargs.setdefault("territory", t)
            return MembershipFactory(**kwargs)

        m = self.members = {
            "coordinator": member(roles=["coordinator"]),
            "coordinator_excluded": member(roles=["coordinator"]),
            "referent_mouchamps": member(roles=["referent"], communes=[mouchamps]),
            "referent_vendrennes": member(roles=["referent"], communes=[vendrennes]),
            "gendarme": member(organisation=gendarmerie),
            "gendarme_excluded": member(organisation=gendarmerie),
            "gendarme_inactive": member(organisation=gendarmerie, is_active=False),
            "cidff": member(organisation=cidff),
            "cidff_named": member(organisation=cidff),
            "cidff_emergency": member(organisation=cidff),
            "cidff_emergency_expired": member(organisation=cidff),
            "inactive_organisation": member(organisation=inactive_org),
            "gendarmerie_admin": member(organisation=gendarmerie, roles=["org_admin"]),
            "dpo": member(roles=["dpo"]),
            "observer": member(roles=["observer"]),
            "housing_manager": member(roles=["housing_manager"]),
            "gendarme_elsewhere": member(organisation=gendarmerie, territory=elsewhere),
            "coordinator_elsewhere": member(roles=["coordinator"], territory=elsewhere),
        }
        # The same person acting through another membership does not carry the emergency access.
        m["cidff_emergency_other_membership"] = member(
            user=m["cidff_emergency"].user, organisation=gendarmerie, roles=["observer", "referent"]
        )
        gendarme = m["gendarme"]
        self.situations = {
            "open": self.situation(mouchamps, [gendarmerie], gendarme),
            "restricted": self.situation(mouchamps, [gendarmerie], gendarme, restricted=True),
            "assigned": self.situation(mouchamps, [], gendarme, referent=m["referent_vendrennes"]),
            "elsewhere": self.situation(
                CommuneFactory(territory=elsewhere), [gendarmerie], m["gendarme_elsewhere"]
            ),
        }
        for situation in self.situations.values():
            if situation.territory_id != t.pk:
                continue
            for name in ("coordinator_excluded", "gendarme_excluded"):
                Exclusion.objects.create(
                    situation=situation, user=m[name].user, reason="Voisin", excluded_by=m["coordinator"]
                )
            NamedAccess.objects.create(
                situation=situation, user=m["cidff_named"].user, granted_by=m["coordinator"]
            )
            for name, minutes in (("cidff_emergency", 30), ("cidff_emergency_expired", -1)):
                EmergencyAccess.objects.create(
                    situation=situation,
                    user=m[name].user,
                    membership=m[name],
                    reason="Appel de la victime en détresse",
                    expires_at=timezone.now() + timedelta(minutes=minutes),
                )

    def situation(self, commune, organisations, reporter, restricted=False, referent=None):
        return bare_situation(commune, organisations, reporter, restricted=restricted, referent=referent)

    def forward(self, situation) -> set[str]:
        """Who sees it, asking `visible_to` for each membership that could act (an inactive one cannot)."""
        seeing = set()
        for name, membership in self.members.items():
            membership = (
                Membership.objects.with_details().select_related("organisation").get(pk=membership.pk)
            )
            if not (membership.is_active and membership.organisation.is_active and membership.user.is_active):
                continue
            actor = Actor.from_membership(membership.user, membership)
            if Situation.objects.visible_to(actor).filter(pk=situation.pk).exists():
                seeing.add(name)
        return seeing

    def reverse(self, situation) -> set[str]:
        by_pk = {m.pk: name for name, m in self.members.items()}
        return {by_pk[pk] for pk in memberships_seeing(situation).values_list("pk", flat=True)}


@pytest.fixture
def world(db):
    return World()


EXPECTED = {
    "open": {"coordinator", "referent_mouchamps", "gendarme", "cidff_emergency"},
    "restricted": {"coordinator", "cidff_named"},
    "assigned": {"coordinator", "referent_mouchamps", "referent_vendrennes", "cidff_emergency"},
    "elsewhere": {"coordinator_elsewhere", "gendarme_elsewhere"},
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_reverse_side_agrees_with_the_forward_side(world, name):
    situation = world.situations[name]
    assert world.reverse(situation) == world.forward(situation) == EXPECTED[name]


def test_an_emergency_access_ends_on_both_sides(world):
    situation = world.situations["open"]
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert "cidff_emergency" not in world.reverse(situation)
        assert world.reverse(situation) == world.forward(situation)


def test_the_reverse_side_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(memberships_seeing(world.situations["open"]))


def test_grounds_say_through_which_right(world):
    def of(name, situation_name):
        membership = world.members[name]
        return grounds(Actor.from_membership(membership.user, membership), world.situations[situation_name])

    assert of("coordinator", "open") == {"coordination"}
    assert of("referent_mouchamps", "open") == {"commune"}
    assert of("gendarme", "open") == {"participation"}
    assert of("cidff_emergency", "open") == {"emergency"}
    assert of("cidff_named", "restricted") == {"named"}
    # Break-the-glass never opens a restricted situation: no emergency ground there.
    assert of("cidff_emergency", "restricted") == set()
    assert of("referent_vendrennes", "assigned") == {"commune"}
