"""Scheduling a coordination meeting, changing its date or place, cancelling it, and inviting the group.

Invitations leave through the task queue (ADR 0024), enqueued in the caller's transaction: only the
meeting's public id travels; the e-mail and its calendar attachment name nothing but "Cellule de suivi",
the date, the place or link and a link to the meeting's page (`meetings.invitations`). A change of date or
place bumps the meeting's calendar sequence and sends an update; a cancellation, a cancellation."""

import datetime

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError
from maillage.meetings import policies, tasks
from maillage.meetings.enums import MeetingStatus
from maillage.meetings.models import Meeting, MeetingParticipant
from maillage.meetings.services.agenda import propose
from maillage.meetings.services.checks import locked, require_coordinator
from maillage.network.actor import Actor

MAX_LENGTH = datetime.timedelta(hours=12)
# Fields whose change the calendars must hear of (a new sequence, an update sent).
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "video_link")
FIELDS = (*CALENDAR_FIELDS, "note")


def _checked(starts_at, ends_at, place: str, video_link: str, note: str) -> dict:
    place, video_link, note = (place or "").strip(), (video_link or "").strip(), (note or "").strip()
    if ends_at <= starts_at:
        raise DomainError("L'heure de fin doit suivre l'heure de début.")
    if ends_at - starts_at > MAX_LENGTH:
        raise DomainError("Une réunion dure au plus 12 heures : vérifiez les dates.")
    if ends_at <= timezone.now():
        raise DomainError("Cette date est passée : choisissez une date à venir.")
    if not place and not video_link:
        raise DomainError("Indiquez un lieu ou un lien de visioconférence.")
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place,
        "video_link": video_link,
        "note": note,
    }


def invite(meeting: Meeting) -> int:
    """Adds the group's members not yet invited, and enqueues the e-mails each participant has not had for
    the meeting's current sequence. Returns how many were added."""
    invited = set(meeting.participants.values_list("membership_id", flat=True))
    added = [
        MeetingParticipant(meeting=meeting, membership=m)
        for m in policies.memberships_invited(meeting).exclude(pk__in=invited)
    ]
    MeetingParticipant.objects.bulk_create(added)
    tasks.send_invitations.enqueue(str(meeting.public_id))
    return len(added)


@transaction.atomic
def meeting_schedule(
    *,
    actor: Actor,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    video_link: str = "",
    note: str = "",
) -> Meeting:
    """A new meeting of the territory's group: its agenda is proposed from what needs examining, and the
    group's members are invited by e-mail."""
    require_coordinator(actor)
    meeting = Meeting.objects.create(
        territory_id=actor.territory.pk,
        created_by=actor.membership,
        **_checked(starts_at, ends_at, place, video_link, note),
    )
    proposed = propose(actor, meeting)
    audit.record(
        actor=actor,
        action=AuditAction.MEETING_SCHEDULED,
        obj=meeting,
        changes={"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "proposed": proposed},
    )
    invite(meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    version: int | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    video_link: str = "",
    note: str = "",
) -> Meeting:
    """Changes a scheduled meeting; a new date, place or link is sent to the participants' calendars."""
    current = locked(actor, meeting, version)
    values = _checked(starts_at, ends_at, place, video_link, note)
    changed = [name for name in FIELDS if getattr(current, name) != values[name]]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    current.version += 1
    calendar = any(name in CALENDAR_FIELDS for name in changed)
    if calendar:
        current.sequence += 1
    current.save()
    audit.record(
        actor=actor,
        action=AuditAction.MEETING_UPDATED,
        obj=current,
        changes={"fields": changed, "version": [current.version - 1, current.version]},
    )
    if calendar:
        invite(current)
    return current


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting: Meeting, version: int | None) -> Meeting:
    """Cancels a scheduled meeting: its participants' calendars are told."""
    current = locked(actor, meeting, version)
    current.status = MeetingStatus.CANCELLED
    current.sequence += 1
    current.version += 1
    current.save()
    audit.record(
        actor=actor, action=AuditAction.MEETING_CANCELLED, obj=current, changes={"status": current.status}
    )
    tasks.send_invitations.enqueue(str(current.public_id))
    return current


@transaction.atomic
def meeting_invite_members(*, actor: Actor, meeting: Meeting) -> int:
    """Invites the group's members added since the meeting was scheduled."""
    current = locked(actor, meeting, None, statuses=(MeetingStatus.SCHEDULED, MeetingStatus.OPEN))
    return invite(current)
