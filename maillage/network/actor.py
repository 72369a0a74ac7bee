"""The Actor: who acts (user) and as what (active membership: organisation, territory, roles, communes).

Resolved once per request (session, `network.middleware.ActorMiddleware`) or per API call (token) and passed
explicitly to services and policies. It is made of memberships, so it lives in `network`; the layers below
(accounts, territories, the audit core) see it through Protocols (`accounts.services.AccountActor`,
`audit.services.AuditActor`) and never import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from maillage.accounts.models import User
from maillage.network.models import Membership


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership | None
    roles: frozenset[str] = frozenset()
    commune_ids: frozenset[int] = frozenset()
    memberships: tuple[Membership, ...] = field(default=(), compare=False)
    # What was read with the membership for the layers above (MEMBERSHIP_FACTS), as of the actor's
    # resolution: `cache["membership_facts"]`. Never part of its identity.
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_membership(cls, user: User, membership: Membership | None, memberships=()) -> Actor:
        if membership is None:
            return cls(user=user, membership=None, memberships=tuple(memberships))
        facts = {
            n: getattr(membership, f"fact_{n}") for n in MEMBERSHIP_FACTS if hasattr(membership, f"fact_{n}")
        }
        return cls(
            user=user,
            membership=membership,
            roles=frozenset(membership.roles),
            commune_ids=frozenset(r.commune_id for r in membership.referent_of.all()),
            memberships=tuple(memberships),
            cache={"membership_facts": facts},
        )

    @property
    def is_platform_admin(self) -> bool:
        return self.user.is_platform_admin

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def organisation(self):
        return self.membership.organisation if self.membership else None

    @property
    def territory(self):
        return self.membership.territory if self.membership else None

    def membership_pk_or_none(self) -> int | None:
        return self.membership.pk if self.membership else None

    def has_role(self, *roles: str) -> bool:
        return self.membership is not None and not self.roles.isdisjoint(roles)


# Facts about a membership that the layers above need on every request, read with the memberships (no
# statement of their own): name → a function giving an SQL expression over the membership (`OuterRef("pk")`,
# `OuterRef("user_id")`), evaluated when the actor is resolved. `situations` registers which individual
# accesses a membership holds (`situations.policies.individual_accesses`); the actor keeps them in
# `cache["membership_facts"]`.
MEMBERSHIP_FACTS: dict[str, Callable] = {}


def register_membership_fact(name: str, expression: Callable) -> None:
    MEMBERSHIP_FACTS[name] = expression


def with_facts(memberships):
    """The memberships annotated with the registered facts (MEMBERSHIP_FACTS), as of now."""
    return memberships.annotate(
        **{f"fact_{name}": expression() for name, expression in MEMBERSHIP_FACTS.items()}
    )


def active_memberships_of(user: User) -> list[Membership]:
    """Every active membership of a user, with what the header and the policies need (3 queries)."""
    return list(
        with_facts(Membership.objects.active().filter(user=user))
        .select_related("organisation", "territory")
        .prefetch_related("role_set", "referent_of")
        .order_by("territory__name", "organisation__name")
    )


class NoActiveMembership(Exception):
    """The chosen membership is gone (deactivated) or the user has none left."""


def resolve_actor(user: User, chosen_public_id: str | None) -> Actor:
    memberships = active_memberships_of(user)
    if user.is_platform_admin:
        # A technical administrator acts without any membership, whatever the database says.
        return Actor.from_membership(user, None)
    if not memberships:
        raise NoActiveMembership
    if chosen_public_id is None:
        return Actor.from_membership(user, memberships[0], memberships)
    for membership in memberships:
        if str(membership.public_id) == chosen_public_id:
            return Actor.from_membership(user, membership, memberships)
    raise NoActiveMembership
