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
- break-the-glass: an unexpired emergency access of this user, through this membership.

Models are imported inside functions: models.py uses these querysets as managers.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from maillage.network.actor import Actor
from maillage.network.enums import Role

SEEING_ROLES = (Role.COORDINATOR, Role.REFERENT, Role.PROFESSIONAL)


class SituationQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor | None):
        from maillage.situations.models import EmergencyAccess, Exclusion, NamedAccess, Participation

        if actor is None or not actor.is_member or not actor.has_role(*SEEING_ROLES):
            return self.none()
        user_id, membership = actor.user.pk, actor.membership
        in_scope = self.filter(territory_id=membership.territory_id).exclude(
            Exists(Exclusion.objects.filter(situation=OuterRef("pk"), user_id=user_id))
        )
        if actor.has_role(Role.COORDINATOR):
            return in_scope
        ordinary = Q(pk__in=[])
        if actor.has_role(Role.REFERENT):
            ordinary |= Q(commune_id__in=sorted(actor.commune_ids)) | Q(referent_id=membership.pk)
        if actor.has_role(Role.PROFESSIONAL):
            ordinary |= Exists(
                Participation.objects.filter(
                    situation=OuterRef("pk"), organisation_id=membership.organisation_id
                )
            )
        emergency = Exists(
            EmergencyAccess.objects.filter(
                situation=OuterRef("pk"),
                user_id=user_id,
                membership_id=membership.pk,
                expires_at__gt=timezone.now(),
            )
        )
        named = Exists(NamedAccess.objects.filter(situation=OuterRef("pk"), user_id=user_id))
        return in_scope.filter((Q(restricted=False) & (ordinary | emergency)) | (Q(restricted=True) & named))


def access_situation(actor: Actor | None, public_id):
    """The situation if this actor may see it, else Http404: the same answer for missing and forbidden."""
    from django.shortcuts import get_object_or_404

    from maillage.situations.models import Situation

    return get_object_or_404(Situation.objects.visible_to(actor), public_id=public_id)


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
    """The actor's organisation follows the situation (uses prefetched participations when present)."""
    return any(p.organisation_id == actor.membership.organisation_id for p in situation.participations.all())


class TimelineQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor, situation):
        """Entries of a situation the actor already sees, filtered by visibility level, in SQL:

        - `organisation`: the author's organisation only;
        - `participants`: every organisation following the situation, the coordinator and its referents;
        - `coordination`: the coordinator and the situation's referents (and the author's organisation).
        Medical entries are written at `organisation` level unless consent is recorded (services)."""
        from maillage.situations.enums import NoteVisibility

        own = Q(organisation_id=actor.membership.organisation_id)
        levels = [NoteVisibility.PARTICIPANTS] if participates(actor, situation) else []
        if is_coordination(actor, situation):
            levels = [NoteVisibility.PARTICIPANTS, NoteVisibility.COORDINATION]
        elif has_emergency_access(actor, situation):
            levels = [NoteVisibility.PARTICIPANTS]
        return self.filter(situation=situation).filter(own | Q(visibility__in=levels))


def active_emergency_accesses(actor: Actor, situation):
    """The actor's unexpired break-the-glass accesses to the situation, through the active membership."""
    from maillage.situations.models import EmergencyAccess

    return EmergencyAccess.objects.filter(
        situation=situation,
        user_id=actor.user.pk,
        membership_id=actor.membership.pk,
        expires_at__gt=timezone.now(),
    )


def has_emergency_access(actor: Actor, situation) -> bool:
    return active_emergency_accesses(actor, situation).exists()


def reads_through_emergency(actor: Actor, situation) -> bool:
    """The actor reads this situation only through a break-the-glass access — the ground every read of it
    is recorded with (pages and API alike). Coordination and participants read it on their own ground;
    a restricted situation is never opened by break-the-glass."""
    if situation.restricted or is_coordination(actor, situation) or participates(actor, situation):
        return False
    return has_emergency_access(actor, situation)


def can_view_identity(actor: Actor, situation) -> bool:
    """Identities of a situation the actor sees. Housing managers (later) see only pseudonym and household."""
    return actor.has_role(*SEEING_ROLES)


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
