"""The situation policy as a matrix: every role × every kind of situation → seen or not (DOMAIN.md §2 and §4).

`Situation.objects.visible_to` backs lists, pages, search, the API, exports and notifications; this matrix is
its contract. Page and API routes get their own matrices on top of it. The actors, the kinds of situation and
who sees which (`EXPECTED`) live in tests/situations/worlds.py, shared with the route matrix."""

import copy
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from maillage.network.actor import Actor
from maillage.situations.models import EmergencyAccess, MeetingAccess, Situation
from maillage.situations.policies import access_situation
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.worlds import ACTORS, EXPECTED, SITUATIONS, World


@pytest.fixture(scope="module")
def shared_world(built_once):
    with built_once(World) as world:
        yield world


@pytest.fixture
def world(shared_world, db):
    """Built once for the module (tests/db.py); what a test writes, such as a grant, is undone after it."""
    return copy.deepcopy(shared_world)


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


class TestMeetingAccess:
    """A coordination meeting opens the situations of its agenda to the members given access, while it is
    open, through the membership they were given it through; never a restricted situation; exclusions win;
    roles that see no situation see none through it."""

    def grant(self, world, actor_name, situation_name, opens=-10, closes=120):
        now = timezone.now()
        return MeetingAccess.objects.create(
            situation=world.situations[situation_name],
            membership=world.memberships[actor_name],
            reference=uuid.uuid4(),
            meeting_on=now.date(),
            opens_at=now + timedelta(minutes=opens),
            closes_at=now + timedelta(minutes=closes),
            granted_by=world.memberships["coordinator"],
        )

    def test_opens_one_situation_while_the_meeting_is_open(self, world):
        self.grant(world, "professional_other_org", "mine", opens=5, closes=125)
        assert world.seen_by("professional_other_org") == {"other_org"}
        with time_machine.travel(timezone.now() + timedelta(minutes=10)):
            assert world.seen_by("professional_other_org") == {"other_org", "mine"}
        with time_machine.travel(timezone.now() + timedelta(minutes=126)):
            assert world.seen_by("professional_other_org") == {"other_org"}

    def test_never_opens_a_restricted_situation(self, world):
        self.grant(world, "professional_other_org", "restricted")
        self.grant(world, "referent_elsewhere", "restricted")
        assert world.seen_by("professional_other_org") == {"other_org"}
        assert world.seen_by("referent_elsewhere") == EXPECTED["referent_elsewhere"]

    def test_does_not_override_an_exclusion(self, world):
        self.grant(world, "professional_excluded", "mine")
        self.grant(world, "coordinator", "excluded")
        assert world.seen_by("professional_excluded") == {"excluded"}
        assert world.seen_by("coordinator") == EXPECTED["coordinator"]

    @pytest.mark.parametrize("name", ["housing_manager", "observer", "dpo", "org_admin_participating"])
    def test_roles_that_see_no_situation_see_none_through_it(self, world, name):
        for situation_name in ("mine", "other_org"):
            self.grant(world, name, situation_name)
        assert world.seen_by(name) == set()

    def test_is_tied_to_the_membership_it_was_given_to(self, world):
        access = self.grant(world, "professional_other_org", "mine")
        other_membership = MembershipFactory(
            user=access.membership.user, territory=world.territory, organisation=OrganisationFactory()
        )
        actor = Actor.from_membership(access.membership.user, other_membership)
        assert not Situation.objects.visible_to(actor).filter(pk=world.situations["mine"].pk).exists()
