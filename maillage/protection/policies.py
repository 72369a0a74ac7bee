"""Who sees and who records a situation's protective measures (ADR 0025). Child objects of a situation:
they start from its one policy (`situations.policies`), forward and reverse, and add no ground of their own.

- **Seeing**: whoever may open the situation sees its measures — its coordination (the coordinator, the
  referents of its commune or the one assigned), the professionals of the organisations following it, the
  users named on a restricted situation, and a break-the-glass reader for the access's short life (knowing
  that a bracelet or an order is in force is what an emergency needs; the read is recorded with that
  ground). Nobody else: housing managers, observers, DPOs, organisation admins and platform admins see no
  measure, as they see no situation.
- **Recording and changing**: the situation's coordination and the organisations following it
  (`can_contribute`), not a break-the-glass reader.
- **Reminders** before a measure ends: those who see it on their own ground, not through break-the-glass
  (a reminder asks for follow-up — a renewal to request — which is not what an emergency access is for).
"""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import CommuneReferent, MembershipRole
from maillage.situations import policies as situation_policies
from maillage.situations.models import NamedAccess, Participation, Situation


def measures_visible_to(actor: Actor):
    """Every measure this actor may see: those of the situations it may open (one query)."""
    from maillage.protection.models import ProtectiveMeasure

    return ProtectiveMeasure.objects.filter(situation__in=Situation.objects.visible_to(actor))


def can_view_measures(actor: Actor, situation: Situation) -> bool:
    """Reached through `visible_to` (access_situation), so seen: the roles that see situations."""
    return actor.is_member and actor.has_role(*situation_policies.SEEING_ROLES)


def can_record_measures(actor: Actor, situation: Situation) -> bool:
    return situation_policies.can_contribute(actor, situation)


def access_measure(actor: Actor, situation: Situation, public_id):
    """A measure of a situation the actor already reached through `access_situation`: Http404 otherwise."""
    return get_object_or_404(measures_visible_to(actor).filter(situation=situation), public_id=public_id)


def memberships_reminded(situation: Situation):
    """Who is reminded of this situation's measures: the policy's reverse side (`memberships_seeing`),
    without those who open it only through an emergency access."""

    def holds(role):
        return Exists(MembershipRole.objects.filter(membership=OuterRef("pk"), role=role))

    own_ground = holds(Role.COORDINATOR)
    commune = Exists(
        CommuneReferent.objects.filter(membership=OuterRef("pk"), commune_id=situation.commune_id)
    )
    if situation.referent_id is not None:
        commune |= Q(pk=situation.referent_id)
    own_ground |= holds(Role.REFERENT) & commune
    own_ground |= holds(Role.PROFESSIONAL) & Exists(
        Participation.objects.filter(situation=situation, organisation_id=OuterRef("organisation_id"))
    )
    own_ground |= Exists(NamedAccess.objects.filter(situation=situation, user_id=OuterRef("user_id")))
    return situation_policies.memberships_seeing(situation).filter(own_ground)
