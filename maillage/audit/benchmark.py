"""Measures of the audit trail: the cost of recording an entry, so that pages can budget for it (target:
under 2 ms per entry); and synthetic chained entries in volume, to time verification (`benchmark_audit`)."""

import datetime
import json
import random
import statistics
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import HEAD_PK, AuditChainHead, AuditEntry, chained_hash
from maillage.audit.services import LOCK_HEAD, MOVE_HEAD, console_actor, record
from maillage.audit.verify import COLUMNS

SYNTHETIC_BATCH = 50_000
BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1",
)


def measure_audit(n: int = 200, runs: int = 5) -> dict:
    """Median time, in milliseconds, of one `record()` inside a caller's transaction (as services do).

    Every run is rolled back: the benchmark leaves nothing in the trail.
    Returns {"n", "runs", "record_ms"}.
    """
    actor = console_actor()
    per_entry = []
    for _ in range(runs):
        with transaction.atomic():
            start = time.perf_counter()
            for i in range(n):
                record(actor=actor, action=AuditAction.AUDIT_VERIFIED, changes={"benchmark": i})
            per_entry.append((time.perf_counter() - start) * 1000 / n)
            transaction.set_rollback(True)
    return {"n": n, "runs": runs, "record_ms": round(statistics.median(per_entry), 3)}


@dataclass(frozen=True)
class Reader:
    """Who reads, for `concurrent_writes`: an account and the membership it reads through (AuditActor)."""

    user: Any
    membership: Any


def concurrent_writes(*, writers: int, seconds: float, actor=None, obj=None) -> dict:
    """`writers` threads, each with its own database connection, append entries for `seconds` as page views
    do: one short transaction each (`situation_view_record`), `situation.viewed` of `obj` by `actor` when
    given, else a console entry. The entries are committed — the lock of the chain head is held until the
    commit — so run it on a throwaway database (the command checks demo mode).

    Returns {"writers", "entries", "seconds", "per_second", "p50_ms", "p95_ms", "p99_ms", "max_ms"}: the
    latency of one write, from BEGIN to COMMIT, waiting for the head lock included."""
    if obj is not None and actor is not None:
        action, changes = AuditAction.SITUATION_VIEWED, {"emergency": False, "benchmark": True}
    else:
        actor, obj = console_actor(), None
        action, changes = AuditAction.AUDIT_VERIFIED, {"benchmark": True}
    ready = threading.Barrier(writers + 1)
    latencies: list[list[float]] = [[] for _ in range(writers)]
    failures: list[BaseException] = []

    def write(index: int) -> None:
        try:
            connection.ensure_connection()  # this thread's own connection, opened before the clock starts
            ready.wait()
            deadline = time.perf_counter() + seconds
            mine = latencies[index]
            while (started := time.perf_counter()) < deadline:
                with transaction.atomic():
                    record(actor=actor, action=action, obj=obj, changes=changes)
                mine.append(time.perf_counter() - started)
        except BaseException as error:  # noqa: BLE001 — reported by the caller
            failures.append(error)
            ready.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,), daemon=True) for i in range(writers)]
    for thread in threads:
        thread.start()
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        pass
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise failures[0]
    every = sorted(ms * 1000 for mine in latencies for ms in mine)
    return {
        "writers": writers,
        "entries": len(every),
        "seconds": elapsed,
        "per_second": len(every) / elapsed,
        "p50_ms": _quantile(every, 0.50),
        "p95_ms": _quantile(every, 0.95),
        "p99_ms": _quantile(every, 0.99),
        "max_ms": every[-1] if every else 0.0,
    }


def _quantile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def synthetic_entries_append(count: int, *, seed: int = 1, progress=None) -> int:
    """Appends `count` fictitious reads of situations, chained after the head and moving it, as `record()`
    would, but in bulk: PostgreSQL's COPY, else bulk_create, SYNTHETIC_BATCH entries per transaction.
    For benchmarks in demo mode only (the caller checks). Returns the last sequence number."""
    rng = random.Random(seed)  # noqa: S311 — fictitious data, not secrets
    last_at = AuditEntry.objects.newest_first().values_list("created_at", flat=True).first()
    now = timezone.now()
    since = last_at or now - datetime.timedelta(days=3650)
    step = (now - since) / (count + 1)
    AuditChainHead.objects.get_or_create(pk=HEAD_PK)  # missing only after a flush of the tables
    lock = LOCK_HEAD + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    written = sequence = 0
    while written < count:
        size = min(SYNTHETIC_BATCH, count - written)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(lock, [HEAD_PK])
            sequence, previous_hash = cursor.fetchone()
            rows = []
            for i in range(written, written + size):
                sequence += 1
                values = _fictitious_read(rng, sequence, since + step * (i + 1), previous_hash)
                previous_hash = chained_hash(values)
                rows.append((*values, previous_hash))
            _write(cursor, rows)
            cursor.execute(MOVE_HEAD, [sequence, previous_hash, HEAD_PK])
        written += size
        if progress is not None:
            progress(written, count)
    return sequence


def _fictitious_read(rng: random.Random, sequence: int, at: datetime.datetime, previous_hash: str) -> tuple:
    """HASHED_FIELDS of a professional's read of a situation page, as the application records them."""
    user = rng.randrange(1, 5000)
    return (
        sequence,
        at,
        user,
        f"professionnel{user}@exemple.test",
        user,
        user % 300 + 1,
        user % 100 + 1,
        None,
        AuditAction.SITUATION_VIEWED.value,
        "situations.situation",
        uuid.UUID(int=rng.getrandbits(128), version=4),
        f"10.{user % 250}.{rng.randrange(250)}.{rng.randrange(1, 250)}",
        rng.choice(BROWSERS),
        {"emergency": False, "part": rng.choice(("detail", "history", "identity"))},
        previous_hash,
    )


def _write(cursor, rows: list[tuple]) -> None:
    if connection.vendor != "postgresql":
        AuditEntry.objects.bulk_create(
            [AuditEntry(**dict(zip(COLUMNS, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    changes = COLUMNS.index("changes")
    columns = ", ".join(AuditEntry._meta.get_field(name).column for name in COLUMNS)
    # The model's own column names; every value travels as data. COPY's text format: jsonb parses the text.
    with cursor.cursor.copy(f"COPY audit_auditentry ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row[:changes], json.dumps(row[changes]), *row[changes + 1 :]))
