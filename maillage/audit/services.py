"""Recording audit entries: `record()`, called by every service inside its own transaction.

The audit core imports no domain app: who acts is anything shaped like `AuditActor` (`maillage.network.actor.
Actor` is one), and the console of management commands is `console_actor()`.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import math
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from maillage.audit.checkpoints import checkpoint_record
from maillage.audit.context import current_origin
from maillage.audit.enums import AuditAction
from maillage.audit.models import GENESIS_HASH, HEAD_PK, AuditChainHead, AuditEntry
from maillage.audit.verify import Verification, verify_chain

CONSOLE_LABEL = "console"
ANONYMOUS_LABEL = "anonyme"
CHANGES_MAX_BYTES = 8192
# Values of these modules are encrypted identity material (maillage.privacy): never in the trail.
FORBIDDEN_VALUE_MODULES = ("maillage.privacy",)
CONSOLE_EMAIL = "console@maillage.invalid"


class AuditActor(Protocol):
    """Who acts, as the trail records it: an account (`user.pk`, `user.email`; the console has no pk) and the
    membership it acts through (`pk`, `organisation_id`, `territory_id`), or None."""

    @property
    def user(self) -> Any: ...

    @property
    def membership(self) -> Any: ...


@dataclass(frozen=True)
class ConsoleUser:
    """Stands for whoever runs a management command on the server: not an account (no pk, never stored)."""

    email: str = CONSOLE_EMAIL
    pk: None = None
    # Whoever runs a command already holds the server and its database: they act as the technical
    # administrator, which the services that authorise by this flag (territory import…) accept.
    is_platform_admin: bool = True


@dataclass(frozen=True)
class ConsoleActor:
    """The actor of a management command (`rotate_keys`, `import_territory`…): recorded as « console »."""

    user: ConsoleUser = field(default_factory=ConsoleUser)
    membership: None = None
    is_platform_admin: bool = True
    is_member: bool = False


def console_actor() -> ConsoleActor:
    return ConsoleActor()


def record(
    *,
    actor: AuditActor | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    user=None,
    territory=None,
) -> AuditEntry:
    """Appends one entry to the trail and returns it.

    Joins the caller's transaction: the entry is written with the change it records, or not at all.
    `actor` is None for an anonymous event (failed sign-in); `user` is the account an account-level event
    is about (sign-in, second factor…); `territory` defaults to the object's, then the actor's.
    `changes` is a small JSON of field → [old, new] or facts — never a decrypted identity value: values of
    maillage.privacy types, and keys naming an encrypted field of `obj`, are refused.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditAction with its French label.")
    action = AuditAction(action).value
    clean_changes = _checked_changes(changes or {}, obj)
    origin = current_origin()
    membership = actor.membership if actor is not None else None
    entry = AuditEntry(
        actor_user_id=actor.user.pk if actor is not None else None,
        actor_label=_actor_label(actor),
        actor_membership_id=membership.pk if membership is not None else None,
        actor_organisation_id=membership.organisation_id if membership is not None else None,
        territory_id=_territory_id(territory, obj, membership),
        subject_user_id=user.pk if user is not None else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_public_id=getattr(obj, "public_id", None),
        ip=origin.ip,
        user_agent=origin.user_agent,
        changes=clean_changes,
    )
    # Every value but the chain's own (sequence, time, previous hash, hash) is prepared before the head is
    # locked: from the lock to the commit, the other writers wait (ADR 0044).
    prepared = {
        f.attname: f.get_db_prep_save(getattr(entry, f.attname), connection)
        for f in _ENTRY_FIELDS
        if f.attname not in _CHAIN_FIELDS
    }
    # No savepoint: if the entry cannot be written, the caller's whole transaction must fail with it.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        entry.sequence, entry.prev_hash = _lock_head(cursor)
        entry.sequence += 1
        entry.created_at = timezone.now()
        entry.hash = entry.compute_hash()
        for name in _CHAIN_FIELDS:
            prepared[name] = AuditEntry._meta.get_field(name).get_db_prep_save(
                getattr(entry, name), connection
            )
        values = [prepared[f.attname] for f in _ENTRY_FIELDS]
        if connection.vendor == "postgresql":
            # The entry and the head's move in one statement: one round trip less while holding the lock.
            cursor.execute(_append_statement(), [*values, entry.sequence, entry.hash, HEAD_PK])
            entry.pk = cursor.fetchone()[0]
        else:
            cursor.execute(_insert_statement(), values)
            entry.pk = cursor.fetchone()[0]
            cursor.execute(MOVE_HEAD, [entry.sequence, entry.hash, HEAD_PK])
    entry._state.adding, entry._state.db = False, connection.alias
    return entry


def audit_verify(*, actor: AuditActor) -> Verification:
    """Verifies the chain now from the last checkpoint (a web request cannot wait for a full walk of millions
    of entries: the server's `verify_audit --full` does it), records a checkpoint when it holds and that
    `actor` verified, with the result (`audit.verified`).

    The page that offers it decides who may (the DPO); `maillage verify_audit` verifies without recording
    an entry."""
    result = verify_chain(incremental=True)
    with transaction.atomic():
        checkpoint_record(verification=result)
        record(
            actor=actor,
            action=AuditAction.AUDIT_VERIFIED,
            changes={
                "ok": result.ok,
                "entries": result.count,
                "from_sequence": result.from_sequence,
                "bad_sequence": result.bad_sequence,
            },
        )
    return result


def _actor_label(actor: AuditActor | None) -> str:
    if actor is None:
        return ANONYMOUS_LABEL
    if actor.user.pk is None:  # console_actor(): whoever holds the server
        return CONSOLE_LABEL
    return actor.user.email


def _territory_id(territory, obj, membership) -> int | None:
    if territory is not None:
        return territory.pk
    if obj is not None and getattr(obj, "territory_id", None) is not None:
        return obj.territory_id
    return membership.territory_id if membership is not None else None


# Every service and every read of a nominative record comes through here: three short statements (lock the
# head, insert, move the head; the last two are one on PostgreSQL) written once, rather than the ORM's query
# building, which costs more than the database work itself (see docs/decisions/0007-audit-trail.md).
_ENTRY_FIELDS = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
LOCK_HEAD = "SELECT last_sequence, last_hash FROM audit_auditchainhead WHERE id = %s"
MOVE_HEAD = "UPDATE audit_auditchainhead SET last_sequence = %s, last_hash = %s WHERE id = %s"


# Known only once the head is locked.
_CHAIN_FIELDS = ("sequence", "created_at", "prev_hash", "hash")


@functools.cache
def _insert_statement() -> str:
    columns = ", ".join(f.column for f in _ENTRY_FIELDS)
    placeholders = ", ".join(["%s"] * len(_ENTRY_FIELDS))
    # The model's own column names; every value is a parameter.
    return f"INSERT INTO audit_auditentry ({columns}) VALUES ({placeholders}) RETURNING id"  # noqa: S608


@functools.cache
def _append_statement() -> str:
    """PostgreSQL: the insert and the head's move in one statement (a data-modifying WITH); returns the id."""
    # The insert of `_insert_statement`; every value is a parameter.
    return (
        f"WITH entry AS ({_insert_statement()}) "  # noqa: S608
        "UPDATE audit_auditchainhead SET last_sequence = %s, last_hash = %s FROM entry "
        "WHERE audit_auditchainhead.id = %s RETURNING entry.id"
    )


def _lock_head(cursor) -> tuple[int, str]:
    """The chain head (last sequence, last hash), locked until the transaction ends: a row lock on
    PostgreSQL; on SQLite the IMMEDIATE transaction already holds the database's write lock."""
    lock_head = LOCK_HEAD + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    cursor.execute(lock_head, [HEAD_PK])
    row = cursor.fetchone()
    if row is None:
        _create_head()
        cursor.execute(lock_head, [HEAD_PK])
        row = cursor.fetchone()
    return row[0], row[1]


def _create_head() -> None:
    """The migration creates the head; it is only missing after a table flush (tests) — or if someone
    deleted it, which must not silently restart the chain."""
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=HEAD_PK, last_sequence=0, last_hash=GENESIS_HASH)
    except IntegrityError:
        return  # created meanwhile by a concurrent writer, with its first entry
    if AuditEntry.objects.exists():
        raise RuntimeError("The audit chain head is missing while entries exist: run verify_audit.")


def _encrypted_fields(obj) -> list:
    if obj is None:
        return []
    return [f for f in obj._meta.concrete_fields if type(f).__module__.startswith(FORBIDDEN_VALUE_MODULES)]


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _checked_changes(changes: dict, obj) -> dict:
    """`changes` as plain JSON, refusing what would leak an encrypted identity: keys naming an encrypted
    field of `obj`, or any value equal to one of its decrypted values already loaded. (A decrypted value
    is a plain str or date, so the rule cannot be enforced in general: never pass identity values.)"""
    if not isinstance(changes, dict):
        raise TypeError("Audit changes must be a dict.")
    encrypted = _encrypted_fields(obj)
    forbidden = {name for f in encrypted for name in (f.name, f.attname)} & set(changes)
    if forbidden:
        raise ValueError(
            f"Audit changes may not carry encrypted identity fields ({', '.join(sorted(forbidden))}): "
            "record that they changed, not their values."
        )
    clean = _json_value(changes)
    if encrypted:
        loaded = {obj.__dict__.get(f.attname) for f in encrypted} - {None, ""}
        secrets = {_json_value(v) for v in loaded}
        if any(leaf in secrets for leaf in _leaves(clean) if leaf not in (None, "")):
            raise ValueError(
                "Audit changes may not carry the decrypted value of an encrypted identity field."
            )
    if len(json.dumps(clean, ensure_ascii=False).encode()) > CHANGES_MAX_BYTES:
        raise ValueError(
            f"Audit changes are limited to {CHANGES_MAX_BYTES} bytes: record facts, not documents."
        )
    return clean


def _json_value(value):
    """The value as plain JSON, exactly as it will read back from the database (so the hash holds)."""
    kind = type(value)
    if kind.__module__.startswith(FORBIDDEN_VALUE_MODULES):
        raise TypeError("Audit changes never carry encrypted or decrypted identity values.")
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("Audit changes cannot hold NaN or infinity.")
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date | uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_json_value(v) for v in value)
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("Audit changes have text keys only.")
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, str | int):  # enum members (TextChoices) and other subclasses
        return str(value) if isinstance(value, str) else int(value)
    raise TypeError(f"Audit changes hold plain values only, not {kind.__name__}.")
