"""Walking the audit chain: every hash recomputed, every link and sequence number checked.

A full walk starts at the first entry; an incremental one at the furthest checkpoint, whose entry is re-read
and re-hashed first (docs/decisions/0043-audit-checkpoints.md). Entries are read by sequence number in keyset
batches, as plain tuples of the hashed columns: memory stays constant and the hashing loop is tight.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from json import loads

from django.db import connection
from django.db.models import Exists, Func, OuterRef, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from maillage.audit.checkpoints import latest_checkpoint, stale_checkpoint
from maillage.audit.models import (
    GENESIS_HASH,
    HASHED_FIELDS,
    HEAD_PK,
    AuditChainHead,
    AuditCheckpoint,
    AuditEntry,
    chained_hash,
)

BATCH_SIZE = 10_000
COLUMNS = (*HASHED_FIELDS, "hash")
CHANGES, PREV_HASH, HASH = (
    HASHED_FIELDS.index("changes"),
    HASHED_FIELDS.index("prev_hash"),
    len(HASHED_FIELDS),
)


class _UTCText(Func):
    """A time as canonical_content() writes it (ISO 8601 in UTC, microseconds), by PostgreSQL."""

    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
    output_field = TextField()


def _selected() -> tuple:
    """COLUMNS as read for verification. The changes come as their JSON text, parsed by _hashed_values():
    Django's JSON conversion costs several times json.loads. On PostgreSQL the time and the object's id come
    as the very text the hash covers: converting times to Python through Django cost more than hashing."""
    text = {"changes": Cast("changes", TextField())}
    if connection.vendor == "postgresql":
        text |= {
            "created_at": _UTCText("created_at"),
            "object_public_id": Cast("object_public_id", TextField()),
        }
    return tuple(text.get(name, name) for name in COLUMNS)


def _hashed_values(row: tuple) -> tuple:
    return (*row[:CHANGES], loads(row[CHANGES]), *row[CHANGES + 1 : HASH])


MODIFIED = "son contenu ne correspond plus à son empreinte : elle a été modifiée."
REWRITTEN = "son empreinte n'est plus celle relevée auparavant : le journal a été réécrit depuis."


@dataclass(frozen=True)
class Progress:
    """Where a walk stands: `done` of `total` entries checked after `from_sequence`, in `elapsed` seconds."""

    from_sequence: int
    done: int
    total: int
    elapsed: float

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining(self) -> float | None:
        """Seconds left at the current rate (None before the first batch)."""
        return (self.total - self.done) / self.rate if self.rate else None


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int  # entries walked (after `from_sequence`)
    last_sequence: int
    last_hash: str
    duration: float  # seconds
    bad_sequence: int | None = None
    reason: str = ""
    from_sequence: int = 0  # 0: from the first entry; else the checkpoint the walk started after

    @property
    def full(self) -> bool:
        return self.from_sequence == 0

    @property
    def rate(self) -> float:
        """Entries walked per second."""
        return self.count / self.duration if self.duration > 0 else 0.0

    @property
    def summary(self) -> str:
        if not self.ok:
            return f"Journal altéré à l'entrée n° {self.bad_sequence} : {self.reason}"
        if self.full and not self.count:
            return "Journal intègre : aucune entrée pour l'instant."
        entries = "entrée" if self.count < 2 else "entrées"
        if self.full:
            return (
                f"Journal intègre : {self.count} {entries}, dernière empreinte {self.last_hash} "
                f"(n° {self.last_sequence})."
            )
        since = f"depuis le point de contrôle n° {self.from_sequence}, dont l'empreinte a été revérifiée"
        if not self.count:
            return f"Journal intègre : aucune nouvelle entrée {since}."
        new = "nouvelle" if self.count < 2 else "nouvelles"
        return (
            f"Journal intègre : {self.count} {new} {entries} {since}, dernière empreinte {self.last_hash} "
            f"(n° {self.last_sequence})."
        )


def parse_expected_head(text: str) -> tuple[int, str]:
    """'SEQ:HASH' as printed by `audit_head`."""
    sequence, _, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not sequence.isdigit() or int(sequence) < 1 or len(digest) != 64:
        raise ValueError("Format attendu : NUMÉRO:EMPREINTE (tel qu'affiché par audit_head).")
    try:
        int(digest, 16)
    except ValueError:
        raise ValueError("L'empreinte doit compter 64 caractères hexadécimaux.") from None
    return int(sequence), digest


def batches(after: int, up_to: int | None, batch_size: int = BATCH_SIZE):
    """Tuples of COLUMNS, entry after entry from `after` + 1, one keyset batch at a time."""
    selected = _selected()
    while True:
        batch = AuditEntry.objects.filter(sequence__gt=after)
        if up_to is not None:
            batch = batch.filter(sequence__lte=up_to)
        rows = list(batch.order_by("sequence").values_list(*selected)[:batch_size])
        yield rows
        if len(rows) < batch_size:
            return
        after = rows[-1][0]


def verify_chain(
    *,
    expect: tuple[int, str] | None = None,
    incremental: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[Progress], None] | None = None,
) -> Verification:
    """Checks the chain; stops at the first entry that does not match and says why (in French).

    The head is read first: entries written meanwhile by running requests are beyond it and left for the
    next check. `expect` (sequence, hash) — copied earlier from `audit_head` — must still be in the chain.
    `incremental`: start from the furthest checkpoint (from the first entry if there is none); every
    checkpoint must still name its entry's hash, in both modes. `progress` is called before the walk and
    after every batch.
    """
    started = time.monotonic()
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    head_sequence = head.last_sequence if head is not None else None
    checkpoint = latest_checkpoint() if incremental else None
    start = checkpoint.sequence if checkpoint is not None else 0
    count, previous_hash, expected_sequence = 0, checkpoint.hash if checkpoint else GENESIS_HASH, start + 1

    def failure(sequence: int, reason: str) -> Verification:
        return Verification(
            ok=False,
            count=count,
            last_sequence=expected_sequence - 1,
            last_hash=previous_hash,
            duration=time.monotonic() - started,
            bad_sequence=sequence,
            reason=reason,
            from_sequence=start,
        )

    found = _anchor_failure(checkpoint, head_sequence, expect)
    if found is not None:
        return failure(*found)
    total = max((head_sequence or 0) - start, 0)
    if progress is not None:
        progress(Progress(start, 0, total, time.monotonic() - started))
    for rows in batches(start, head_sequence, batch_size):
        for row in rows:
            if row[0] != expected_sequence:
                missing = (
                    f"n° {expected_sequence}"
                    if row[0] == expected_sequence + 1
                    else f"n° {expected_sequence} à {row[0] - 1}"
                )
                return failure(expected_sequence, f"entrée manquante ({missing}) : supprimée de la base.")
            if row[PREV_HASH] != previous_hash:
                return failure(
                    row[0],
                    "le lien vers l'entrée précédente est rompu : celle-ci ou la précédente a été modifiée "
                    "ou remplacée.",
                )
            if chained_hash(_hashed_values(row)) != row[HASH]:
                return failure(row[0], MODIFIED)
            if expect is not None and row[0] == expect[0] and row[HASH] != expect[1]:
                return failure(row[0], REWRITTEN)
            count += 1
            previous_hash = row[HASH]
            expected_sequence += 1
        if progress is not None:
            progress(Progress(start, count, total, time.monotonic() - started))

    last_sequence = expected_sequence - 1
    if head is None:
        if last_sequence:
            return failure(last_sequence, "la tête de chaîne a disparu de la base.")
    elif head.last_sequence != last_sequence:
        return failure(
            last_sequence + 1,
            f"la tête de chaîne annonce {head.last_sequence} entrées mais le journal s'arrête au "
            f"n° {last_sequence} : les dernières entrées ont été supprimées.",
        )
    elif head.last_hash != previous_hash:
        return failure(last_sequence, "la tête de chaîne ne porte pas l'empreinte de la dernière entrée.")
    # Entries beyond the head were written without it: outside the application. Read the head again
    # after them, so that an entry committed meanwhile by a request (with its head) is not mistaken.
    beyond = AuditEntry.objects.filter(sequence__gt=last_sequence).order_by("-sequence").first()
    if beyond is not None:
        current_head = (
            AuditChainHead.objects.filter(pk=HEAD_PK).values_list("last_sequence", flat=True).first()
        )
        if current_head is None or beyond.sequence > current_head:
            return failure(
                beyond.sequence,
                "cette entrée dépasse la tête de chaîne : elle a été ajoutée hors de Maillage.",
            )
    if expect is not None and expect[0] > last_sequence:
        return failure(
            expect[0],
            f"l'entrée relevée auparavant n'existe plus (le journal s'arrête au n° {last_sequence}) : "
            "il a été tronqué.",
        )
    return Verification(
        ok=True,
        count=count,
        last_sequence=last_sequence,
        last_hash=previous_hash,
        duration=time.monotonic() - started,
        from_sequence=start,
    )


def _anchor_failure(
    checkpoint: AuditCheckpoint | None, head_sequence: int | None, expect: tuple[int, str] | None
) -> tuple[int, str] | None:
    """What the walk will not see, checked before it: every checkpoint still names its entry's hash; the
    one the walk starts from is within the head, its entry re-hashed, no entry missing before it; an expected
    head before it is still there with its hash. (sequence, reason) of the first failure, else None."""
    stale = stale_checkpoint()
    if stale is not None:
        return stale.sequence, (
            f"le point de contrôle du {_moment(stale)} relevait une autre empreinte pour cette entrée, ou "
            "elle a disparu : le journal a été réécrit ou tronqué depuis (ou le point de contrôle falsifié)."
        )
    if checkpoint is None:
        return None
    if head_sequence is not None and checkpoint.sequence > head_sequence:
        return checkpoint.sequence, (
            f"le point de contrôle du {_moment(checkpoint)} va jusqu'à cette entrée, au-delà de la tête de "
            "chaîne : les dernières entrées ont été supprimées ou la tête reculée."
        )
    # Present, with the checkpoint's hash (stale_checkpoint() said so): is its content still what it hashed?
    reason = _rehashed(checkpoint.sequence)
    if reason is not None:
        return checkpoint.sequence, reason
    if AuditEntry.objects.filter(sequence__lte=checkpoint.sequence).count() < checkpoint.sequence:
        first = _first_missing(checkpoint.sequence)
        return first, f"entrée manquante (n° {first}) avant le point de contrôle : supprimée de la base."
    if expect is not None and expect[0] <= checkpoint.sequence:
        reason = _rehashed(expect[0], expected_hash=expect[1])
        if reason is not None:
            return expect[0], reason
    return None


def _rehashed(sequence: int, expected_hash: str | None = None) -> str | None:
    """Why the entry `sequence` read again fails, if it does: missing, another hash, content changed."""
    row = AuditEntry.objects.filter(sequence=sequence).values_list(*_selected()).first()
    if row is None:
        return "entrée manquante : supprimée de la base."
    if expected_hash is not None and row[HASH] != expected_hash:
        return REWRITTEN
    return MODIFIED if chained_hash(_hashed_values(row)) != row[HASH] else None


def _first_missing(up_to: int) -> int:
    """The first sequence number missing up to `up_to`, known to lack one: only asked after a failure."""
    if not AuditEntry.objects.filter(sequence=1).exists():
        return 1
    followed = AuditEntry.objects.filter(sequence=OuterRef("sequence") + 1)
    before_gap = (
        AuditEntry.objects.filter(sequence__lt=up_to)
        .exclude(Exists(followed))
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    return before_gap + 1


def _moment(checkpoint: AuditCheckpoint) -> str:
    return timezone.localtime(checkpoint.created_at).strftime("%d/%m/%Y à %H:%M")
