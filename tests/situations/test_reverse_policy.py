"""The reverse side of the situation policy: `memberships_seeing(situation)` answers "who may open it" and
must agree, membership by membership, with the forward side `Situation.objects.visible_to(actor)`;
`with_grounds` says through which right, from the same conditions. Meeting accesses (open, closed, not yet
open, for roles that see nothing, for an excluded member) are part of the world."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from maillage.network.actor import Actor
from maillage.network.enums import OrganisationKind
from maillage.network.models import Membership
from maillage.situations.models import EmergencyAccess, Exclusion, MeetingAccess, NamedAccess, Situation
from maillage.situations.policies import grounds, memberships_seeing
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.worlds import bare_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


class World:
    """Every kind of relation to a situation: coordination (one coordinator excluded), commune referents,
    an assigned referent, participating and other professionals, a named user, emergency accesses (live,
    expired, through another membership), meeting accesses (open, closed, not yet open, through another
    membership, to an excluded member, to roles that see nothing), roles that see nothing, inactive
    memberships, another territory."""

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
            "cidff_meeting": member(organisation=cidff),
            "cidff_meeting_closed": member(organisation=cidff),
            "cidff_meeting_later": member(organisation=cidff),
            "referent_vendrennes_meeting": member(roles=["referent"], communes=[vendrennes]),
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
        m["cidff_meeting_other_membership"] = member(
            user=m["cidff_meeting"].user, organisation=OrganisationFactory(territories=[t])
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
            # A meeting open for two hours, one that closed, one that opens later; given (by mistake or
            # before an exclusion) to people whose role or exclusion still bars them.
            now, meeting = timezone.now(), uuid.uuid4()
            for name, opens, closes in (
                ("cidff_meeting", -10, 120),
                ("referent_vendrennes_meeting", -10, 120),
                ("cidff_meeting_closed", -180, -60),
                ("cidff_meeting_later", 60, 180),
                ("gendarme_excluded", -10, 120),
                ("coordinator_excluded", -10, 120),
                ("dpo", -10, 120),
                ("observer", -10, 120),
                ("housing_manager", -10, 120),
                ("gendarmerie_admin", -10, 120),
                ("gendarme_inactive", -10, 120),
            ):
                MeetingAccess.objects.create(
                    situation=situation,
                    membership=m[name],
                    reference=meeting,
                    meeting_on=now.date(),
                    opens_at=now + timedelta(minutes=opens),
                    closes_at=now + timedelta(minutes=closes),
                    granted_by=m["coordinator"],
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


MEETING = {"cidff_meeting", "referent_vendrennes_meeting"}
EXPECTED = {
    "open": {"coordinator", "referent_mouchamps", "gendarme", "cidff_emergency", *MEETING},
    # Neither break-the-glass nor a meeting opens a restricted situation.
    "restricted": {"coordinator", "cidff_named"},
    "assigned": {
        "coordinator",
        "referent_mouchamps",
        "referent_vendrennes",
        "cidff_emergency",
        *MEETING,
    },
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


def test_a_meeting_access_opens_and_ends_on_both_sides(world):
    situation = world.situations["open"]
    with time_machine.travel(timezone.now() + timedelta(minutes=90)):
        assert {"cidff_meeting", "cidff_meeting_later"} <= world.reverse(situation)
        assert world.reverse(situation) == world.forward(situation)
    with time_machine.travel(timezone.now() + timedelta(minutes=200)):
        assert not (MEETING | {"cidff_meeting_later"}) & world.reverse(situation)
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
    assert of("cidff_meeting", "open") == {"meeting"}
    assert of("referent_vendrennes_meeting", "open") == {"meeting"}
    # A meeting never opens a restricted situation either; it is tied to the membership it was given to.
    assert of("cidff_meeting", "restricted") == set()
    assert of("cidff_meeting_other_membership", "open") == set()
    assert of("cidff_meeting_closed", "open") == set()
