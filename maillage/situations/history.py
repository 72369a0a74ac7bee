"""What a situation's audit trail tells its readers: the history of changes (situation page) and who
accessed it (coordinator and DPO). Entries never hold an identity (services.py); each part of the trail is
shown only to whom its predicate in policies.py allows."""

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.network.actor import Actor
from maillage.situations import policies, services
from maillage.situations.enums import ConsentAnswer, ContactChannel, PersonRole

HISTORY_SIZE = 50
VIEW_ACTIONS = [AuditAction.SITUATION_VIEWED, AuditAction.SITUATION_IDENTITY_VIEWED]
ACCESS_ACTIONS = [*VIEW_ACTIONS, AuditAction.EMERGENCY_ACCESS_GRANTED]
# They name the person set aside: who was excluded says why (policies.can_view_exclusions).
EXCLUSION_ACTIONS = [AuditAction.EXCLUSION_ADDED, AuditAction.EXCLUSION_REMOVED]

# What a recorded read was about, when not the situation page itself (services.record_view's `part`).
READ_PART_LABELS = {
    "tasks": "tâches",
    "person": "fiche d'une personne",
    "safe_contacts": "moyens de contact sûrs",
    "detection": "repérage",
}

PERSON_FIELD_LABELS = {
    "first_name": "prénom",
    "last_name": "nom d'usage",
    "birth_name": "nom de naissance",
    "birth_date": "date de naissance",
    "phone": "téléphone",
    "email": "courriel",
    "address": "adresse",
    "sex": "sexe",
    "age": "âge",
    "role": "rôle",
}


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
        entry.summary = history_summary(entry)
        shown.append(entry)
    return shown


def access_entries(actor: Actor, situation):
    """Who opened the situation, displayed its identities or asked an emergency access — and, for whom
    `can_view_exclusions` allows, who was set aside from it: newest first."""
    actions = list(ACCESS_ACTIONS)
    if policies.can_view_exclusions(actor, situation):
        actions += EXCLUSION_ACTIONS
    return AuditEntry.objects.filter(object_public_id=situation.public_id, action__in=actions).newest_first()


def history_summary(entry: AuditEntry) -> str:
    """What a change was, in words, from its audit entry (which never holds an identity)."""
    changes = entry.changes
    if "fields" in changes and entry.action in (AuditAction.PERSON_UPDATED, AuditAction.PERSON_ADDED):
        role = PersonRole(changes["role"]).label if changes.get("role") in PersonRole.values else ""
        fields = ", ".join(PERSON_FIELD_LABELS.get(f, f) for f in changes["fields"])
        return f"{role} : {fields}" if fields else role
    parts = []
    if "fields" in changes:
        parts.append(", ".join(services.FIELD_LABELS.get(f, f) for f in changes["fields"]))
    if "organisation" in changes:
        parts.append(changes["organisation"])
    if "user" in changes:
        parts.append(changes["user"])
    if "answer" in changes and changes["answer"] in ConsentAnswer.values:
        parts.append(ConsentAnswer(changes["answer"]).label)
    if "channel" in changes and changes["channel"] in ContactChannel.values:
        parts.append(ContactChannel(changes["channel"]).label)
    return " — ".join(p for p in parts if p)
