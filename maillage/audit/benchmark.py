"""Cost of recording an audit entry, so that pages can budget for it (target: under 2 ms per entry)."""

import statistics
import time

from django.db import transaction

from maillage.audit.enums import AuditAction
from maillage.audit.services import console_actor, record


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
