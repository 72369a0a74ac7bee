"""A situation's lifecycle and its versioned saves.

Status is a state machine (`TRANSITIONS`); every change of the situation's own fields bumps its `version`
and records `{"version": [old, new], "fields": [...]}` so a stale edit can be told what changed meanwhile
(presentation.conflict_message)."""

from maillage import audit
from maillage.errors import DomainError
from maillage.network.actor import Actor
from maillage.situations.enums import SituationStatus
from maillage.situations.models import Situation

# The lifecycle of a situation: every allowed move (name → from which states, to which state), in one place.
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "follow": ({SituationStatus.NEW}, SituationStatus.FOLLOWED),
    "close": ({SituationStatus.NEW, SituationStatus.FOLLOWED}, SituationStatus.CLOSED),
    "reopen": ({SituationStatus.CLOSED}, SituationStatus.FOLLOWED),
}
TRANSITION_LABELS = {"follow": "passer en suivi", "close": "être clôturée", "reopen": "être rouverte"}
# Situation fields whose old and new values may appear in the audit trail and in a conflict message.
# The commune (where the victim lives) and free texts (restriction reason) are recorded as changed only.
PLAIN_VALUE_FIELDS = {
    "detected_on",
    "sources",
    "violence_types",
    "urgent",
    "status",
    "closure_reason",
    "restricted",
    "high_danger",
    "proposed_for_meeting",
}


def locked(situation: Situation) -> Situation:
    return Situation.objects.select_for_update().get(pk=situation.pk)


def transition(situation: Situation, name: str) -> None:
    sources, target = TRANSITIONS[name]
    if situation.status not in sources:
        raise DomainError(
            f"Une situation « {SituationStatus(situation.status).label} » ne peut pas "
            f"{TRANSITION_LABELS[name]}."
        )
    situation.status = target


def follow_if_new(situation: Situation) -> None:
    if situation.status == SituationStatus.NEW:
        transition(situation, "follow")


def snapshot(situation: Situation, *names: str) -> dict:
    return {name: getattr(situation, name) for name in names}


def _plain(name: str, value):
    if name == "referent":
        return str(value.public_id) if value is not None else None
    return value


def save_versioned(
    *, actor: Actor, situation: Situation, before: dict, action: str, extra: dict | None = None
) -> Situation:
    """Saves the situation if any field of `before` changed: bumps the version, records one audit entry."""
    changed = [name for name, old in before.items() if getattr(situation, name) != old]
    if not changed and extra is None:
        return situation
    changes: dict = {}
    if changed:
        old_version = situation.version
        situation.version = old_version + 1
        situation.save()
        changes = {"version": [old_version, situation.version], "fields": changed}
        for name in changed:
            if name in PLAIN_VALUE_FIELDS or name == "referent":
                changes[name] = [_plain(name, before[name]), _plain(name, getattr(situation, name))]
    changes.update(extra or {})
    audit.record(actor=actor, action=action, obj=situation, changes=changes)
    return situation
