"""The role-change matrix of docs/decisions/0012-who-changes-roles.md: every role × (own membership, a member
of the same organisation, of another organisation, a holder of a territory-wide role) × (grant, remove,
deactivate) → allowed, pending (the coordinator's approval) or refused — as observed after going through the
real services, not as the policy claims."""

import pytest

from maillage.errors import DomainError
from maillage.network import services
from maillage.network.actor import Actor
from maillage.network.models import Membership, RoleChange
from maillage.network.policies import grantable_roles
from tests.accounts.factories import UserFactory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import actor_of
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

ACTORS = [
    "coordinator",
    "coordinator+org_admin",
    "referent",
    "professional",
    "org_admin",
    "housing_manager",
    "observer",
    "dpo",
    "platform_admin",
]
TARGETS = ["own", "same_organisation", "other_organisation", "territory_wide"]
ACTIONS = ["grant", "remove", "deactivate"]

A, P, R = "allowed", "pending", "refused"
# Grant: the professional role. Remove: the observer role (own membership: the actor's own role; the holder
# of a territory-wide role: that role). Deactivate: the membership.
EXPECTED = {
    "platform_admin": {
        "own": (R, R, R),  # holds no membership, and cannot be given one
        "same_organisation": (P, A, A),
        "other_organisation": (P, A, A),
        "territory_wide": (P, A, A),
    },
    "org_admin": {
        "own": (R, R, R),
        "same_organisation": (P, A, A),
        "other_organisation": (R, R, R),
        "territory_wide": (P, R, R),
    },
    # The coordinator who also administers their organisation grants directly: a grant "made by the
    # coordinator" needs no one else's approval. Territory-wide roles stay out of reach.
    "coordinator+org_admin": {
        "own": (R, R, R),
        "same_organisation": (A, A, A),
        "other_organisation": (R, R, R),
        "territory_wide": (A, R, R),
    },
}
NOBODY = {target: (R, R, R) for target in TARGETS}


class World:
    def __init__(self):
        self.territory = TerritoryFactory()
        self.organisation = OrganisationFactory(territories=[self.territory])
        self.other = OrganisationFactory(territories=[self.territory])
        self.platform_admin = UserFactory(platform_admin=True)

    def member(self, organisation, roles) -> Membership:
        return MembershipFactory(territory=self.territory, organisation=organisation, roles=roles)

    def actor(self, name: str) -> tuple[Actor, Membership | None]:
        if name == "platform_admin":
            return Actor(user=self.platform_admin, membership=None), None
        membership = self.member(self.organisation, name.split("+"))
        return actor_of(membership), membership

    def target(self, name: str, own: Membership | None) -> Membership | None:
        if name == "own":
            return own
        if name == "same_organisation":
            return self.member(self.organisation, ["observer", "org_admin"])
        if name == "other_organisation":
            return self.member(self.other, ["observer", "org_admin"])
        return self.member(self.organisation, ["coordinator", "observer"])


def removed_role(target_name: str, membership: Membership) -> str:
    if target_name == "own":
        return membership.roles[0]
    return "coordinator" if target_name == "territory_wide" else "observer"


def attempt(world, actor: Actor, target_name: str, membership: Membership | None, action: str) -> str:
    """Tries the change through the services; says what actually happened."""
    if membership is None:  # the platform administrator's own account
        try:
            services.member_invite(
                actor=actor,
                organisation=world.organisation,
                territory=world.territory,
                email=actor.user.email,
                first_name="",
                last_name="",
                roles=["professional"],
                notify=False,
            )
        except DomainError:
            return R
        return A
    before = Membership.objects.with_details().get(pk=membership.pk)
    held = set(before.roles)
    try:
        if action == "deactivate":
            services.membership_set_active(actor=actor, membership=before, active=False)
        else:
            role = "professional" if action == "grant" else removed_role(target_name, before)
            wanted = held | {role} if action == "grant" else held - {role}
            # What the form may carry: the roles this actor may tick (the others are kept by the service).
            wanted &= set(grantable_roles(actor, before)) or wanted
            services.membership_update(
                actor=actor,
                membership=before,
                version=before.version,
                roles=sorted(wanted),
                job_title="",
                work_phone="",
            )
    except DomainError:
        return R
    after = Membership.objects.with_details().get(pk=membership.pk)
    if action == "deactivate":
        return A if not after.is_active else R
    if RoleChange.objects.pending().filter(membership=membership).exists():
        return P
    return A if set(after.roles) != held else R


@pytest.mark.parametrize("actor_name", ACTORS)
def test_role_change_matrix(actor_name):
    observed, expected = {}, {}
    for target_name in TARGETS:
        for index, action in enumerate(ACTIONS):
            world = World()  # every attempt starts from scratch
            actor, own = world.actor(actor_name)
            membership = world.target(target_name, own)
            observed[target_name, action] = attempt(world, actor, target_name, membership, action)
            expected[target_name, action] = EXPECTED.get(actor_name, NOBODY)[target_name][index]
    assert observed == expected
