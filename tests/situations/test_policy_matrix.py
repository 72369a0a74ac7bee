"""The situation policy as a matrix: every role × every kind of situation → seen or not (DOMAIN.md §2 and §4).

`Situation.objects.visible_to` backs lists, pages, search, the API, exports and notifications; this matrix is
its contract. Page and API routes get their own matrices on top of it. The actors, the kinds of situation and
who sees which (`EXPECTED`) live in tests/situations/worlds.py, shared with the route matrix."""

import copy
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from maillage.network.actor import Actor
from maillage.situations.models import EmergencyAccess, Situation
from maillage.situations.policies import access_situation
from tests.network.factories import MembershipFactory
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
