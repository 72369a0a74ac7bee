"""What a situation and its audit trail say in words: field labels (the models' verbose names), values as a
person reads them, the message of a refused stale edit, and one line per change in the history."""

import datetime

from django.utils.text import capfirst

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.situations.enums import (
    ClosureReason,
    ConsentAnswer,
    ContactChannel,
    DetectionSource,
    PersonRole,
    SituationStatus,
    ViolenceType,
)
from maillage.situations.models import PERSON_FIELDS, Person, Situation

# The situation's own fields that a change may name (versioned saves, services.lifecycle).
FIELD_LABELS = {
    name: capfirst(Situation._meta.get_field(name).verbose_name)
    for name in (
        "commune",
        "detected_on",
        "sources",
        "violence_types",
        "urgent",
        "status",
        "closure_reason",
        "referent",
        "restricted",
        "restriction_reason",
        "high_danger",
        "proposed_for_meeting",
    )
}
# A person's fields as a history line names them; « nom » alone would not tell it from the birth name.
PERSON_FIELD_LABELS = {name: Person._meta.get_field(name).verbose_name for name in PERSON_FIELDS} | {
    "last_name": "nom d'usage"
}
# What a recorded read was about, when not the situation page itself (services.reads, `part`).
READ_PART_LABELS = {
    "tasks": "tâches",
    "person": "fiche d'une personne",
    "safe_contacts": "moyens de contact sûrs",
    "detection": "repérage",
    "referral": "résumé d'une orientation",
    "assessments": "évaluations du danger",
    "measures": "mesures de protection",
    "housing": "demande ou séjour d'hébergement",
    "meeting": "examen en cellule de suivi",
}
# A meeting's access opened or closed names the meeting's day and how many people (never who, on the page).
MEETING_ACCESS_ACTIONS = (AuditAction.MEETING_ACCESS_OPENED, AuditAction.MEETING_ACCESS_CLOSED)


def describe_value(situation: Situation, name: str) -> str:
    """A field's current value as a person reads it, or "" for a field shown as changed only."""
    value = getattr(situation, name)
    if name in ("detected_on", "proposed_for_meeting"):
        return value.strftime("%d/%m/%Y") if value else "aucune"
    if name == "sources":
        return ", ".join(DetectionSource(v).label for v in value) or "aucune"
    if name == "violence_types":
        return ", ".join(ViolenceType(v).label for v in value) or "aucun"
    if name in ("urgent", "restricted", "high_danger"):
        return "oui" if value else "non"
    if name == "status":
        return SituationStatus(value).label
    if name == "closure_reason":
        return ClosureReason(value).label if value else "aucun"
    if name == "referent":
        return str(value.user) if value is not None else "aucune personne"
    return ""


def changes_since(situation: Situation, version: int) -> list[str]:
    """Names of the situation's fields changed after `version`, read from its audit entries."""
    names: list[str] = []
    entries = AuditEntry.objects.filter(object_public_id=situation.public_id).newest_first()
    for changes in entries.values_list("changes", flat=True)[:200]:
        versions = changes.get("version")
        if not versions or versions[1] <= version:
            continue
        names.extend(n for n in changes.get("fields", []) if n not in names)
    return names


def conflict_message(situation: Situation, version: int) -> str:
    """Why a form read at `version` was refused: what changed meanwhile, with the current values (the
    commune shown as changed only)."""
    parts = []
    for name in changes_since(situation, version):
        value = describe_value(situation, name)
        label = FIELD_LABELS.get(name, name)
        parts.append(f"{label} : {value}" if value else f"{label} (modifié)")
    meanwhile = " ; ".join(parts) if parts else "plusieurs éléments"
    return (
        "Quelqu'un a modifié cette situation pendant que vous la modifiiez. Changements intervenus "
        f"entre-temps : {meanwhile}. Vos modifications n'ont pas été enregistrées : vérifiez-les "
        "ci-dessous puis enregistrez à nouveau."
    )


def meeting_day(changes: dict) -> str:
    """« 12/03/2026 »: the day of the coordination meeting an entry is about (stored as an ISO date)."""
    return datetime.date.fromisoformat(changes["meeting_on"]).strftime("%d/%m/%Y")


def _meeting_access(changes: dict) -> str:
    people = len(changes.get("users", []))
    return f"cellule de suivi du {meeting_day(changes)} — {people} personne{'s' if people > 1 else ''}"


def read_ground(entry: AuditEntry) -> str:
    """Through which borrowed ground a recorded read was made, in words, or "" for the reader's own (and,
    for a meeting's access opened or closed, which meeting and how many people)."""
    if entry.action in MEETING_ACCESS_ACTIONS:
        return f" : {_meeting_access(entry.changes)}"
    if entry.changes.get("meeting_on"):
        return f" (pendant la cellule de suivi du {meeting_day(entry.changes)})"
    if entry.changes.get("emergency"):
        return " (accès d'urgence)"
    return ""


def history_summary(entry: AuditEntry) -> str:
    """What a change was, in words, from its audit entry (which never holds an identity)."""
    changes = entry.changes
    if entry.action in MEETING_ACCESS_ACTIONS:
        return _meeting_access(changes)
    if "fields" in changes and entry.action in (AuditAction.PERSON_UPDATED, AuditAction.PERSON_ADDED):
        role = PersonRole(changes["role"]).label if changes.get("role") in PersonRole.values else ""
        fields = ", ".join(PERSON_FIELD_LABELS.get(f, f) for f in changes["fields"])
        return f"{role} : {fields}" if fields else role
    parts = []
    if "fields" in changes:
        parts.append(", ".join(FIELD_LABELS.get(f, f) for f in changes["fields"]))
    if "organisation" in changes:
        parts.append(changes["organisation"])
    if "user" in changes:
        parts.append(changes["user"])
    if "answer" in changes and changes["answer"] in ConsentAnswer.values:
        parts.append(ConsentAnswer(changes["answer"]).label)
    if "channel" in changes and changes["channel"] in ContactChannel.values:
        parts.append(ContactChannel(changes["channel"]).label)
    if changes.get("meeting_on"):
        parts.append(f"cellule de suivi du {meeting_day(changes)}")
    return " — ".join(p for p in parts if p)
