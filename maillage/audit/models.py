"""The audit trail: append-only entries, each chained to the previous one by a SHA-256 hash.

Identifiers are plain integers, not foreign keys: an entry must outlive the account, membership or
organisation it names, and nothing may cascade into the trail.
"""

import hashlib
import json
from datetime import UTC

from django.apps import apps
from django.db import models

from maillage.audit.enums import AuditAction

GENESIS_HASH = "0" * 64
HEAD_PK = 1

# What an entry's hash covers: every stored field but the key and the hash itself. Verification reads these
# columns as plain tuples, in this order, without building model instances.
HASHED_FIELDS = (
    "sequence",
    "created_at",
    "actor_user_id",
    "actor_label",
    "actor_membership_id",
    "actor_organisation_id",
    "territory_id",
    "subject_user_id",
    "action",
    "object_type",
    "object_public_id",
    "ip",
    "user_agent",
    "changes",
    "prev_hash",
)
_CREATED_AT, _OBJECT_PUBLIC_ID = HASHED_FIELDS.index("created_at"), HASHED_FIELDS.index("object_public_id")
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode


def canonical_content(values: tuple) -> bytes:
    """The canonical JSON of an entry from its HASHED_FIELDS values, in that order: sorted keys, the time in
    UTC with microseconds, the object's id as text. (Verification on PostgreSQL reads the time already
    written so, by the database: see verify.py.)"""
    content = dict(zip(HASHED_FIELDS, values, strict=True))
    created_at = values[_CREATED_AT]
    if not isinstance(created_at, str):
        content["created_at"] = created_at.astimezone(UTC).isoformat(timespec="microseconds")
    public_id = values[_OBJECT_PUBLIC_ID]
    content["object_public_id"] = str(public_id) if public_id else None
    return _encode(content).encode()


def chained_hash(values: tuple) -> str:
    """The hash an entry must carry, from its HASHED_FIELDS values (the previous hash among them)."""
    return hashlib.sha256(canonical_content(values)).hexdigest()


class AuditEntryQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-sequence")


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField("n°", unique=True, editable=False)
    created_at = models.DateTimeField("date", db_index=True, editable=False)
    # Who acted: the account (kept as a number so the entry outlives it) and a label readable without it:
    # the e-mail address, "console" for management commands, "anonyme" for an unknown visitor.
    actor_user_id = models.BigIntegerField(null=True, editable=False)
    actor_label = models.CharField("auteur", max_length=254, editable=False)
    # As what: the active membership and its organisation; the territory the event belongs to (DPO scope).
    actor_membership_id = models.BigIntegerField(null=True, editable=False)
    actor_organisation_id = models.BigIntegerField(null=True, editable=False)
    territory_id = models.BigIntegerField(null=True, db_index=True, editable=False)
    # The account an account-level event is about (sign-ins, failed sign-ins, second factors, passwords).
    subject_user_id = models.BigIntegerField(null=True, db_index=True, editable=False)
    # No `choices`: adding an action to AuditAction must not need a migration.
    action = models.CharField("action", max_length=64, editable=False)
    object_type = models.CharField("type d'objet", max_length=64, blank=True, editable=False)
    object_public_id = models.UUIDField("identifiant de l'objet", null=True, db_index=True, editable=False)
    # Stored as text, not inet: the hash covers exactly the characters written, with no database rewriting.
    ip = models.CharField("adresse IP", max_length=45, blank=True, editable=False)
    user_agent = models.CharField("navigateur", max_length=255, blank=True, editable=False)
    # Small JSON of what changed (field → [old, new]) or facts. Never a decrypted identity value.
    changes = models.JSONField("détails", default=dict, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField("empreinte", max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "entrées du journal d'audit"
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"n° {self.sequence} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("An audit entry is never modified.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("An audit entry is never deleted.")

    def canonical_content(self) -> bytes:
        """Every stored field but the hash itself, in one deterministic serialisation."""
        return canonical_content(self.hashed_values())

    def compute_hash(self) -> str:
        return chained_hash(self.hashed_values())

    def hashed_values(self) -> tuple:
        return tuple(getattr(self, name) for name in HASHED_FIELDS)

    @property
    def action_label(self) -> str:
        # Not `in AuditAction.values`: that builds the list of every action at each call (a situation's
        # history page labels dozens of entries).
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action

    @property
    def object_type_label(self) -> str:
        if not self.object_type:
            return ""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type

    @property
    def changes_text(self) -> str:
        return json.dumps(self.changes, ensure_ascii=False, sort_keys=True) if self.changes else ""


class AuditChainHead(models.Model):
    """The one row every writer locks: the last sequence number and hash, so concurrent writers queue up
    instead of forking the chain. Created by a migration."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "tête de la chaîne d'audit"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=HEAD_PK), name="audit_chain_head_one_row")
        ]

    def __str__(self) -> str:
        return f"{self.last_sequence}:{self.last_hash}"


class AuditCheckpoint(models.Model):
    """A verification that succeeded: the chain was whole from `from_sequence` (0: from its first entry) up
    to the entry `sequence`, whose hash was `hash`. The next verification starts from the furthest one
    (docs/decisions/0043-audit-checkpoints.md). Append-only, like the entries."""

    sequence = models.PositiveBigIntegerField("jusqu'au n°", editable=False)
    hash = models.CharField("empreinte", max_length=64, editable=False)
    from_sequence = models.PositiveBigIntegerField("depuis le n°", editable=False)
    created_at = models.DateTimeField("date", editable=False)

    class Meta:
        verbose_name = "point de contrôle du journal d'audit"
        verbose_name_plural = "points de contrôle du journal d'audit"
        ordering = ["sequence", "pk"]

    def __str__(self) -> str:
        return f"{self.sequence}:{self.hash}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("An audit checkpoint is never modified.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("An audit checkpoint is never deleted.")
