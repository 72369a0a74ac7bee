"""Walking the audit chain: every hash recomputed, every link and sequence number checked.

Batches by sequence number (keyset), so memory stays constant whatever the length of the trail.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from maillage.audit.models import GENESIS_HASH, HEAD_PK, AuditChainHead, AuditEntry

BATCH_SIZE = 2000


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int  # entries checked
    last_sequence: int
    last_hash: str
    duration: float  # seconds
    bad_sequence: int | None = None
    reason: str = ""

    @property
    def summary(self) -> str:
        if self.ok and not self.count:
            return "Journal intègre : aucune entrée pour l'instant."
        if self.ok:
            entries = "entrée" if self.count < 2 else "entrées"
            return (
                f"Journal intègre : {self.count} {entries}, dernière empreinte {self.last_hash} "
                f"(n° {self.last_sequence})."
            )
        return f"Journal altéré à l'entrée n° {self.bad_sequence} : {self.reason}"


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


def entries(batch_size: int = BATCH_SIZE, up_to: int | None = None):
    last = 0
    while True:
        batch = AuditEntry.objects.filter(sequence__gt=last).order_by("sequence")
        if up_to is not None:
            batch = batch.filter(sequence__lte=up_to)
        rows = list(batch[:batch_size])
        yield from rows
        if len(rows) < batch_size:
            return
        last = rows[-1].sequence


def verify_chain(*, expect: tuple[int, str] | None = None, batch_size: int = BATCH_SIZE) -> Verification:
    """Checks the whole chain; stops at the first entry that does not match and says why (in French).

    The head is read first: entries written meanwhile by running requests are beyond it and left for the
    next check. `expect` (sequence, hash) — copied earlier from `audit_head` — must still be in the chain.
    """
    started = time.monotonic()
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    head_sequence = head.last_sequence if head is not None else 0

    count, previous_hash, expected_sequence = 0, GENESIS_HASH, 1

    def failure(sequence: int, reason: str) -> Verification:
        return Verification(
            ok=False,
            count=count,
            last_sequence=expected_sequence - 1,
            last_hash=previous_hash,
            duration=time.monotonic() - started,
            bad_sequence=sequence,
            reason=reason,
        )

    for entry in entries(batch_size, up_to=head_sequence if head is not None else None):
        if entry.sequence != expected_sequence:
            missing = (
                f"n° {expected_sequence}"
                if entry.sequence == expected_sequence + 1
                else f"n° {expected_sequence} à {entry.sequence - 1}"
            )
            return failure(expected_sequence, f"entrée manquante ({missing}) : supprimée de la base.")
        if entry.prev_hash != previous_hash:
            return failure(
                entry.sequence,
                "le lien vers l'entrée précédente est rompu : celle-ci ou la précédente a été modifiée "
                "ou remplacée.",
            )
        if entry.compute_hash() != entry.hash:
            return failure(
                entry.sequence, "son contenu ne correspond plus à son empreinte : elle a été modifiée."
            )
        if expect is not None and entry.sequence == expect[0] and entry.hash != expect[1]:
            return failure(
                entry.sequence,
                "son empreinte n'est plus celle relevée auparavant : le journal a été réécrit depuis.",
            )
        count += 1
        previous_hash = entry.hash
        expected_sequence += 1

    last_sequence = expected_sequence - 1
    if head is None:
        if count:
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
    )
