"""Checkpoints: where the last successful verification stopped, so that the next one starts there
(docs/decisions/0043-audit-checkpoints.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.utils import timezone

from maillage.audit.models import AuditCheckpoint, AuditEntry

if TYPE_CHECKING:
    from maillage.audit.verify import Verification


def latest_checkpoint() -> AuditCheckpoint | None:
    """The furthest point verified (the latest recorded, among equals)."""
    return AuditCheckpoint.objects.order_by("-sequence", "-pk").first()


def latest_full_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.filter(from_sequence=0).order_by("-created_at", "-pk").first()


def stale_checkpoint() -> AuditCheckpoint | None:
    """The first checkpoint whose entry is gone or carries another hash than the one verified then: the
    chain was rewritten (or truncated) through it since, or the checkpoint was forged. One query."""
    same_entry = AuditEntry.objects.filter(sequence=OuterRef("sequence"), hash=OuterRef("hash"))
    return AuditCheckpoint.objects.exclude(Exists(same_entry)).order_by("sequence", "pk").first()


def checkpoint_record(*, verification: Verification) -> AuditCheckpoint | None:
    """Records where a successful verification stopped; nothing when it failed or had nothing new to add
    (a full verification is always recorded: it dates the last complete check)."""
    if not verification.ok or not verification.last_sequence:
        return None
    if not verification.full and not verification.count:
        return None
    return AuditCheckpoint.objects.create(
        sequence=verification.last_sequence,
        hash=verification.last_hash,
        from_sequence=verification.from_sequence,
        created_at=timezone.now(),
    )
