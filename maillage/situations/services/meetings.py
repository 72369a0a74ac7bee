"""Access during a coordination meeting (*cellule de suivi*): while the meeting is open, the members of its
group read the situations of its agenda (`MeetingAccess`, a ground of the one policy); when it closes, their
access is what it was. The meetings app calls these with the meeting's public id as `reference`: situations
imports no feature app (ADR 0015, ADR 0032).

Audit entries are recorded on each situation (its history and « who accessed it » name the meeting by its
date); they hold the e-mail addresses of those given access, as other entries name people, never a free text.
"""

import datetime
from collections.abc import Iterable
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership
from maillage.situations.models import Exclusion, MeetingAccess, Situation
from maillage.situations.policies import SEEING_ROLES
from maillage.situations.services.checks import require_manager
from maillage.situations.services.lifecycle import locked, save_versioned, snapshot


def _require_coordinator(actor: Actor) -> None:
    if not (actor.is_member and actor.has_role(Role.COORDINATOR)):
        raise PermissionDeniedError("Seule la coordination ouvre et ferme les accès d'une réunion.")


@transaction.atomic
def meeting_access_open(
    *,
    actor: Actor,
    reference: UUID,
    meeting_on: datetime.date,
    situations: Iterable[Situation],
    memberships: Iterable[Membership],
    closes_at: datetime.datetime,
) -> list[MeetingAccess]:
    """Opens each situation to each membership from now until `closes_at` (the meeting's scheduled end and a
    margin; `meeting_access_close` ends it sooner). Only situations the coordinator sees, never a
    restricted one; only active memberships of the territory holding a role that sees situations, never
    one excluded from the situation. A membership given access again to the same meeting (the meeting
    reopened) has its window moved to now. Returns the accesses open now."""
    _require_coordinator(actor)
    now = timezone.now()
    if closes_at <= now:
        raise DomainError("La fin de l'accès doit être dans le futur.")
    territory_id = actor.territory.pk
    members = list(
        Membership.objects.active()
        .filter(
            pk__in=[m.pk for m in memberships], territory_id=territory_id, role_set__role__in=SEEING_ROLES
        )
        .distinct()
        .select_related("user")
        .order_by("pk")
    )
    targets = (
        Situation.objects.visible_to(actor)
        .filter(pk__in=[s.pk for s in situations], restricted=False)
        .select_for_update()
        .order_by("pk")
    )
    excluded = {
        (e.situation_id, e.user_id)
        for e in Exclusion.objects.filter(situation__in=targets, user_id__in=[m.user_id for m in members])
    }
    opened = []
    for situation in targets:
        granted = [m for m in members if (situation.pk, m.user_id) not in excluded]
        for membership in granted:
            access, _created = MeetingAccess.objects.update_or_create(
                situation=situation,
                membership=membership,
                reference=reference,
                defaults={
                    "meeting_on": meeting_on,
                    "opens_at": now,
                    "closes_at": closes_at,
                    "granted_by": actor.membership,
                },
            )
            opened.append(access)
        audit.record(
            actor=actor,
            action=AuditAction.MEETING_ACCESS_OPENED,
            obj=situation,
            changes={
                "meeting": str(reference),
                "meeting_on": meeting_on,
                "closes_at": closes_at,
                "users": [m.user.email for m in granted],
            },
        )
    return opened


@transaction.atomic
def meeting_access_close(
    *,
    actor: Actor,
    reference: UUID,
    situations: Iterable[Situation] | None = None,
    memberships: Iterable[Membership] | None = None,
) -> int:
    """Ends now the meeting's accesses still open — all of them, or those to some situations (taken off the
    agenda) or of some memberships (taken out of the group). Returns how many ended."""
    _require_coordinator(actor)
    now = timezone.now()
    open_now = MeetingAccess.objects.filter(
        reference=reference, closes_at__gt=now, situation__territory_id=actor.territory.pk
    )
    if situations is not None:
        open_now = open_now.filter(situation__in=[s.pk for s in situations])
    if memberships is not None:
        open_now = open_now.filter(membership__in=[m.pk for m in memberships])
    rows = list(open_now.select_for_update().select_related("situation", "membership__user"))
    by_situation: dict[int, list[MeetingAccess]] = {}
    for access in rows:
        access.closes_at = max(now, access.opens_at)
        access.save(update_fields=["closes_at"])
        by_situation.setdefault(access.situation_id, []).append(access)
    for accesses in by_situation.values():
        audit.record(
            actor=actor,
            action=AuditAction.MEETING_ACCESS_CLOSED,
            obj=accesses[0].situation,
            changes={
                "meeting": str(reference),
                "meeting_on": accesses[0].meeting_on,
                "users": sorted(a.membership.user.email for a in accesses),
            },
        )
    return len(rows)


@transaction.atomic
def situation_meeting_reviewed(
    *, actor: Actor, situation: Situation, reference: UUID, meeting_on: datetime.date, facts: dict
) -> Situation:
    """Records on the situation that a coordination meeting examined it (`facts`: what was recorded, never
    a free text), and clears its proposal for the next meeting (the flag a danger result set): one versioned
    save, one audit entry."""
    require_manager(actor, situation)
    current = locked(situation)
    before = snapshot(current, "proposed_for_meeting")
    current.proposed_for_meeting = None
    save_versioned(
        actor=actor,
        situation=current,
        before=before,
        action=AuditAction.MEETING_ITEM_RECORDED,
        extra={"meeting": str(reference), "meeting_on": meeting_on, **facts},
    )
    situation.proposed_for_meeting, situation.version = None, current.version
    return current
