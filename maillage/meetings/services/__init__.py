"""Writes on the coordination meetings, one module per activity: `group` (members, charter), `meetings`
(scheduling, changes, cancelling, invitations), `agenda` (proposals and edits), `running` (opening,
attendance, records, closing), `reads` (the agenda as a reader sees it, reads recorded); `access` says what
an open meeting gives its members. Callers use this package. Every function is keyword-only with the actor
first, runs in one transaction, checks the permission itself and writes its own audit entry."""

from maillage.meetings.services.agenda import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_propose,
)
from maillage.meetings.services.group import (
    charter_accept,
    charter_publish,
    group_member_add,
    group_member_remove,
)
from maillage.meetings.services.meetings import (
    meeting_cancel,
    meeting_invite_members,
    meeting_schedule,
    meeting_update,
)
from maillage.meetings.services.minutes import (
    minutes_choose,
    minutes_draft,
    minutes_exported,
    minutes_finalise,
)
from maillage.meetings.services.reads import agenda_read
from maillage.meetings.services.running import (
    attendance_record,
    decision_add,
    item_record,
    meeting_close,
    meeting_open,
    owners_for,
)

__all__ = [
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_propose",
    "agenda_read",
    "attendance_record",
    "charter_accept",
    "charter_publish",
    "decision_add",
    "group_member_add",
    "group_member_remove",
    "item_record",
    "meeting_cancel",
    "meeting_close",
    "meeting_invite_members",
    "meeting_open",
    "meeting_schedule",
    "meeting_update",
    "minutes_choose",
    "minutes_draft",
    "minutes_exported",
    "minutes_finalise",
    "owners_for",
]
