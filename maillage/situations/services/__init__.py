"""Writes on situations, one module per activity (DOMAIN.md §3–4): `report` (reporting and editing what
was reported), `follow_up` (timeline, tasks), `persons` (persons, consent, safe contacts), `coordination`
(organisations, referent, restriction, exclusions, closing), `emergency` (break-the-glass), `meetings` (access
during a coordination meeting), `danger`
(the danger flags a danger assessment sets), `reads`
(recorded reads). Callers use this package: `services.situation_report(...)`.

Every function is keyword-only with the actor first, runs in one transaction, checks the permission itself
(with policies.py, whatever the caller already checked) and writes its own audit entry. Audit entries of a
situation are all recorded on the situation itself, so its history is one query; they never carry an
identity, a free text (notes, reasons, task titles may name people) nor the commune.
"""

from maillage.situations.services.coordination import (
    exclusion_add,
    exclusion_remove,
    participant_add,
    participant_remove,
    referent_assign,
    situation_close,
    situation_reopen,
    situation_restrict,
    situation_unrestrict,
)
from maillage.situations.services.danger import situation_danger_set
from maillage.situations.services.emergency import (
    EMERGENCY_REFUSED,
    emergency_access_request,
    emergency_access_review,
)
from maillage.situations.services.follow_up import task_add, task_done, timeline_add
from maillage.situations.services.lifecycle import TRANSITION_LABELS, TRANSITIONS
from maillage.situations.services.meetings import (
    meeting_access_close,
    meeting_access_open,
    situation_meeting_reviewed,
)
from maillage.situations.services.persons import consent_record, person_add, person_update, safe_contact_set
from maillage.situations.services.reads import (
    situation_name_search_record,
    situation_read,
    situation_view_record,
)
from maillage.situations.services.report import situation_report, situation_update

__all__ = [
    "EMERGENCY_REFUSED",
    "TRANSITIONS",
    "TRANSITION_LABELS",
    "consent_record",
    "emergency_access_request",
    "emergency_access_review",
    "exclusion_add",
    "exclusion_remove",
    "meeting_access_close",
    "meeting_access_open",
    "participant_add",
    "participant_remove",
    "person_add",
    "person_update",
    "referent_assign",
    "safe_contact_set",
    "situation_close",
    "situation_danger_set",
    "situation_meeting_reviewed",
    "situation_name_search_record",
    "situation_read",
    "situation_reopen",
    "situation_report",
    "situation_restrict",
    "situation_unrestrict",
    "situation_update",
    "situation_view_record",
    "task_add",
    "task_done",
    "timeline_add",
]
