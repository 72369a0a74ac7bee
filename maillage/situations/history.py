"""What a situation's audit trail tells its readers: the history of changes (situation page) and who
accessed it (coordinator and DPO). Entries never hold an identity (services); each part of the trail is
shown only to whom its predicate in policies.py allows."""

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.network.actor import Actor
from maillage.situations import policies, presentation

HISTORY_SIZE = 50
VIEW_ACTIONS = [AuditAction.SITUATION_VIEWED, AuditAction.SITUATION_IDENTITY_VIEWED]
ACCESS_ACTIONS = [*VIEW_ACTIONS, AuditAction.EMERGENCY_ACCESS_GRANTED]
# They name the person set aside: who was excluded says why (policies.can_view_exclusions).
EXCLUSION_ACTIONS = [AuditAction.EXCLUSION_ADDED, AuditAction.EXCLUSION_REMOVED]


def situation_history(actor: Actor, situation, visible_entry_ids: set[str]) -> list[AuditEntry]:
    """Changes recorded on this situation, newest first; notes the reader cannot see are left out, and
    exclusions unless the reader may see them."""
    hidden = list(VIEW_ACTIONS)
    if not policies.can_view_exclusions(actor, situation):
        hidden += EXCLUSION_ACTIONS
    entries = list(
        AuditEntry.objects.filter(object_public_id=situation.public_id)
        .exclude(action__in=hidden)
        .newest_first()[:HISTORY_SIZE]
    )
    shown = []
    for entry in entries:
        if entry.action == AuditAction.TIMELINE_ADDED and entry.changes.get("entry") not in visible_entry_ids:
            continue
        entry.summary = presentation.history_summary(entry)
        shown.append(entry)
    return shown


def access_entries(actor: Actor, situation):
    """Who opened the situation, displayed its identities or asked an emergency access — and, for whom
    `can_view_exclusions` allows, who was set aside from it: newest first."""
    actions = list(ACCESS_ACTIONS)
    if policies.can_view_exclusions(actor, situation):
        actions += EXCLUSION_ACTIONS
    return AuditEntry.objects.filter(object_public_id=situation.public_id, action__in=actions).newest_first()
