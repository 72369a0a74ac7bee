"""Who sees the territory's action plan and who keeps it up to date (docs/decisions/0035-action-plan.md).
One policy, one place. Nothing here is nominative: axes, actions, organisations, figures and dated notes
on the work done, so the plan is open to the whole network of the territory.

- **Seeing** the plan (axes, actions, indicators, budget, contributions, progress updates with their
  author): every active member of the territory, whatever their role — coordinator, referent,
  professional, organisation admin, housing manager, observer, DPO. A member of another territory gets the
  same 404 as for a missing action (an organisation such as the CIDFF may serve two territories: its
  members see the plan of the territory of the membership they act as). The platform admin, who holds no
  membership, sees nothing.
- **Keeping** it: the territory's coordinator edits everything — axes, actions (axis, title, description,
  lead and partner organisations, dates, status), indicators, budget lines, every partner's contributions,
  progress updates.
- **Updating one's own actions**: the members of an action's lead organisation in that territory, with a
  role other than observer or DPO, record progress updates (which may move the status forward), update the
  indicators' actual values and record their own organisation's contributions. They change neither the
  lead, the partners, the axis, the targets nor the budget lines.
- Observers and DPOs read only.

`actions_visible_to(actor)` is one SQL query; `memberships_updating(action)` is its writing side's reverse
(whom to ask for a progress update)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from maillage.network.actor import Actor
from maillage.network.enums import Role

# Roles with which a member of the lead organisation updates its actions (all but the read-only ones).
UPDATING_ROLES = (Role.COORDINATOR, Role.REFERENT, Role.PROFESSIONAL, Role.ORG_ADMIN, Role.HOUSING_MANAGER)
READ_ONLY_ROLES = (Role.OBSERVER, Role.DPO)


def _member(actor: Actor | None) -> bool:
    return actor is not None and actor.is_member


def axes_visible_to(actor: Actor | None):
    """The axes of the actor's territory (one query); none without a membership."""
    from maillage.actionplan.models import Axis

    if not _member(actor):
        return Axis.objects.none()
    return Axis.objects.filter(territory_id=actor.membership.territory_id)


def actions_visible_to(actor: Actor | None):
    """The actions of the actor's territory (one query); none without a membership."""
    from maillage.actionplan.models import Action

    if not _member(actor):
        return Action.objects.none()
    return Action.objects.filter(territory_id=actor.membership.territory_id)


def access_action(actor: Actor | None, public_id):
    """The action if this actor may see it, else Http404: the same answer for missing and forbidden."""
    return get_object_or_404(
        actions_visible_to(actor).select_related("axis", "lead_organisation", "territory"),
        public_id=public_id,
    )


def access_axis(actor: Actor | None, public_id):
    return get_object_or_404(axes_visible_to(actor), public_id=public_id)


def edits_plan(actor: Actor | None, territory_id: int | None = None) -> bool:
    """The territory's coordinator: axes, actions and every figure."""
    return (
        _member(actor)
        and actor.has_role(Role.COORDINATOR)
        and (territory_id is None or actor.membership.territory_id == territory_id)
    )


def leads(actor: Actor | None, action) -> bool:
    """A member of the action's lead organisation, in its territory, with a role that writes."""
    return (
        _member(actor)
        and actor.has_role(*UPDATING_ROLES)
        and actor.membership.organisation_id == action.lead_organisation_id
        and actor.membership.territory_id == action.territory_id
    )


def can_update(actor: Actor | None, action) -> bool:
    """Record a progress update and the indicators' actual values: the coordinator or the lead."""
    return edits_plan(actor, action.territory_id) or leads(actor, action)


def can_record_contribution(actor: Actor | None, action, organisation_id: int) -> bool:
    """Any partner's contribution for the coordinator; its own organisation's for the lead."""
    if edits_plan(actor, action.territory_id):
        return True
    return leads(actor, action) and organisation_id == actor.membership.organisation_id


def memberships_updating(action):
    """Reverse side of `can_update`: the active memberships that may update this action — the territory's
    coordinators and the members of its lead organisation holding a writing role (one query)."""
    from maillage.network.models import Membership

    return (
        Membership.objects.active()
        .filter(territory_id=action.territory_id)
        .filter(
            Q(role_set__role=Role.COORDINATOR)
            | Q(organisation_id=action.lead_organisation_id, role_set__role__in=UPDATING_ROLES)
        )
        .distinct()
    )
