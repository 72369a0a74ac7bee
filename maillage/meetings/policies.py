"""Who sees and runs the coordination meetings (*cellule de suivi*, ADR 0032). Child objects of the
territory's working group; the situations on an agenda keep their one policy (situations/policies.py):

- **The group**: the coordinator keeps it; its members are memberships of the territory holding a role that
  sees situations (coordinator, referent, professional). Members and the coordinator see who is in it.
- **A meeting's date and place**: the group's members and the territory's coordinators. Nobody else, not
  even another member of the network (`meetings_visible_to`, one query; missing and hidden answer the same
  404).
- **Its agenda** (pseudonyms, reasons, what was said): the coordinators, and the members who accepted the
  current version of the charter (`sees_agenda`). A member who has not accepted it sees the date and place,
  nothing nominative. An item whose situation excludes the reader is never shown to them, nor is a
  restricted situation to anyone but the coordinators (`agenda_items_visible_to`, one query).
- **The situations themselves**: the agenda's, while the meeting is open, through `MeetingAccess` opened
  for the members present who accepted the charter (`memberships_opened`, the reverse side used when the
  meeting opens), and whatever they see on their own ground.
- **Running it** (group, charter, scheduling, agenda, opening, attendance, records): the coordinator.
"""

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from maillage.meetings.enums import Attendance
from maillage.meetings.models import AgendaItem, Charter, CharterAcceptance, GroupMember, Meeting
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership
from maillage.situations.models import Exclusion
from maillage.situations.policies import SEEING_ROLES

GROUP_ROLES = SEEING_ROLES


def is_coordinator(actor: Actor | None) -> bool:
    return actor is not None and actor.is_member and actor.has_role(Role.COORDINATOR)


def is_group_member(actor: Actor | None) -> bool:
    return (
        actor is not None
        and actor.is_member
        and actor.has_role(*GROUP_ROLES)
        and GroupMember.objects.filter(membership_id=actor.membership.pk).exists()
    )


def current_charter(territory_id: int) -> Charter | None:
    return Charter.objects.filter(territory_id=territory_id).order_by("-version").first()


def has_accepted_current_charter(actor: Actor) -> bool:
    charter = current_charter(actor.territory.pk)
    return (
        charter is not None
        and CharterAcceptance.objects.filter(charter=charter, membership_id=actor.membership.pk).exists()
    )


def can_view_group(actor: Actor) -> bool:
    return is_coordinator(actor) or is_group_member(actor)


def can_manage(actor: Actor) -> bool:
    """The group, the charter, the meetings and their records: the territory's coordinator."""
    return is_coordinator(actor)


def meetings_visible_to(actor: Actor | None):
    """The meetings whose date and place the actor may see: those of its territory, for its coordinators and
    the group's members (one query)."""
    if actor is None or not actor.is_member or not actor.has_role(*GROUP_ROLES):
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(territory_id=actor.territory.pk)
    if is_coordinator(actor):
        return meetings
    return meetings.filter(Exists(GroupMember.objects.filter(membership_id=actor.membership.pk)))


def access_meeting(actor: Actor | None, public_id) -> Meeting:
    """The meeting if the actor may see it, else Http404: the same answer for missing and hidden."""
    return get_object_or_404(meetings_visible_to(actor).select_related("minutes"), public_id=public_id)


def minutes_of(meeting: Meeting):
    """The meeting's minutes or None (read with the meeting by `access_meeting`: no query more)."""
    try:
        return meeting.minutes
    except Meeting.minutes.RelatedObjectDoesNotExist:
        return None


def sees_agenda(actor: Actor, meeting: Meeting) -> bool:
    """Pseudonyms, reasons and records of the agenda: the coordinators; the members who accepted the
    current charter (the charter gate)."""
    if meeting.territory_id != actor.territory.pk:
        return False
    if is_coordinator(actor):
        return True
    return is_group_member(actor) and has_accepted_current_charter(actor)


def agenda_items_visible_to(actor: Actor, meeting: Meeting):
    """The meeting's items the actor may read (one query): none behind the charter gate; never a situation
    the reader is excluded from; a restricted situation to the coordinators only."""
    if not sees_agenda(actor, meeting):
        return AgendaItem.objects.none()
    items = AgendaItem.objects.filter(meeting=meeting).exclude(
        Exists(Exclusion.objects.filter(situation_id=OuterRef("situation_id"), user_id=actor.user.pk))
    )
    if not is_coordinator(actor):
        items = items.filter(situation__restricted=False)
    return items


def access_item(actor: Actor, meeting: Meeting, public_id) -> AgendaItem:
    return get_object_or_404(
        agenda_items_visible_to(actor, meeting).select_related("situation"), public_id=public_id
    )


def group_memberships(territory_id: int):
    """The group's active memberships that still hold a role of the group."""
    return (
        Membership.objects.active()
        .filter(territory_id=territory_id, meeting_group__isnull=False, role_set__role__in=GROUP_ROLES)
        .distinct()
    )


def memberships_invited(meeting: Meeting):
    """Whom a meeting's invitation goes to: the group's members (the reverse side of `meetings_visible_to`
    for the members; the coordinator who schedules it knows of it)."""
    return group_memberships(meeting.territory_id)


def memberships_accepting(territory_id: int):
    """The group's members who accepted the territory's current charter."""
    charter = current_charter(territory_id)
    if charter is None:
        return Membership.objects.none()
    return group_memberships(territory_id).filter(
        Exists(CharterAcceptance.objects.filter(charter=charter, membership_id=OuterRef("pk")))
    )


def memberships_opened(meeting: Meeting):
    """Who reads the agenda's situations while the meeting is open: the invited members who accepted the
    current charter and were not marked excused or absent (the situation policy then applies exclusions
    and restrictions)."""
    away = meeting.participants.filter(
        attendance__in=[Attendance.EXCUSED, Attendance.ABSENT], membership_id=OuterRef("pk")
    )
    invited = meeting.participants.filter(membership_id=OuterRef("pk"))
    return memberships_accepting(meeting.territory_id).filter(Exists(invited) & ~Exists(away))
