"""Who may see a situation and each part of it (DOMAIN.md §4). One policy, one place.

`Situation.objects.visible_to(actor)` is a single SQL query (EXISTS sub-queries, no Python filtering) used by
lists, detail pages, search, the API, exports and notifications alike:

- nobody outside the actor's territory; nobody excluded from the situation (conflict of interest), whatever
  else would allow it; no role other than coordinator, referent and professional (observer, DPO, housing
  manager, organisation admin and platform admin see no situation here);
- the coordinator: every situation of the territory, restricted ones included;
- a referent: situations located in their communes, and those they are the assigned referent of;
- a professional: situations their organisation takes part in;
- a restricted situation: only the coordinator and the users named on it; break-the-glass never opens it;
- break-the-glass: an unexpired emergency access of this user, through this membership;
- a coordination meeting (*cellule de suivi*): while the meeting is open, a member of its group reads the
  situations of its agenda (`MeetingAccess`, through this membership); never a restricted one.

Models are imported inside functions: models.py uses these querysets as managers.
"""

import functools
import operator

from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, Value
from django.http import Http404
from django.utils import timezone

from maillage.network.actor import Actor
from maillage.network.enums import Role

SEEING_ROLES = (Role.COORDINATOR, Role.REFERENT, Role.PROFESSIONAL)


GROUNDS = ("coordination", "commune", "participation", "named", "emergency", "meeting")
# The grounds a reader holds on their own, for as long as their role lasts; "emergency" and "meeting" are
# borrowed for a while (break-the-glass, a coordination meeting): a reader through them alone acts on nothing.
OWN_GROUNDS = frozenset({"coordination", "commune", "participation"})
# Time-boxed grounds, which never open a restricted situation.
BORROWED_GROUNDS = ("emergency", "meeting")


def _active_emergency(**lookups) -> Q:
    """An unexpired break-the-glass access (the rule written once; `lookups` say whose and to what)."""
    return Q(expires_at__gt=timezone.now(), **lookups)


def _active_meeting(**lookups) -> Q:
    """A meeting access open now (the rule written once; `lookups` say whose and to what)."""
    now = timezone.now()
    return Q(opens_at__lte=now, closes_at__gt=now, **lookups)


class SituationQuerySet(models.QuerySet):
    """`visible_to(actor)` and `with_grounds(actor)` are the forward side of the one policy;
    `memberships_seeing(situation)` below is its reverse side. The three are built from `_grounds`."""

    def _grounds(self, actor: Actor) -> dict[str, Q | Exists]:
        """Each right through which this actor may see a situation, as an SQL condition on the situation."""
        from maillage.situations.models import Participation

        user_id, membership = actor.user.pk, actor.membership
        # A right the actor's roles do not give, or an individual access it holds none of, is None: no
        # condition, rather than an always-false one.
        grounds: dict[str, Q | Exists | None] = dict.fromkeys(GROUNDS)
        held = individual_accesses(actor)
        if actor.has_role(Role.COORDINATOR):
            grounds["coordination"] = Q(pk__isnull=False)
        if actor.has_role(Role.REFERENT):
            grounds["commune"] = Q(commune_id__in=sorted(actor.commune_ids)) | Q(referent_id=membership.pk)
        if actor.has_role(Role.PROFESSIONAL):
            grounds["participation"] = Exists(
                Participation.objects.filter(
                    situation=OuterRef("pk"), organisation_id=membership.organisation_id
                )
            )
        # Each individual ground: one of the accesses `individual_accesses` looks for, to this situation.
        conditions = _individual_access_conditions(
            user_id, membership.pk, [name for name in INDIVIDUAL_GROUNDS if name in held]
        )
        for name, accesses in conditions.items():
            grounds[name] = Exists(accesses.filter(situation=OuterRef("pk")))
        return grounds

    def _in_scope(self, actor: Actor):
        from maillage.situations.models import Exclusion

        return self.filter(territory_id=actor.membership.territory_id).exclude(
            Exists(Exclusion.objects.filter(situation=OuterRef("pk"), user_id=actor.user.pk))
        )

    def visible_to(self, actor: Actor | None):
        if actor is None or not actor.is_member or not actor.has_role(*SEEING_ROLES):
            return self.none()
        in_scope = self._in_scope(actor)
        if actor.has_role(Role.COORDINATOR):
            return in_scope
        g = self._grounds(actor)
        # Only the conditions of the grounds the actor holds: most hold no individual access, and a
        # professional's visibility is then `NOT restricted AND EXISTS (participation)`, which PostgreSQL
        # plans as a semi-join from whichever side is smaller (ADR 0046) rather than an OR it cannot estimate.
        ordinary = [
            g[name] for name in ("commune", "participation", *BORROWED_GROUNDS) if g[name] is not None
        ]
        opening = [Q(restricted=False) & functools.reduce(operator.or_, ordinary)] if ordinary else []
        if g["named"] is not None:
            opening.append(Q(restricted=True) & g["named"])
        if not opening:
            return self.none()
        return in_scope.filter(functools.reduce(operator.or_, opening))

    def with_grounds(self, actor: Actor):
        """Annotates each situation with `ground_<name>` booleans: the actor's relations to it, from the
        same conditions as `visible_to` (which composes them: a restricted situation opens only through
        coordination or a named access; an emergency or meeting access never opens one). One query."""
        if not (actor.is_member and actor.has_role(*SEEING_ROLES)):
            return self.annotate(**{f"ground_{name}": Value(False) for name in GROUNDS})
        g = self._grounds(actor)
        for name in BORROWED_GROUNDS:
            if g[name] is not None:
                g[name] = Q(restricted=False) & g[name]
        return self.annotate(
            **{
                f"ground_{name}": Value(False)
                if g[name] is None
                else ExpressionWrapper(g[name], output_field=models.BooleanField())
                for name in GROUNDS
            }
        )


INDIVIDUAL_GROUNDS = ("named", "emergency", "meeting")


def _individual_access_conditions(user_id, membership_id, names=INDIVIDUAL_GROUNDS) -> dict:
    """For each individual ground of `names`, the accesses that open it to this user through this
    membership."""
    from maillage.situations.models import EmergencyAccess, MeetingAccess, NamedAccess

    builders = {
        "named": lambda: NamedAccess.objects.filter(user_id=user_id),
        "emergency": lambda: EmergencyAccess.objects.filter(
            _active_emergency(user_id=user_id, membership_id=membership_id)
        ),
        "meeting": lambda: MeetingAccess.objects.filter(_active_meeting(membership_id=membership_id)),
    }
    return {name: builders[name]() for name in names}


def register_membership_facts() -> None:
    """Has the actor's resolution read, with the memberships, which individual accesses each holds
    (`network.actor.MEMBERSHIP_FACTS`): no statement of its own on a page. Called from the app's ready()."""
    from maillage.network.actor import register_membership_fact

    for name in INDIVIDUAL_GROUNDS:
        register_membership_fact(
            f"holds_{name}",
            lambda name=name: Exists(
                _individual_access_conditions(OuterRef("user_id"), OuterRef("pk"), (name,))[name]
            ),
        )


def individual_accesses(actor: Actor) -> frozenset[str]:
    """Which individual grounds — "named", "emergency", "meeting" — the actor holds at least one access of
    (a named access; an unexpired break-the-glass access, an open meeting access through its membership);
    `visible_to` and `with_grounds` leave the others out of their SQL. Read with the memberships when the
    actor was resolved for a request or an API call (`register_membership_facts`): what the actor held then,
    like its roles and communes, so an access granted later in the same request shows on the next one.
    An actor built otherwise (the demo's replay, which keeps its actors for years of history) gets one
    query each time. Leaving a ground out only ever narrows what is seen: an access that ends in between
    is still checked by the ground's own condition."""
    from maillage.network.models import Membership

    facts = actor.cache.get("membership_facts", {})
    if all(f"holds_{name}" in facts for name in INDIVIDUAL_GROUNDS):
        return frozenset(name for name in INDIVIDUAL_GROUNDS if facts[f"holds_{name}"])
    conditions = _individual_access_conditions(actor.user.pk, actor.membership.pk)
    row = (
        Membership.objects.filter(pk=actor.membership.pk)
        .annotate(**{f"holds_{name}": Exists(query) for name, query in conditions.items()})
        .values_list(*(f"holds_{name}" for name in conditions))
        .first()
    ) or (False,) * len(conditions)
    return frozenset(name for name, holds in zip(conditions, row, strict=True) if holds)


def memberships_seeing(situation, *, borrowed: bool = True):
    """The reverse side of `visible_to`: every active membership that may open this situation now, in one
    query. Alerts, e-mails, drop-downs of owners and invitation lists are built from it, never from roles
    alone (an excluded coordinator, a referent of another commune, an expired emergency access: not here).
    `tests/situations/test_reverse_policy.py` checks it against `visible_to` for every membership.
    `borrowed=False` leaves out those who open it only for a while (break-the-glass, a meeting): whom a
    follow-up may be given to."""
    from maillage.network.models import CommuneReferent, Membership, MembershipRole
    from maillage.situations.models import (
        EmergencyAccess,
        Exclusion,
        MeetingAccess,
        NamedAccess,
        Participation,
    )

    def holds(role):
        return Exists(MembershipRole.objects.filter(membership=OuterRef("pk"), role=role))

    candidates = (
        Membership.objects.active()
        .filter(territory_id=situation.territory_id)
        .filter(holds(Role.COORDINATOR) | holds(Role.REFERENT) | holds(Role.PROFESSIONAL))
        .exclude(Exists(Exclusion.objects.filter(situation=situation, user_id=OuterRef("user_id"))))
    )
    if situation.restricted:
        named = Exists(NamedAccess.objects.filter(situation=situation, user_id=OuterRef("user_id")))
        return candidates.filter(holds(Role.COORDINATOR) | named)
    commune = Exists(
        CommuneReferent.objects.filter(membership=OuterRef("pk"), commune_id=situation.commune_id)
    )
    if situation.referent_id is not None:
        commune |= Q(pk=situation.referent_id)
    participation = Exists(
        Participation.objects.filter(situation=situation, organisation_id=OuterRef("organisation_id"))
    )
    emergency = Exists(
        EmergencyAccess.objects.filter(
            _active_emergency(user_id=OuterRef("user_id"), membership_id=OuterRef("pk")), situation=situation
        )
    )
    meeting = Exists(
        MeetingAccess.objects.filter(_active_meeting(membership_id=OuterRef("pk")), situation=situation)
    )
    own = (
        holds(Role.COORDINATOR)
        | (holds(Role.REFERENT) & commune)
        | (holds(Role.PROFESSIONAL) & participation)
    )
    return candidates.filter(own | emergency | meeting if borrowed else own)


def grounds(actor: Actor, situation) -> frozenset[str]:
    """Through which rights the actor sees this situation. Read from the `with_grounds` annotations when the
    situation was read with them for this very actor (selectors.situation_detailed), else one query."""
    if getattr(situation, "grounds_actor", None) != actor.membership_pk_or_none():
        from maillage.situations.models import Situation

        situation.__dict__.update(
            Situation.objects.with_grounds(actor)
            .filter(pk=situation.pk)
            .values(*(f"ground_{name}" for name in GROUNDS))
            .get()
        )
        situation.grounds_actor = actor.membership_pk_or_none()
    return frozenset(name for name in GROUNDS if getattr(situation, f"ground_{name}"))


def access_situation(actor: Actor | None, public_id):
    """The situation if this actor may see it, else Http404: the same answer for missing and forbidden."""
    from django.shortcuts import get_object_or_404

    from maillage.situations.models import Situation

    return get_object_or_404(Situation.objects.visible_to(actor), public_id=public_id)


def can_open(actor: Actor, situation) -> bool:
    """This actor may open this situation now (`visible_to`, one query)."""
    from maillage.situations.models import Situation

    return Situation.objects.visible_to(actor).filter(pk=situation.pk).exists()


def is_coordination(actor: Actor, situation) -> bool:
    """Coordinator of the territory, or a referent of the situation (its commune, or assigned)."""
    if actor.has_role(Role.COORDINATOR):
        return True
    return actor.has_role(Role.REFERENT) and (
        situation.commune_id in actor.commune_ids or situation.referent_id == actor.membership.pk
    )


def can_change_commune(actor: Actor, situation) -> bool:
    """Moving a situation to another commune changes which referents see the victim's identity: a
    coordination decision (coordinator, or a referent of the situation), not a participant's edit."""
    return is_coordination(actor, situation)


def participates(actor: Actor, situation) -> bool:
    """The actor is a professional of an organisation that follows the situation."""
    return "participation" in grounds(actor, situation)


class TimelineQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor, situation):
        """Entries of a situation the actor already sees, filtered by visibility level, in SQL:

        - `organisation`: the author's organisation only;
        - `participants`: every organisation following the situation, the coordinator and its referents
          (and whoever reads it through an emergency access);
        - `coordination`: the coordinator and the situation's referents (and the author's organisation).
        Medical entries are written at `organisation` level unless consent is recorded (services)."""
        from maillage.situations.enums import NoteVisibility

        own = Q(organisation_id=actor.membership.organisation_id)
        relations = grounds(actor, situation)
        levels = []
        if relations & {"coordination", "commune"}:
            levels = [NoteVisibility.PARTICIPANTS, NoteVisibility.COORDINATION]
        elif relations & {"participation", "emergency", "meeting"}:
            levels = [NoteVisibility.PARTICIPANTS]
        return self.filter(situation=situation).filter(own | Q(visibility__in=levels))


def active_emergency_accesses(actor: Actor, situation):
    """The actor's unexpired break-the-glass accesses to the situation, through the active membership."""
    from maillage.situations.models import EmergencyAccess

    return EmergencyAccess.objects.filter(
        _active_emergency(user_id=actor.user.pk, membership_id=actor.membership.pk), situation=situation
    )


def borrowed_grounds(actor: Actor, situation) -> frozenset[str]:
    """The time-boxed grounds ("emergency", "meeting") the actor reads this situation through, when it has
    none of its own — the ground every read of it is recorded with (pages and API alike). Empty for whoever
    reads it on their own ground (coordination, commune, participation)."""
    relations = grounds(actor, situation)
    if relations & OWN_GROUNDS:
        return frozenset()
    return relations & frozenset(BORROWED_GROUNDS)


def reads_through_emergency(actor: Actor, situation) -> bool:
    """The actor reads this situation only through a break-the-glass access. Coordination and participants
    read it on their own ground; a restricted situation is never opened by break-the-glass."""
    return "emergency" in borrowed_grounds(actor, situation)


def reads_through_meeting(actor: Actor, situation) -> bool:
    """The actor reads this situation only because a coordination meeting it takes part in is open."""
    return "meeting" in borrowed_grounds(actor, situation)


def active_meeting_accesses(actor: Actor, situation):
    """The actor's meeting accesses to the situation open now, through the active membership."""
    from maillage.situations.models import MeetingAccess

    return MeetingAccess.objects.filter(
        _active_meeting(membership_id=actor.membership.pk), situation=situation
    )


def can_view_identity(actor: Actor, situation) -> bool:
    """Identities of a situation the actor sees (reached through `visible_to`): the roles that see situations,
    in its territory. Housing managers (later) will see only pseudonym and household: they say no here."""
    return actor.is_member and actor.has_role(*SEEING_ROLES) and situation.territory_id == actor.territory.pk


def can_search_names(actor: Actor) -> bool:
    """Looking situations up by a person's exact name: whoever may read identities of what they see."""
    return actor.is_member and actor.has_role(*SEEING_ROLES)


def can_manage(actor: Actor, situation) -> bool:
    """Participants, restriction, exclusions, referent, closing and reopening: the coordinator."""
    return actor.has_role(Role.COORDINATOR) and situation.territory_id == actor.territory.pk


def can_report(actor: Actor) -> bool:
    """Any member who may see situations may report one (repérage)."""
    return actor.is_member and actor.has_role(*SEEING_ROLES)


def can_break_glass(actor: Actor) -> bool:
    return actor.is_member and actor.has_role(Role.REFERENT, Role.PROFESSIONAL)


def can_view_exclusions(actor: Actor, situation) -> bool:
    """Who was set aside from a situation (conflict of interest): the territory's coordinator, who manages
    exclusions, and its DPO, who reads the trail (accesses page) without seeing the situation. Nobody else,
    not even its readers: that someone was set aside says why."""
    return (
        actor.is_member
        and actor.has_role(Role.COORDINATOR, Role.DPO)
        and situation.territory_id == actor.territory.pk
    )


def emergency_accesses_reviewable_by(actor: Actor):
    """Break-the-glass accesses the actor reviews: the DPO every one of the territory (the DPO sees no
    situation, only who asked and why); a coordinator the same, except those to a situation they are
    excluded from (the exclusion binds them everywhere)."""
    from maillage.situations.models import EmergencyAccess, Exclusion

    if not actor.has_role(Role.COORDINATOR, Role.DPO):
        return EmergencyAccess.objects.none()
    accesses = EmergencyAccess.objects.filter(situation__territory_id=actor.territory.pk)
    if actor.has_role(Role.DPO):
        return accesses
    return accesses.exclude(
        Exists(Exclusion.objects.filter(situation_id=OuterRef("situation_id"), user_id=actor.user.pk))
    )


def can_review_emergency(actor: Actor, access) -> bool:
    """Among the accesses the actor reaches (`emergency_accesses_reviewable_by`), any but their own."""
    return (
        actor.has_role(Role.COORDINATOR, Role.DPO)
        and access.situation.territory_id == actor.territory.pk
        and access.user_id != actor.user.pk
    )


def memberships_reviewing_emergencies(situation):
    """Who is alerted of, and reviews, a break-the-glass access to this situation: the territory's DPOs (who
    see no situation) and its coordinators who may open it (not one excluded from it)."""
    from maillage.network.models import Membership

    dpos = Membership.objects.active().filter(territory_id=situation.territory_id, role_set__role=Role.DPO)
    coordinators = memberships_seeing(situation).filter(role_set__role=Role.COORDINATOR)
    return Membership.objects.filter(Q(pk__in=dpos.values("pk")) | Q(pk__in=coordinators.values("pk")))


def access_situation_trail(actor: Actor, public_id):
    """A situation whose access trail the actor may read: the coordinator through the policy; the DPO, who
    sees no situation, any of the territory — the page shows the trail only, never the content."""
    from django.shortcuts import get_object_or_404

    from maillage.situations.models import Situation

    if actor.has_role(Role.COORDINATOR):
        return access_situation(actor, public_id)
    if actor.has_role(Role.DPO):
        return get_object_or_404(Situation, territory_id=actor.territory.pk, public_id=public_id)
    raise Http404


def can_finish_task(actor: Actor, task, situation) -> bool:
    """Its owner, or the situation's coordination."""
    return task.owner_id == actor.membership_pk_or_none() or is_coordination(actor, situation)


def can_contribute(actor: Actor, situation) -> bool:
    """Changing a situation's record (details, persons, consent, tasks): its coordination and the
    professionals of the organisations following it — not someone reading it through an emergency access."""
    return is_coordination(actor, situation) or participates(actor, situation)
