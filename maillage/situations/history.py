"""What a situation's audit trail tells its readers: the history of changes (situation page) and who
accessed it (coordinator and DPO). Entries never hold an identity (services); each part of the trail is
shown only to whom its predicate in policies.py allows."""

from django.db.models import Q

from maillage.accounts.models import User
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.network.actor import Actor
from maillage.situations import policies, presentation

HISTORY_SIZE = 50
VIEW_ACTIONS = [AuditAction.SITUATION_VIEWED, AuditAction.SITUATION_IDENTITY_VIEWED]
ACCESS_ACTIONS = [
    *VIEW_ACTIONS,
    AuditAction.EMERGENCY_ACCESS_GRANTED,
    AuditAction.MEETING_ACCESS_OPENED,
    AuditAction.MEETING_ACCESS_CLOSED,
]
# They name the person set aside: who was excluded says why (policies.can_view_exclusions).
EXCLUSION_ACTIONS = [AuditAction.EXCLUSION_ADDED, AuditAction.EXCLUSION_REMOVED]


def situation_history(
    actor: Actor, situation, visible_entry_ids: set[str], *, also_named: list[AuditEntry] = ()
) -> list[AuditEntry]:
    """Changes recorded on this situation, newest first; notes the reader cannot see are left out, and
    exclusions unless the reader may see them. `also_named`: other entries of the page (latest accesses)
    named in the same query."""
    hidden = list(VIEW_ACTIONS)
    if not policies.can_view_exclusions(actor, situation):
        hidden += EXCLUSION_ACTIONS
    entries = list(
        AuditEntry.objects.filter(object_public_id=situation.public_id)
        .exclude(action__in=hidden)
        .newest_first()[:HISTORY_SIZE]
    )
    with_names([*entries, *also_named])
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


def with_names(entries) -> list[AuditEntry]:
    """Sets `actor_name` on each entry, and names the person a change is about (`changes["user"]`): the
    trail keeps e-mail addresses (it must outlive accounts), readers see people's names. One query."""
    entries = list(entries)
    ids = {e.actor_user_id for e in entries if e.actor_user_id}
    emails = {e.changes["user"] for e in entries if isinstance(e.changes.get("user"), str)}
    by_id, by_email = {}, {}
    if ids or emails:
        for user in User.objects.filter(Q(pk__in=ids) | Q(email__in=emails)):
            by_id[user.pk], by_email[user.email] = str(user), str(user)
    for entry in entries:
        entry.actor_name = by_id.get(entry.actor_user_id, entry.actor_label)
        if isinstance(entry.changes.get("user"), str):
            entry.changes = {
                **entry.changes,
                "user": by_email.get(entry.changes["user"], entry.changes["user"]),
            }
    return entries
