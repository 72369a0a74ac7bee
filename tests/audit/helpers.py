"""Tampering with the trail as an intruder with database access would, to prove that it shows."""

from contextlib import contextmanager

from django.db import connection

from maillage.audit.models import AuditEntry
from maillage.audit.services import record
from maillage.network.actor import Actor

TRIGGER = "audit_entry_append_only"


@contextmanager
def append_only_trigger_disabled():
    """On PostgreSQL, lift the trigger as the table owner would (the test role is a superuser)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {TRIGGER}")


def tamper(sequence: int, **values) -> None:
    with append_only_trigger_disabled():
        assert AuditEntry.objects.filter(sequence=sequence).update(**values) == 1


def remove(*sequences: int) -> None:
    with append_only_trigger_disabled():
        AuditEntry.objects.filter(sequence__in=sequences).delete()


def record_some(user, count: int, action: str = "auth.login") -> list[AuditEntry]:
    actor = Actor(user=user, membership=None)
    return [record(actor=actor, action=action, user=user) for _ in range(count)]


def entries_of(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("sequence"))
