"""What an open meeting gives its members: the agenda's situations, through `situations.MeetingAccess`
(the situation policy's "meeting" ground), opened for the members present who accepted the charter
(`policies.memberships_opened`) until the meeting closes or, at the latest, its scheduled end and a margin."""

import datetime

from django.conf import settings
from django.utils import timezone

from maillage.meetings import policies
from maillage.meetings.models import Meeting
from maillage.network.actor import Actor
from maillage.situations.services import meeting_access_close, meeting_access_open


def latest_end(meeting: Meeting) -> datetime.datetime:
    margin = datetime.timedelta(minutes=settings.MAILLAGE_MEETING_ACCESS_MARGIN_MINUTES)
    return max(meeting.ends_at, timezone.now()) + margin


def open_accesses(actor: Actor, meeting: Meeting, *, situations=None, memberships=None) -> None:
    """Opens the agenda's situations (or these) to the participants (or these) who may read them now, and
    ends the access of those who may not any more (marked away, out of the group, charter not accepted)."""
    if memberships is None:
        memberships = [p.membership for p in meeting.participants.select_related("membership")]
    readers = list(policies.memberships_opened(meeting).filter(pk__in=[m.pk for m in memberships]))
    away = [m for m in memberships if m.pk not in {r.pk for r in readers}]
    if away:
        meeting_access_close(actor=actor, reference=meeting.public_id, memberships=away)
    if situations is None:
        situations = [item.situation for item in meeting.items.select_related("situation")]
    if situations and readers:
        meeting_access_open(
            actor=actor,
            reference=meeting.public_id,
            meeting_on=timezone.localtime(meeting.starts_at).date(),
            situations=situations,
            memberships=readers,
            closes_at=latest_end(meeting),
        )


def close_accesses(actor: Actor, meeting: Meeting, *, situations=None) -> None:
    meeting_access_close(actor=actor, reference=meeting.public_id, situations=situations)
