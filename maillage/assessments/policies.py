"""Who may read and make danger assessments. No policy of its own: an assessment hangs from its situation
(CONVENTIONS: one policy per root), so these predicates start from the situation's.

- Reading: whoever may open the situation (`visible_to`: its coordination, the professionals of the
  organisations following it, a named user, an emergency access — recorded as such); observers, DPOs,
  housing managers, organisation admins and platform admins never, like the situation itself.
- Assessing: the situation's coordination and the organisations following it (`can_contribute`), while
  it is open — not someone reading it through an emergency access.
- Lowering the level below the computed one: the coordinator only, with a recorded reason (VioGén's rule,
  DOMAIN.md §5); anyone who assesses may raise it on professional judgement, with a reason too.
- Choosing the territory's grids: the coordinator."""

from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.situations import policies as situation_policies
from maillage.situations.enums import SituationStatus


def can_assess(actor: Actor, situation) -> bool:
    return situation.status != SituationStatus.CLOSED and situation_policies.can_contribute(actor, situation)


def can_lower_level(actor: Actor, situation) -> bool:
    return situation_policies.can_manage(actor, situation)


def can_choose_grids(actor: Actor) -> bool:
    return actor.is_member and actor.has_role(Role.COORDINATOR)
