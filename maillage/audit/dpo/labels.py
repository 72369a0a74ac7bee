"""What the DPO reads instead of raw ids and JSON: objects by their label (a situation by its pseudonym),
authors by their name, details as sentences. Apps above the audit register how their objects are found and
named (`register_object_type`, from their AppConfig.ready), as they register notification kinds: the audit
knows none of them."""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from maillage.accounts.models import User


@dataclass(frozen=True)
class ObjectType:
    find: Callable[[int, str], list[uuid.UUID]]  # (territory id, typed label) → public ids
    labels: Callable[[int, set[uuid.UUID]], dict[uuid.UUID, str]]  # one query for a page


_types: dict[str, ObjectType] = {}


def register_object_type(object_type: str, *, find, labels) -> None:
    _types[object_type] = ObjectType(find=find, labels=labels)


def find_objects(territory_id: int, text: str) -> list[uuid.UUID]:
    """The public ids of the objects of the territory whose label is `text` (e.g. a pseudonym)."""
    found: list[uuid.UUID] = []
    for object_type in _types.values():
        found.extend(object_type.find(territory_id, text))
    return found


def label_entries(entries: Iterable, territory_id: int) -> None:
    """Sets `object_label`, `author_label`, `subject_label` and `details` on each entry, in one query per kind
    of object and one for the people."""
    entries = list(entries)
    # Ids in the details (a situation named by an emergency access entry…) are looked up with the objects.
    ids = {e.object_public_id for e in entries if e.object_public_id}
    for entry in entries:
        ids |= set(_ids_in(entry.changes))
    labels: dict[uuid.UUID, str] = {}
    if ids:
        for object_type in _types.values():
            labels.update(object_type.labels(territory_id, ids))
    user_ids = {e.actor_user_id for e in entries if e.actor_user_id} | {
        e.subject_user_id for e in entries if e.subject_user_id
    }
    people = {
        u.pk: (u.get_full_name() or u.email, u.email)
        for u in User.objects.filter(pk__in=user_ids).only("first_name", "last_name", "email")
    }
    for entry in entries:
        entry.object_label = labels.get(entry.object_public_id, "")
        name, email = people.get(entry.actor_user_id, ("", ""))
        entry.author_label = f"{name} ({email})" if name and name != email else entry.actor_label
        subject = entry.subject_user_id if entry.subject_user_id != entry.actor_user_id else None
        entry.subject_label = people.get(subject, ("", ""))[0] if subject else ""
        entry.details = describe_changes(entry.changes, {str(k): v for k, v in labels.items()})


KEY_LABELS = {
    "access": "accès d'urgence",
    "allowed": "autorisé",
    "answer": "réponse",
    "audit_head": "tête du journal",
    "channel": "moyen de contact",
    "close": "clôture",
    "commune": "commune",
    "email": "adresse électronique",
    "expires_at": "expire le",
    "fields": "champs",
    "from": "avant",
    "kind": "type",
    "legal_ground": "fondement",
    "login": "identifiant saisi",
    "member": "membre",
    "membership": "adhésion",
    "name": "nom",
    "organisation": "organisation",
    "organisations": "organisations",
    "part": "partie",
    "person": "personne",
    "pseudonym": "pseudonyme",
    "reason": "motif",
    "requested": "demandé",
    "results": "résultats",
    "review": "avis",
    "role": "rôle",
    "roles": "rôles",
    "situation": "situation",
    "status": "état",
    "task": "tâche",
    "to": "après",
    "urgent": "danger immédiat",
    "version": "version",
    "visibility": "visibilité",
}


# Details holding a list of names, not an edited field's [before, after] pair.
LIST_KEYS = {"fields", "organisations", "requested", "roles", "sources", "victims", "violence_types"}


def describe_changes(changes, labels: dict[str, str] | None = None) -> list[str]:
    """Each detail as « libellé : valeur » — booleans in words, lists joined, an edited field's [avant, après]
    pair shown as « avant → après », and the ids of known objects by their label (a situation's pseudonym)."""
    if not isinstance(changes, dict):
        return [str(changes)] if changes else []
    labels = labels or {}
    return [f"{_label(key)} : {_value(key, value, labels)}" for key, value in sorted(changes.items())]


def _ids_in(value) -> list[uuid.UUID]:
    if isinstance(value, dict):
        return [i for v in value.values() for i in _ids_in(v)]
    if isinstance(value, list | tuple):
        return [i for v in value for i in _ids_in(v)]
    if isinstance(value, str) and len(value) == 36:
        try:
            return [uuid.UUID(value)]
        except ValueError:
            return []
    return []


def _label(key: str) -> str:
    return KEY_LABELS.get(key, key.replace("_", " "))


def _value(key: str, value, labels: dict[str, str]) -> str:
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dict):
        return " ; ".join(f"{_label(k)} {_value(k, v, labels)}" for k, v in sorted(value.items()))
    if isinstance(value, list | tuple):
        if len(value) == 2 and key not in LIST_KEYS:
            return f"{_value('', value[0], labels)} → {_value('', value[1], labels)}"
        return ", ".join(_value("", v, labels) for v in value)
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)
