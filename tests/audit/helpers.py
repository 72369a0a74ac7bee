"""Tampering with the trail as an intruder with database access would, to prove that it shows."""

from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from maillage.audit.models import AuditCheckpoint, AuditEntry
from maillage.audit.services import record
from maillage.network.actor import Actor

TRIGGERS = {
    "audit_auditentry": "audit_entry_append_only",
    "audit_auditcheckpoint": "audit_checkpoint_append_only",
}


@contextmanager
def append_only_trigger_disabled(table: str = "audit_auditentry"):
    """On PostgreSQL, lift the trigger as the table owner would (the test role is a superuser)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {TRIGGERS[table]}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {TRIGGERS[table]}")


def tamper(sequence: int, **values) -> None:
    with append_only_trigger_disabled():
        assert AuditEntry.objects.filter(sequence=sequence).update(**values) == 1


def tamper_checkpoint(pk: int, **values) -> None:
    with append_only_trigger_disabled("audit_auditcheckpoint"):
        assert AuditCheckpoint.objects.filter(pk=pk).update(**values) == 1


def remove(*sequences: int) -> None:
    with append_only_trigger_disabled():
        AuditEntry.objects.filter(sequence__in=sequences).delete()


def record_some(user, count: int, action: str = "auth.login") -> list[AuditEntry]:
    actor = Actor(user=user, membership=None)
    return [record(actor=actor, action=action, user=user) for _ in range(count)]


def entries_of(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("sequence"))


def verify_audit(*args) -> tuple[str, str]:
    """`maillage verify_audit` with these options: (standard output, error output)."""
    out, err = StringIO(), StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failure_of(*args) -> str:
    """The message of a verification that fails (exit code 1)."""
    with pytest.raises(CommandError) as error:
        verify_audit(*args)
    assert error.value.returncode == 1
    return str(error.value)
